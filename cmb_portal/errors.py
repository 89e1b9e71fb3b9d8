"""Error pages that show a reference id and no internals; refused accesses are logged."""

import logging
import uuid

from django.shortcuts import render

security_log = logging.getLogger("cmb.security")
log = logging.getLogger("cmb.errors")


def _reference() -> str:
    return uuid.uuid4().hex[:8].upper()


def _address(request) -> str:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "-")


def permission_denied(request, exception=None):
    reference = _reference()
    user = request.user.get_username() if request.user.is_authenticated else "-"
    security_log.warning(
        "refused access ref=%s user=%s path=%s from=%s",
        reference,
        user,
        request.path,
        _address(request),
    )
    return render(request, "errors/403.html", {"reference": reference}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {"reference": _reference()}, status=404)


def server_error(request):
    reference = _reference()
    log.error("server error ref=%s path=%s", reference, request.path)
    # No context processors: the database may be what failed.
    from django.template import loader

    html = loader.get_template("errors/500.html").render({"reference": reference})
    from django.http import HttpResponseServerError

    return HttpResponseServerError(html)
