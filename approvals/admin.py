from django.contrib import admin

from records.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit trail is append-only: readable here, never editable."""

    list_display = ("seq", "session", "action", "actor", "at", "from_status", "to_status")
    list_filter = ("action",)
    list_select_related = ("session__agreement", "actor")
