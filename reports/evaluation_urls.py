"""The 4-monthly evaluation and its follow-ups; included into the `reports` namespace."""

from django.urls import path

from . import evaluation_views as views

urlpatterns = [
    path("laporan/evaluasi/", views.evaluation_list, name="evaluation_list"),
    path("laporan/evaluasi/jalankan/", views.evaluation_run, name="evaluation_run"),
    path("laporan/evaluasi/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path(
        "laporan/evaluasi/<int:pk>/unit/<int:unit_pk>/",
        views.evaluation_unit,
        name="evaluation_unit",
    ),
    path(
        "laporan/evaluasi/<int:pk>/entri/<int:entry_pk>/tindak-lanjut/",
        views.followup_assign,
        name="followup_assign",
    ),
    path("laporan/evaluasi/tindak-lanjut-saya/", views.my_followups, name="my_followups"),
    path(
        "laporan/evaluasi/tindak-lanjut/<int:pk>/selesai/",
        views.followup_done,
        name="followup_done",
    ),
]
