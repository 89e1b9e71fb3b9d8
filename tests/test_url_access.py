"""Every URL pattern has an expected answer for every role; a new URL without one fails here.

Public URLs are listed explicitly. 302 for anonymous means "sent to the sign-in page".
Object URLs name the object through `kwargs` built from the demo personas.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES

OK, LOGIN, FORBIDDEN, NOT_FOUND, REDIRECT = 200, 302, 403, 404, 302

ALL_OK = {role: OK for role in ROLES}
PUBLIC = {
    "login",
    "healthz",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
}


def signed_in(**answers):
    """Anonymous goes to sign-in; every role gets `default` unless named."""
    default = answers.pop("default", OK)
    table = {role: default for role in ROLES}
    table["anonymous"] = LOGIN
    table.update(answers)
    return table


# name -> (kwargs, {role: status}, method)
EXPECTED = {
    "home": ({}, signed_in(), "get"),
    # Signed-in users are sent on from the sign-in page.
    "login": ({}, {**{r: REDIRECT for r in ROLES}, "anonymous": OK}, "get"),
    "logout": ({}, {r: REDIRECT for r in ROLES}, "post"),
    "healthz": ({}, ALL_OK, "get"),
    "password_change": ({}, signed_in(), "get"),
    "password_change_done": ({}, signed_in(), "get"),
    "password_reset": ({}, ALL_OK, "get"),
    "password_reset_done": ({}, ALL_OK, "get"),
    "password_reset_confirm": ({"uidb64": "MQ", "token": "x-y"}, ALL_OK, "get"),
    "password_reset_complete": ({}, ALL_OK, "get"),
    "set_language": ({}, {r: REDIRECT for r in ROLES}, "post"),
    "records:employee_list": ({}, signed_in(default=OK, pegawai=FORBIDDEN), "get"),
    "records:employee_import": (
        {},
        signed_in(default=FORBIDDEN, pengelola=OK, biro=OK),
        "get",
    ),
}


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin guards itself (staff only); see test_admin_is_staff_only
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_has_an_expected_answer_for_every_role():
    names = set(named_patterns())
    assert names - set(EXPECTED) == set(), "add the new URL to EXPECTED with an answer per role"
    assert set(EXPECTED) - names == set(), "EXPECTED names a URL that no longer exists"
    for name, (_, answers, _) in EXPECTED.items():
        assert set(answers) == set(ROLES), name


def test_only_the_listed_urls_are_open_without_signing_in(db):
    for name, (kwargs, _, method) in EXPECTED.items():
        response = getattr(Client(), method)(reverse(name, kwargs=kwargs))
        sent_to_sign_in = response.status_code == 302 and response["Location"].startswith(
            reverse("login") + "?next="
        )
        assert sent_to_sign_in == (name not in PUBLIC), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_the_expected_answer(name, client_as):
    kwargs, answers, method = EXPECTED[name]
    url = reverse(name, kwargs=kwargs)
    for role in ROLES:
        response = getattr(client_as(role), method)(url)
        assert response.status_code == answers[role], f"{name} as {role}"


def test_admin_is_staff_only(client_as, demo):
    for role in ROLES:
        response = client_as(role).get("/admin/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
