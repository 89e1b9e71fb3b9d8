from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("pegawai/", views.employee_list, name="employee_list"),
    path("pegawai/impor/", views.employee_import_view, name="employee_import"),
]
