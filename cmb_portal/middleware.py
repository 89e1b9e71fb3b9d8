from django.conf import settings
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme


class HealthCheckMiddleware:
    """Answer GET /healthz before the host check and the HTTPS redirect.

    The container's HEALTHCHECK asks http://127.0.0.1:$PORT/healthz: that host is not in
    ALLOWED_HOSTS (400) and plain HTTP would be redirected (301). Nothing here reads the host,
    and the answer says no more than whether the database responds.
    """

    path = "/healthz"

    def __init__(self, get_response):
        from records.views import healthz  # after the app registry is ready

        self.get_response = get_response
        self.healthz = healthz

    def __call__(self, request):
        if request.method == "GET" and request.path_info == self.path:
            return self.healthz(request)
        return self.get_response(request)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the user chose English with the switch (the language cookie).

    Django's own middleware follows the browser's Accept-Language, which would show English to
    every civil servant whose browser happens to be set to English.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequestSizeLimitMiddleware:
    """Refuse a request body over MAX_REQUEST_BYTES before anything reads it.

    CsrfViewMiddleware reads request.POST, and with it the whole multipart body (file parts are
    streamed to temporary files), before any view can look at a file's size; and
    DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts. Every upload the portal takes
    (evidence, the employee import) is at most 5 MB, so a larger body is refused here, on its
    declared length, with a short page in Indonesian (413). A reverse proxy should refuse such
    bodies even earlier (nginx: client_max_body_size 6m).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared.isdigit() and int(declared) > settings.MAX_REQUEST_BYTES:
            from django.template import loader

            back = request.META.get("HTTP_REFERER", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = "/"
            html = loader.get_template("errors/413.html").render(
                {"back": back, "limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)}
            )
            return HttpResponse(html, status=413)
        return self.get_response(request)
