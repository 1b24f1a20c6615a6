from django.contrib import admin
from django.db import models

from matchplats.organisations.models import Invitation, Membership, Organisation, OrganisationEvent
from matchplats.organisations.services import memberships_record_staff_changes


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Platform staff create region organisations here and add their coordinators as members."""

    # Like the organisation form: a website typed without a scheme is https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    list_display = ["name", "kind", "lan", "kommun", "created_at"]
    list_filter = ["kind", "lan"]
    search_fields = ["name", "organisation_number"]
    autocomplete_fields = ["kommun"]
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        before = {pk: (user_id, role) for pk, user_id, role in
                  Membership.objects.filter(organisation=form.instance).values_list("pk", "user_id", "role")}
        super().save_formset(request, form, formset, change)
        memberships_record_staff_changes(organisation=form.instance, actor=request.user, before=before)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at"]
    search_fields = ["email", "organisation__name"]


@admin.register(OrganisationEvent)
class OrganisationEventAdmin(admin.ModelAdmin):
    list_display = ["organisation", "type", "actor", "created_at"]
    list_filter = ["type"]

    def has_change_permission(self, request, obj=None):
        return False
