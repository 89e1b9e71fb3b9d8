"""The quarterly recap (Lampiran III); included into the `reports` namespace."""

from django.urls import path

from . import recap_views as views

urlpatterns = [
    path("laporan/rekap/", views.recap_list, name="recap_list"),
    path("laporan/rekap/status/", views.recap_status, name="recap_status"),
    path(
        "laporan/rekap/<int:unit_pk>/<int:year>/<int:quarter>.pdf",
        views.recap_pdf,
        name="recap_pdf",
    ),
    path(
        "laporan/rekap/<int:unit_pk>/<int:year>/<int:quarter>.xlsx",
        views.recap_xlsx,
        name="recap_xlsx",
    ),
    path(
        "laporan/rekap/<int:unit_pk>/<int:year>/<int:quarter>/kirim/",
        views.recap_submit,
        name="recap_submit",
    ),
    path(
        "laporan/rekap/kiriman/<int:pk>/<str:fmt>/",
        views.recap_submission_file,
        name="recap_submission_file",
    ),
]
