from django.urls import path

from . import certificate_views as views

urlpatterns = [
    path("sertifikat/", views.certificate_list, name="certificate_list"),
    path("sertifikat/saya/", views.my_certificates, name="my_certificates"),
    path("sertifikat/batch/<int:pk>/", views.certificate_batch, name="certificate_batch"),
    path("sertifikat/<int:pk>.pdf", views.certificate_pdf_view, name="certificate_pdf"),
    path("sertifikat/<int:pk>/cabut/", views.certificate_revoke_view, name="certificate_revoke"),
    # Public: anyone holding a certificate's code (printed and in its QR code).
    path("verifikasi/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
