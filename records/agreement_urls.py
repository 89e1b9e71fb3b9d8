"""Development areas and agreements (kesepakatan); included into the `records` namespace."""

from django.urls import path

from . import agreement_views as views

urlpatterns = [
    path("cmb/area/", views.area_list, name="area_list"),
    path("cmb/kesepakatan/", views.agreement_list, name="agreement_list"),
    path(
        "cmb/kesepakatan/coaching/baru/",
        views.agreement_coaching_new,
        name="agreement_coaching_new",
    ),
    path(
        "cmb/kesepakatan/mentoring/baru/",
        views.agreement_mentoring_new,
        name="agreement_mentoring_new",
    ),
    path(
        "cmb/kesepakatan/belajar-mandiri/baru/",
        views.agreement_self_learning_new,
        name="agreement_self_learning_new",
    ),
    path("cmb/kesepakatan/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("cmb/kesepakatan/<int:pk>/jawab/", views.agreement_respond_view, name="agreement_respond"),
]
