from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
