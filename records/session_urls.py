from django.urls import path

from . import session_views as views

urlpatterns = [
    path("cmb/", views.my_records, name="my_records"),
    path("cmb/kesepakatan/<int:pk>/pertemuan/baru/", views.session_new, name="session_new"),
    path("cmb/pertemuan/<int:pk>/", views.session_detail, name="session_detail"),
    path("cmb/pertemuan/<int:pk>/ubah/", views.session_edit, name="session_edit"),
    path("cmb/pertemuan/<int:pk>/hapus/", views.session_delete_view, name="session_delete"),
    path("cmb/pertemuan/<int:pk>/ajukan/", views.session_submit_view, name="session_submit"),
    path("cmb/pertemuan/<int:pk>/bukti/", views.evidence_upload, name="evidence_upload"),
    path("cmb/bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("cmb/bukti/<int:pk>/hapus/", views.evidence_delete_view, name="evidence_delete"),
    path("cmb/pratinjau-jp/", views.jp_preview, name="jp_preview"),
]
