from .certificate_urls import urlpatterns as certificate_urls
from .dashboard_urls import urlpatterns as dashboard_urls
from .document_urls import urlpatterns as document_urls
from .evaluation_urls import urlpatterns as evaluation_urls
from .recap_urls import urlpatterns as recap_urls
from .record_export_urls import urlpatterns as record_export_urls

app_name = "reports"
urlpatterns = [
    *document_urls,
    *recap_urls,
    *certificate_urls,
    *evaluation_urls,
    *record_export_urls,
    *dashboard_urls,
]
