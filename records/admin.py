from django.contrib import admin

from .models import Employee, ManagerialCompetency, Session, UnitKerja


@admin.register(UnitKerja)
class UnitKerjaAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "head")
    search_fields = ("name", "code")
    list_select_related = ("parent", "head")
    autocomplete_fields = ("parent", "head")
    filter_horizontal = ("pengelola",)


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("name", "nip", "golongan", "jabatan", "unit", "atasan", "active")
    list_filter = ("active", "golongan", "unit")
    search_fields = ("name", "nip", "jabatan")
    list_select_related = ("unit", "atasan")
    autocomplete_fields = ("user", "unit", "atasan")


@admin.register(ManagerialCompetency)
class ManagerialCompetencyAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "level_1", "level_2", "level_3")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Readable in the admin, never written there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    """Sessions change only through the portal's workflow, which audits every change."""

    list_display = ("__str__", "agreement", "status", "credit_jp")
    list_filter = ("status", "agreement__kind")
    search_fields = ("agreement__employee__name", "agreement__employee__nip")
    list_select_related = ("agreement__employee",)
