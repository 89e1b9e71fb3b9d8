from django.urls import path

from . import record_export_views as views

urlpatterns = [
    path("akun/ekspor/", views.my_record_export, name="my_record_export"),
    path(
        "laporan/pegawai/<int:employee_pk>/ekspor.zip",
        views.employee_record_export,
        name="employee_record_export",
    ),
]
