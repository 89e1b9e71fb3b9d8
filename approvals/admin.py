from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is append-only: readable here, never editable."""

    list_display = ("seq", "session", "action", "actor", "at", "from_status", "to_status")
    list_filter = ("action",)
    list_select_related = ("session__agreement", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
