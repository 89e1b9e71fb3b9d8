from django.urls import path

from . import views
from .agreement_urls import urlpatterns as agreement_urls
from .session_urls import urlpatterns as session_urls

app_name = "records"
urlpatterns = [
    path("pegawai/", views.employee_list, name="employee_list"),
    path("pegawai/impor/", views.employee_import_view, name="employee_import"),
    *agreement_urls,
    *session_urls,
]
