"""Security properties that hold for every page: CSRF on every state-changing request, the
security headers (CSP without inline code, framing, sniffing, referrer), and the production
cookie and HSTS settings. Per-URL access lives in tests/test_url_access.py."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.test_deployment import ROOT, production_env
from tests.test_url_access import EXPECTED, FORBIDDEN, NOT_FOUND, PLACEHOLDER_KWARGS

# --- CSRF -------------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def strongest_role(answers: dict[str, int]) -> str:
    """A role the URL serves (so the POST would reach the view if CSRF let it through)."""
    for role in ("biro", "pengelola", "pimpinan", "atasan", "pegawai", "anonymous"):
        if answers[role] not in (FORBIDDEN, NOT_FOUND):
            return role
    return "biro"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(name, demo):
    kwargs, answers, _ = EXPECTED[name]
    kwargs = kwargs(demo) if callable(kwargs) else (PLACEHOLDER_KWARGS.get(name) or kwargs)
    role = strongest_role(answers)
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(demo.user(role))
    before = row_counts()
    response = client.post(reverse(name, kwargs=kwargs), {"confirmed": "1"})
    assert response.status_code == 403, f"{name} as {role}"
    assert b"CSRF" in response.content, name  # refused by the CSRF check, not by the view
    assert row_counts() == before, name


# --- headers ----------------------------------------------------------------------------------


def directives(header: str) -> dict[str, set[str]]:
    parts = (d.strip().split() for d in header.split(";") if d.strip())
    return {p[0]: set(p[1:]) for p in parts}


@pytest.mark.parametrize("path", ["/", "/cmb/", "/masuk/"])
def test_every_page_sends_a_strict_content_security_policy(client_as, path):
    response = client_as("pegawai" if path != "/masuk/" else "anonymous").get(path, follow=True)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == {"'self'"}
    assert policy["script-src"] == {"'self'"}  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["form-action"] == {"'self'"}
    assert policy["base-uri"] == {"'self'"}


def test_pages_cannot_be_framed_or_sniffed_and_leak_no_referrer(client_as):
    response = client_as("pegawai").get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_templates_hold_no_inline_script_style_or_event_handler():
    """The CSP would block them in the browser; catch them before that (PDF templates are
    rendered by WeasyPrint, not a browser, and may style inline)."""
    import re

    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "pdf" in path.parts:
            continue
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+=", r"\sstyle="):
            if re.search(pattern, text, re.IGNORECASE):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert offenders == []


def test_production_cookies_and_hsts():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SESSION_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','SESSION_COOKIE_SAMESITE',"
        "'CSRF_COOKIE_SECURE','SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        "'SECURE_SSL_REDIRECT','SESSION_COOKIE_AGE','SESSION_EXPIRE_AT_BROWSER_CLOSE')}))"
    )
    env = production_env(DJANGO_SETTINGS_MODULE="cmb_portal.settings")
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True


def test_a_body_over_the_limit_is_refused_before_anything_reads_it(demo, monkeypatch):
    """CSRF would parse (and spool to disk) a multipart body of any size; the size limit
    comes first, answers 413 in Indonesian, and saves nothing."""
    import datetime

    from django.http.multipartparser import MultiPartParser

    from records.models import Evidence
    from tests import factories

    session = factories.session(factories.coaching(demo, 2023), datetime.date(2023, 3, 6))
    parsed = []
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: parsed.append(1))
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo.pegawai)
    url = reverse("records:evidence_upload", args=[session.pk])
    big = b"x" * (6 * 1024 * 1024 + 1)
    response = client.post(
        url,
        data=big,
        content_type="multipart/form-data; boundary=B",
        HTTP_REFERER="http://testserver/",
    )
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.content.decode()
    assert parsed == [] and not Evidence.objects.exists()
