from django.contrib import admin

from .models import Employee, UnitKerja


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
