from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("persetujuan/", views.approval_queue_view, name="approval_queue"),
    path("verifikasi-biro/", views.verification_queue_view, name="verification_queue"),
    path("massal/<str:action>/", views.bulk_action, name="bulk_action"),
    path(
        "cmb/pertemuan/<int:pk>/tindakan/<str:action>/", views.session_action, name="session_action"
    ),
]
