from django.urls import path

from . import document_views as views

urlpatterns = [
    path("laporan/pertemuan/<int:pk>/lampiran-i.pdf", views.lampiran_i, name="lampiran_i"),
    path("laporan/kartu/<int:employee_pk>/", views.kartu_form, name="kartu_form"),
    path("laporan/kartu/<int:employee_pk>.pdf", views.kartu_pengendali, name="kartu_pengendali"),
    path(
        "laporan/tabel/<int:employee_pk>/<str:kind>.pdf",
        views.tabel_kegiatan,
        name="tabel_kegiatan",
    ),
]
