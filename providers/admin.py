from django.contrib import admin

from providers.models import MyhCaseConflict


@admin.register(MyhCaseConflict)
class MyhCaseConflictAdmin(admin.ModelAdmin):
    """Imports that claimed another provider's MYH case number (docs/imports.md). Staff look into
    each, fix the programme if needed and tick "resolved"."""

    list_display = ["diarienummer", "claimed_by_name", "owner_name", "outcome", "attempts", "last_seen_at", "resolved"]
    list_filter = ["resolved", "outcome"]
    search_fields = ["diarienummer", "claimed_by_name", "owner_name"]
    readonly_fields = ["diarienummer", "owner_name", "claimed_by", "claimed_by_name", "outcome", "actor", "file_name",
                       "row", "attempts", "created_at", "last_seen_at"]

    def has_add_permission(self, request):
        return False
