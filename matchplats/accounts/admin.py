from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from matchplats.accounts import audit
from matchplats.accounts.models import AuditEvent, User

STAFF_FLAGS = {"is_staff": False, "is_superuser": False, "is_active": True}
"""The flags whose changes are audited, with what a new account has."""


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        """Platform staff rights are only granted here: every change of them goes to the audit log."""
        before = (User.objects.filter(pk=obj.pk).values(*STAFF_FLAGS).first() if change else None) or STAFF_FLAGS
        super().save_model(request, obj, form, change)
        changes = {flag: [before[flag], getattr(obj, flag)] for flag in STAFF_FLAGS if before[flag] != getattr(obj, flag)}
        if changes:
            audit.staff_changed(user=obj, actor=request.user, changes=changes, request=request)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is appended by the services, never edited by hand."""

    list_display = ["at", "action", "actor_pseudonym", "subject_pseudonym", "organisation", "object_type",
                    "object_id"]
    list_filter = ["action"]
    search_fields = ["actor_pseudonym", "subject_pseudonym", "object_type", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """A person's two-step sign-in, for support: staff see that it is on and may remove it for
    someone who lost both phone and recovery codes (README, *Two-step sign-in*), never add one or
    read its key (allauth's own admin showed and edited the encrypted data). Removal goes to the
    audit log with the staff member as the actor."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        audit.two_step_removed(user=obj.user, request=request, kind=obj.type, actor=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for authenticator in queryset.select_related("user"):
            audit.two_step_removed(user=authenticator.user, request=request, kind=authenticator.type,
                                   actor=request.user)
        super().delete_queryset(request, queryset)
