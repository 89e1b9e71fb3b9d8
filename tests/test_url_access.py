"""Every URL pattern has an expected answer for every role; a new URL without one fails here.

Public URLs are listed explicitly. 302 for anonymous means "sent to the sign-in page".
Object URLs name the object through `kwargs` built from the demo personas.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories
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
    "reports:certificate_verify",
}


def signed_in(**answers):
    """Anonymous goes to sign-in; every role gets `default` unless named."""
    default = answers.pop("default", OK)
    table = {role: default for role in ROLES}
    table["anonymous"] = LOGIN
    table.update(answers)
    return table


def a_session(demo):
    """A draft coaching session of the demo employee (Cahya), with one evidence file."""
    from records.services import evidence_add

    session = factories.session(factories.coaching(demo), datetime.date(2022, 4, 7))
    upload = SimpleUploadedFile("foto.png", factories.png_bytes())
    evidence = evidence_add(session=session, actor=session.agreement.employee, upload=upload)
    return session, evidence


def session_kwargs(demo):
    return {"pk": a_session(demo)[0].pk}


def evidence_kwargs(demo):
    return {"pk": a_session(demo)[1].pk}


def submitted_action_kwargs(demo):
    from approvals.services import session_submit

    session = factories.session(factories.coaching(demo), datetime.date(2022, 4, 7))
    session_submit(session=session, actor=session.agreement.employee)
    return {"pk": session.pk, "action": "approve"}


def cahya_kwargs(demo):
    return {"employee_pk": demo.pegawai.employee.pk}


def tabel_kwargs(demo):
    return {"employee_pk": demo.pegawai.employee.pk, "kind": "coaching"}


def recap_kwargs(demo):
    from records.models import UnitKerja

    return {"unit_pk": UnitKerja.objects.get(code="biro-sdm").pk, "year": 2022, "quarter": 2}


def recap_submission_kwargs(demo):
    from records.models import UnitKerja
    from reports.recaps import recap_submit

    unit = UnitKerja.objects.get(code="biro-sdm")
    submission = recap_submit(unit=unit, year=2022, quarter=2, user=demo.pengelola)
    return {"pk": submission.pk, "fmt": "pdf"}


def certificate_kwargs(demo):
    """Cahya's certificate for 2022 (the SE's example year, all verified); the same one on
    every call: issuing is idempotent."""
    from approvals.notifications import notifications_muted
    from records.demo import seed_demo_activity
    from reports.certificates import certificate_issue

    with notifications_muted():
        seed_demo_activity()  # does nothing once Cahya has agreements
    certificate = certificate_issue(employee=demo.pegawai.employee, year=2022, user=demo.biro)
    return {"pk": certificate.pk}


def certificate_batch_kwargs(demo):
    """A finished batch (Cahya has no verified JP in the plain demo: skipped, nothing rendered)."""
    from reports.certificates import certificate_batch_request

    batch = certificate_batch_request(
        year=2022, employee_ids=[demo.pegawai.employee.pk], user=demo.biro
    )
    return {"pk": batch.pk}


def agreement_kwargs(demo):
    return {"pk": factories.coaching(demo).pk}


def an_evaluation(demo):
    """Evaluation II/2022 of the plain demo: nobody has JP, so Cahya (Biro SDM) is flagged."""
    from reports.evaluations import evaluation_run

    evaluation = evaluation_run(year=2022, period=2, user=demo.biro)
    return evaluation, evaluation.entries.get(employee=demo.pegawai.employee)


def evaluation_kwargs(demo):
    return {"pk": an_evaluation(demo)[0].pk}


def evaluation_unit_kwargs(demo):
    evaluation, entry = an_evaluation(demo)
    return {"pk": evaluation.pk, "unit_pk": entry.unit_id}


def evaluation_entry_kwargs(demo):
    evaluation, entry = an_evaluation(demo)
    return {"pk": evaluation.pk, "entry_pk": entry.pk}


def followup_kwargs(demo):
    """An open follow-up for Cahya, assigned by the head of Biro SDM."""
    from records.roles import roles_for
    from reports.evaluations import followup_assign

    _, entry = an_evaluation(demo)
    followup = followup_assign(
        entry=entry,
        roles=roles_for(demo.pimpinan),
        user=demo.pimpinan,
        kind="pelatihan",
        description="Pelatihan analisis jabatan",
        due_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    return {"pk": followup.pk}


# Who may see a session of Cahya's: herself, her atasan, the pengelola and pimpinan of her unit,
# Biro SDM. Writing is for Cahya alone (404 for everyone else: "not yours" looks like "missing").
SEES_CAHYA = signed_in(default=OK)
CAHYA_WRITES = signed_in(default=NOT_FOUND, pegawai=OK)
CAHYA_POSTS = signed_in(default=NOT_FOUND, pegawai=REDIRECT)

# Recaps: the unit's pengelola and pimpinan and Biro SDM read; only the pengelola submits.
BIRO_ONLY = signed_in(default=FORBIDDEN, biro=OK)
RECAP_READERS = signed_in(default=FORBIDDEN, pengelola=OK, pimpinan=OK, biro=OK)

# Evaluation: Biro SDM runs it; the unit's pimpinan and Biro SDM assign follow-ups; pengelola
# read. A follow-up is marked done by the employee or the atasan (an empty note is refused
# with a message and a redirect; nothing changes); anyone else gets 404.
EVALUATION_READERS = RECAP_READERS
ASSIGNERS = signed_in(default=FORBIDDEN, pimpinan=OK, biro=OK)
FOLLOWUP_DONE = signed_in(default=NOT_FOUND, pegawai=REDIRECT, atasan=REDIRECT)

# name -> (kwargs or a function of the personas returning them, {role: status}, method)
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
    "records:my_records": ({}, signed_in(), "get"),
    "records:area_list": ({}, signed_in(), "get"),
    "records:agreement_list": ({}, signed_in(), "get"),
    # Pimpinan is Diah's atasan, so he too may propose coaching (to her).
    "records:agreement_coaching_new": (
        {},
        signed_in(default=FORBIDDEN, atasan=OK, pimpinan=OK),
        "get",
    ),
    "records:agreement_mentoring_new": ({}, signed_in(), "get"),
    "records:agreement_self_learning_new": ({}, signed_in(), "get"),
    "records:agreement_detail": (agreement_kwargs, SEES_CAHYA, "get"),
    # An empty answer is refused with a message and a redirect; nothing changes.
    "records:agreement_respond": (agreement_kwargs, signed_in(default=REDIRECT), "post"),
    "records:session_new": (agreement_kwargs, CAHYA_WRITES, "get"),
    "records:session_detail": (session_kwargs, SEES_CAHYA, "get"),
    "records:session_edit": (session_kwargs, CAHYA_WRITES, "get"),
    "records:session_submit": (session_kwargs, CAHYA_WRITES, "get"),
    "records:session_delete": (session_kwargs, CAHYA_POSTS, "post"),
    "records:evidence_upload": (session_kwargs, CAHYA_POSTS, "post"),
    "records:evidence_download": (evidence_kwargs, SEES_CAHYA, "get"),
    "records:evidence_delete": (evidence_kwargs, CAHYA_POSTS, "post"),
    "approvals:approval_queue": ({}, signed_in(), "get"),
    "approvals:verification_queue": ({}, signed_in(default=FORBIDDEN, biro=OK), "get"),
    # Nothing selected: back to the list with a message (the verify variant is Biro SDM's only;
    # see tests/approvals/test_views.py).
    "approvals:bulk_action": ({"action": "approve"}, signed_in(default=REDIRECT), "post"),
    # Everyone who may see the session is sent back to it (the atasan's approval succeeds,
    # the others get the refusal as a message); anyone else gets 404.
    "approvals:session_action": (submitted_action_kwargs, signed_in(default=REDIRECT), "post"),
    # Official documents (reports/document_urls.py): whoever may see the session or employee.
    "reports:lampiran_i": (session_kwargs, SEES_CAHYA, "get"),
    "reports:kartu_form": (cahya_kwargs, SEES_CAHYA, "get"),
    "reports:kartu_pengendali": (cahya_kwargs, SEES_CAHYA, "get"),
    # The Langsa guide's form: 404 under the default BKN policy (Langsa: tests/reports).
    "reports:tabel_kegiatan": (tabel_kwargs, signed_in(default=NOT_FOUND), "get"),
    "reports:recap_list": ({}, RECAP_READERS, "get"),
    "reports:recap_status": ({}, signed_in(default=FORBIDDEN, biro=OK), "get"),
    "reports:recap_pdf": (recap_kwargs, RECAP_READERS, "get"),
    "reports:recap_xlsx": (recap_kwargs, RECAP_READERS, "get"),
    # Without confirmed=1 the pengelola gets the confirmation page (200); nothing is sent.
    "reports:recap_submit": (recap_kwargs, signed_in(default=FORBIDDEN, pengelola=OK), "post"),
    "reports:recap_submission_file": (recap_submission_kwargs, RECAP_READERS, "get"),
    "reports:certificate_list": ({}, BIRO_ONLY, "get"),
    "reports:certificate_batch": (certificate_batch_kwargs, BIRO_ONLY, "get"),
    "reports:certificate_pdf": (certificate_kwargs, SEES_CAHYA, "get"),
    "reports:my_certificates": ({}, signed_in(), "get"),
    # The employee's own record as a ZIP; the per-employee variant is for the pengelola
    # kepegawaian and Biro SDM (whom they may see; 404 otherwise, tests/reports).
    "reports:my_record_export": ({}, signed_in(), "get"),
    "reports:employee_record_export": (
        cahya_kwargs,
        signed_in(default=FORBIDDEN, pengelola=OK, biro=OK),
        "get",
    ),
    # Without a reason and the confirmation: back to the list with a message, nothing changes.
    "reports:certificate_revoke": (
        certificate_kwargs,
        signed_in(default=FORBIDDEN, biro=REDIRECT),
        "post",
    ),
    # Public: an unknown code is 404 for everyone; a real one is 200 (tests/reports).
    "reports:certificate_verify": ({"code": "ABCDEFGHJK"}, {r: NOT_FOUND for r in ROLES}, "get"),
    "reports:evaluation_list": ({}, EVALUATION_READERS, "get"),
    # Without a year and period: back to the list with a message, nothing is run.
    "reports:evaluation_run": ({}, signed_in(default=FORBIDDEN, biro=REDIRECT), "post"),
    "reports:evaluation_detail": (evaluation_kwargs, EVALUATION_READERS, "get"),
    "reports:evaluation_unit": (evaluation_unit_kwargs, EVALUATION_READERS, "get"),
    "reports:followup_assign": (evaluation_entry_kwargs, ASSIGNERS, "get"),
    "reports:my_followups": ({}, signed_in(), "get"),
    "reports:followup_done": (followup_kwargs, FOLLOWUP_DONE, "post"),
    # The unit table and its exports: units the pengelola manages, the pimpinan heads, or all.
    "reports:unit_table": ({}, RECAP_READERS, "get"),
    "reports:unit_table_csv": ({}, RECAP_READERS, "get"),
    "reports:unit_table_xlsx": ({}, RECAP_READERS, "get"),
    "reports:monitoring": ({}, signed_in(default=FORBIDDEN, pimpinan=OK, biro=OK), "get"),
    # The preview reads the agreement from the POST; without one it is "not found".
    "records:jp_preview": ({}, signed_in(default=NOT_FOUND), "post"),
}


# URL arguments for the anonymous walk, where an object URL takes more than a pk.
PLACEHOLDER_KWARGS = {
    "approvals:session_action": {"pk": 1, "action": "approve"},
    "reports:kartu_form": {"employee_pk": 1},
    "reports:kartu_pengendali": {"employee_pk": 1},
    "reports:employee_record_export": {"employee_pk": 1},
    "reports:tabel_kegiatan": {"employee_pk": 1, "kind": "coaching"},
    "reports:recap_pdf": {"unit_pk": 1, "year": 2022, "quarter": 2},
    "reports:recap_xlsx": {"unit_pk": 1, "year": 2022, "quarter": 2},
    "reports:recap_submit": {"unit_pk": 1, "year": 2022, "quarter": 2},
    "reports:recap_submission_file": {"pk": 1, "fmt": "pdf"},
    "reports:evaluation_unit": {"pk": 1, "unit_pk": 1},
    "reports:followup_assign": {"pk": 1, "entry_pk": 1},
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
        kwargs = PLACEHOLDER_KWARGS.get(name) or ({"pk": 1} if callable(kwargs) else kwargs)
        response = getattr(Client(), method)(reverse(name, kwargs=kwargs))
        sent_to_sign_in = response.status_code == 302 and response["Location"].startswith(
            reverse("login") + "?next="
        )
        assert sent_to_sign_in == (name not in PUBLIC), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_the_expected_answer(name, client_as, demo):
    kwargs, answers, method = EXPECTED[name]
    for role in ROLES:
        # A fresh object per role: a role's POST (a delete, say) must not decide the next one's.
        url = reverse(name, kwargs=kwargs(demo) if callable(kwargs) else kwargs)
        response = getattr(client_as(role), method)(url)
        assert response.status_code == answers[role], f"{name} as {role}"


@pytest.mark.parametrize("name", sorted(n for n, (kw, _, _) in EXPECTED.items() if callable(kw)))
def test_a_plain_employee_of_another_unit_gets_404_for_every_object_url(name, demo):
    kwargs, answers, method = EXPECTED[name]
    response = getattr(demo.client_for("outsider"), method)(reverse(name, kwargs=kwargs(demo)))
    # Pages a plain employee may not open at all answer 403 before any lookup; the others 404.
    expected = FORBIDDEN if answers["pegawai"] == FORBIDDEN else NOT_FOUND
    assert response.status_code == expected, name


def test_admin_is_staff_only(client_as, demo):
    for role in ROLES:
        response = client_as(role).get("/admin/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
