"""The unit table and its exports; included into the `reports` namespace. (The home page,
reports.dashboard_views.home, is the project's root URL.)"""

from django.urls import path

from . import dashboard_views as views
from .monitoring_views import monitoring_view

urlpatterns = [
    path("laporan/unit/", views.unit_table, name="unit_table"),
    path("laporan/unit/ekspor.csv", views.unit_table_csv, name="unit_table_csv"),
    path("laporan/unit/ekspor.xlsx", views.unit_table_xlsx, name="unit_table_xlsx"),
    path("laporan/pemantauan/", monitoring_view, name="monitoring"),
]
