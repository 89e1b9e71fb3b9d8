"""Kesepakatan: proposing coaching, requesting mentoring, planning belajar mandiri, answering.

Personas (tests/conftest.py): pegawai Cahya, her atasan Diah, mentor Heri (another unit),
pengelola and pimpinan of Biro SDM, biro (Biro SDM), outsider Galih (no relation).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from records.agreement_views import waiting_count
from records.models import (
    Activity,
    Agreement,
    AgreementStatus,
    CompetencyType,
    LearningSource,
)
from records.roles import NO_ROLES, roles_for
from records.services import (
    agreement_propose_coaching,
    agreement_propose_self_learning,
    agreement_request_mentoring,
    agreement_respond,
    area_create,
)

EVERY_EMPLOYEE = ("pegawai", "atasan", "mentor", "pengelola", "pimpinan", "biro", "outsider")
NOT_WAITING = "Kesepakatan ini tidak sedang menunggu jawaban Anda."


def this_year() -> int:
    return timezone.localdate().year


def emp(user):
    return user.employee


def make_area(employee, *, year=None, competency="Analisis kebutuhan pelatihan", current=2,
              required=3):  # fmt: skip
    return area_create(
        employee=employee,
        year=year or this_year(),
        competency_type=CompetencyType.TEKNIS,
        competency=competency,
        current_level=current,
        required_level=required,
    )


def propose_coaching(demo, area=None) -> Agreement:
    return agreement_propose_coaching(
        atasan=emp(demo.atasan),
        area=area or make_area(emp(demo.pegawai)),
        title="Menyusun instrumen analisis kebutuhan pelatihan",
        goal="Mampu menyusun instrumen AKP sendiri",
        target="Instrumen AKP Biro SDM selesai bulan ini",
        actor=demo.atasan,
    )


def request_mentoring(demo, mentor=None, **external) -> Agreement:
    return agreement_request_mentoring(
        employee=emp(demo.pegawai),
        area=make_area(emp(demo.pegawai), current=1, required=4),
        title="Penyusunan kebijakan jabatan fungsional",
        goal="Memahami alur penyusunan kebijakan",
        actor=demo.pegawai,
        mentor=mentor,
        **external,
    )


def admin_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def detail(agreement) -> str:
    return reverse("records:agreement_detail", kwargs={"pk": agreement.pk})


def respond(agreement) -> str:
    return reverse("records:agreement_respond", kwargs={"pk": agreement.pk})


def status_of(agreement) -> str:
    agreement.refresh_from_db()
    return agreement.status


def shown_messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- who may open what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("records:agreement_list", EVERY_EMPLOYEE),
        ("records:agreement_mentoring_new", EVERY_EMPLOYEE),
        ("records:agreement_self_learning_new", EVERY_EMPLOYEE),
        # Atasan of someone: Diah (Cahya's), Haryanto (Diah's), Heri (his own staff).
        ("records:agreement_coaching_new", ("atasan", "pimpinan", "mentor")),
    ],
)
def test_each_role_gets_the_expected_answer_on_the_pages(demo, client_as, name, allowed):
    url = reverse(name)
    response = client_as("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    for role in EVERY_EMPLOYEE:
        expected = 200 if role in allowed else 403
        assert client_as(role).get(url).status_code == expected, role
    assert admin_client().get(url).status_code == 403  # signed in, but no employee record


def test_the_agreement_is_visible_to_its_parties_and_overseers_only(demo, client_as):
    agreement = propose_coaching(demo)
    url = detail(agreement)

    assert client_as("anonymous").get(url).status_code == 302
    for role in ("pegawai", "atasan", "pengelola", "pimpinan", "biro"):
        assert client_as(role).get(url).status_code == 200, role
    for role in ("outsider", "mentor"):
        assert client_as(role).get(url).status_code == 404, role
    assert admin_client().get(url).status_code == 404
    assert client_as("pegawai").get(reverse("records:agreement_detail", kwargs={"pk": 999999}))\
        .status_code == 404  # fmt: skip


def test_answering_is_post_only_and_refused_alike_for_missing_and_invisible(demo, client_as):
    agreement = propose_coaching(demo)

    assert client_as("anonymous").post(respond(agreement))["Location"].startswith(reverse("login"))
    assert client_as("pegawai").get(respond(agreement)).status_code == 405
    for role in ("outsider", "mentor"):
        response = client_as(role).post(respond(agreement), {"decision": "setuju"})
        assert response.status_code == 404, role
    missing = reverse("records:agreement_respond", kwargs={"pk": 999999})
    assert client_as("pegawai").post(missing, {"decision": "setuju"}).status_code == 404
    assert admin_client().post(respond(agreement), {"decision": "setuju"}).status_code == 403
    assert status_of(agreement) == AgreementStatus.AWAITING_EMPLOYEE


# --- coaching -----------------------------------------------------------------------------------


def test_the_atasan_proposes_coaching_and_the_employee_agrees(demo, client_as):
    area = make_area(emp(demo.pegawai))
    atasan = client_as("atasan")

    response = atasan.post(
        reverse("records:agreement_coaching_new"),
        {
            "area": area.pk,
            "title": "Menyusun instrumen AKP",
            "goal": "Mampu menyusun instrumen AKP",
            "target": "Instrumen selesai akhir bulan",
        },
    )

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(agreement)
    assert agreement.kind == Activity.COACHING
    assert agreement.status == AgreementStatus.AWAITING_EMPLOYEE
    assert agreement.mentor == emp(demo.atasan)
    assert agreement.created_by == demo.atasan

    pegawai = client_as("pegawai")
    assert 'data-testid="response-form"' in pegawai.get(detail(agreement)).content.decode()
    assert 'data-testid="response-form"' not in atasan.get(detail(agreement)).content.decode()
    response = pegawai.post(respond(agreement), {"decision": "setuju"}, follow=True)

    assert status_of(agreement) == AgreementStatus.ACTIVE
    assert agreement.agreed_at is not None
    assert "Kesepakatan disetujui." in shown_messages(response)


def test_the_coaching_select_offers_only_current_areas_of_direct_staff(demo, client_as):
    make_area(emp(demo.pegawai), competency="Analisis kebutuhan pelatihan")
    make_area(emp(demo.pegawai), year=this_year() - 1, competency="Naskah dinas lama")
    make_area(emp(demo.outsider), competency="Administrasi jaringan")
    make_area(emp(demo.atasan), competency="Kompetensi Diah sendiri")

    html = client_as("atasan").get(reverse("records:agreement_coaching_new")).content.decode()

    assert f"Cahya — Analisis kebutuhan pelatihan ({this_year()})" in html
    assert "Naskah dinas lama" not in html
    assert "Administrasi jaringan" not in html
    assert "Kompetensi Diah sendiri" not in html


@pytest.mark.parametrize("who", ["outsider", "atasan"])
def test_a_forged_coaching_post_for_someone_not_a_direct_subordinate_is_refused(
    demo, client_as, who
):
    # The outsider is nobody's subordinate here; Diah is Haryanto's subordinate, not Diah's own.
    area = make_area(emp(getattr(demo, who)))

    response = client_as("atasan").post(
        reverse("records:agreement_coaching_new"),
        {"area": area.pk, "title": "x", "goal": "y", "target": "z"},
    )

    assert response.status_code == 200
    assert "milik salah satu bawahan langsung Anda" in response.content.decode()
    assert not Agreement.objects.exists()


def test_coaching_needs_goal_and_target(demo, client_as):
    area = make_area(emp(demo.pegawai))

    response = client_as("atasan").post(
        reverse("records:agreement_coaching_new"), {"area": area.pk, "title": "x"}
    )

    assert response.status_code == 200
    assert not Agreement.objects.exists()


def test_the_coaching_page_says_when_no_subordinate_has_an_area(demo, client_as):
    html = client_as("atasan").get(reverse("records:agreement_coaching_new")).content.decode()

    assert "Belum ada bawahan langsung Anda yang menetapkan area pengembangan" in html


# --- mentoring ----------------------------------------------------------------------------------


def mentoring_form(area, **fields) -> dict:
    return {
        "area": area.pk,
        "title": "Penyusunan kebijakan jabatan fungsional",
        "goal": "Memahami alur penyusunan kebijakan",
        "mentor_choice": "pegawai",
        "mentor": "",
        "external_name": "",
        "external_nip": "",
        "external_institution": "",
        "external_expertise": "",
        **fields,
    }


def test_mentoring_with_another_employee_needs_the_atasan_then_the_mentor(demo, client_as):
    area = make_area(emp(demo.pegawai), current=1, required=4)
    heri = emp(demo.mentor)
    html = client_as("pegawai").get(reverse("records:agreement_mentoring_new")).content.decode()
    assert "Permohonan kepada selain atasan langsung memerlukan persetujuan atasan" in html
    assert "Heri Purwanto, S.H. — Analis Kebijakan Ahli Madya, Direktorat Jabatan" in html

    response = client_as("pegawai").post(
        reverse("records:agreement_mentoring_new"), mentoring_form(area, mentor=heri.pk)
    )
    agreement = Agreement.objects.get()
    assert response["Location"] == detail(agreement)
    assert (agreement.kind, agreement.mentor) == (Activity.MENTORING, heri)
    assert agreement.status == AgreementStatus.AWAITING_ATASAN

    # The mentor cannot answer before the atasan: a message, and nothing changes.
    response = client_as("mentor").post(respond(agreement), {"decision": "setuju"}, follow=True)
    assert NOT_WAITING in shown_messages(response)
    assert status_of(agreement) == AgreementStatus.AWAITING_ATASAN

    response = client_as("atasan").post(respond(agreement), {"decision": "setuju"}, follow=True)
    assert status_of(agreement) == AgreementStatus.AWAITING_MENTOR
    assert "diteruskan kepada Heri Purwanto, S.H." in shown_messages(response)

    client_as("mentor").post(respond(agreement), {"decision": "setuju"})
    assert status_of(agreement) == AgreementStatus.ACTIVE


def test_a_request_to_the_atasan_goes_straight_to_the_atasan_as_mentor(demo, client_as):
    area = make_area(emp(demo.pegawai), current=1, required=4)

    client_as("pegawai").post(
        reverse("records:agreement_mentoring_new"),
        # Fields of the other options are dropped, whatever was typed in them.
        mentoring_form(area, mentor_choice="atasan", external_name="Tidak dipakai"),
    )

    agreement = Agreement.objects.get()
    assert agreement.mentor == emp(demo.atasan)
    assert agreement.external_name == ""
    assert agreement.status == AgreementStatus.AWAITING_MENTOR
    client_as("atasan").post(respond(agreement), {"decision": "setuju"})
    assert status_of(agreement) == AgreementStatus.ACTIVE


def test_an_external_mentor_is_activated_by_the_atasan_approval(demo, client_as):
    area = make_area(emp(demo.pegawai), current=1, required=4)

    client_as("pegawai").post(
        reverse("records:agreement_mentoring_new"),
        mentoring_form(
            area,
            mentor_choice="luar",
            external_name="Dr. Rina Marlina, M.Si.",
            external_institution="Lembaga Administrasi Negara",
            external_expertise="Kebijakan publik",
        ),
    )

    agreement = Agreement.objects.get()
    assert agreement.mentor is None
    assert agreement.external_institution == "Lembaga Administrasi Negara"
    assert agreement.status == AgreementStatus.AWAITING_ATASAN
    client_as("atasan").post(respond(agreement), {"decision": "setuju"})
    assert status_of(agreement) == AgreementStatus.ACTIVE
    html = client_as("pegawai").get(detail(agreement)).content.decode()
    assert "Dr. Rina Marlina, M.Si." in html and "Kebijakan publik" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"mentor_choice": "pegawai"}, "Pilih pegawai yang Anda minta menjadi mentor."),
        ({"mentor_choice": "luar"}, "Tuliskan nama mentor."),
        ({"mentor_choice": "luar", "external_name": "Rina"}, "Tuliskan instansi mentor."),
        (
            {"mentor_choice": "luar", "external_name": "Rina", "external_institution": "LAN",
             "external_nip": "19970821202012"},
            "NIP harus 18 digit",
        ),
        ({"mentor_choice": ""}, "Bidang ini tidak boleh kosong."),
    ],
)  # fmt: skip
def test_the_mentoring_form_asks_for_what_the_chosen_mentor_needs(demo, client_as, fields, message):
    area = make_area(emp(demo.pegawai), current=1, required=4)

    response = client_as("pegawai").post(
        reverse("records:agreement_mentoring_new"), mentoring_form(area, **fields)
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert not Agreement.objects.exists()


def test_one_cannot_request_oneself_as_mentor(demo, client_as):
    area = make_area(emp(demo.pegawai))

    response = client_as("pegawai").post(
        reverse("records:agreement_mentoring_new"),
        mentoring_form(area, mentor=emp(demo.pegawai).pk),
    )

    assert response.status_code == 200
    assert not Agreement.objects.exists()


def test_one_cannot_use_another_employees_area(demo, client_as):
    area = make_area(emp(demo.outsider))

    response = client_as("pegawai").post(
        reverse("records:agreement_mentoring_new"),
        mentoring_form(area, mentor=emp(demo.mentor).pk),
    )

    assert "Pilih salah satu area pengembangan Anda tahun ini." in response.content.decode()
    assert not Agreement.objects.exists()


def test_an_employee_without_atasan_is_told_so(demo, client_as):
    # Haryanto (pimpinan) heads Biro SDM and has no atasan in the portal.
    area = make_area(emp(demo.pimpinan))

    response = client_as("pimpinan").post(
        reverse("records:agreement_mentoring_new"),
        mentoring_form(area, mentor=emp(demo.mentor).pk),
    )

    assert "Anda belum memiliki atasan langsung di portal" in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_area_can_be_chosen_beforehand_from_the_area_page(demo, client_as):
    make_area(emp(demo.pegawai), competency="Pertama")
    second = make_area(emp(demo.pegawai), competency="Kedua")

    url = reverse("records:agreement_mentoring_new") + f"?area={second.pk}"
    html = client_as("pegawai").get(url).content.decode()

    assert f'<option value="{second.pk}" selected>' in html


# --- belajar mandiri ----------------------------------------------------------------------------


def self_learning_form(area, rows) -> dict:
    data = {
        "area": area.pk,
        "title": "Manajemen talenta ASN",
        "goal": "Memahami kebijakan manajemen talenta",
        "sumber-TOTAL_FORMS": "5",
        "sumber-INITIAL_FORMS": "0",
        "sumber-MIN_NUM_FORMS": "0",
        "sumber-MAX_NUM_FORMS": "5",
    }
    for i in range(5):
        kind, title, link = rows[i] if i < len(rows) else ("buku", "", "")
        data |= {f"sumber-{i}-kind": kind, f"sumber-{i}-title": title, f"sumber-{i}-link": link}
    return data


def test_self_learning_with_sources_is_agreed_by_the_atasan(demo, client_as):
    area = make_area(emp(demo.pegawai))
    rows = [
        ("buku", "Manajemen Talenta Sektor Publik", ""),
        ("kelas_online", "Kelas Manajemen Talenta ASN", "https://asn.example.go.id/kelas"),
    ]

    response = client_as("pegawai").post(
        reverse("records:agreement_self_learning_new"), self_learning_form(area, rows)
    )

    agreement = Agreement.objects.get()
    assert response["Location"] == detail(agreement)
    assert (agreement.kind, agreement.status) == (
        Activity.BELAJAR_MANDIRI, AgreementStatus.AWAITING_ATASAN,
    )  # fmt: skip
    assert list(agreement.sources.values_list("kind", "title", "link")) == rows
    html = client_as("atasan").get(detail(agreement)).content.decode()
    assert "Kelas Manajemen Talenta ASN" in html and 'data-testid="response-form"' in html

    client_as("atasan").post(respond(agreement), {"decision": "setuju"})

    assert status_of(agreement) == AgreementStatus.ACTIVE


def test_self_learning_needs_at_least_one_source(demo, client_as):
    area = make_area(emp(demo.pegawai))

    response = client_as("pegawai").post(
        reverse("records:agreement_self_learning_new"), self_learning_form(area, [])
    )

    assert "Sebutkan paling sedikit satu sumber pembelajaran." in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_source_row_with_a_link_but_no_title_is_refused(demo, client_as):
    area = make_area(emp(demo.pegawai))
    rows = [("buku", "Buku A", ""), ("video", "", "https://video.example/x")]

    response = client_as("pegawai").post(
        reverse("records:agreement_self_learning_new"), self_learning_form(area, rows)
    )

    assert response.status_code == 200
    assert not Agreement.objects.exists()
    assert not LearningSource.objects.exists()


def test_the_self_learning_page_offers_five_source_rows(demo, client_as):
    make_area(emp(demo.pegawai))

    html = client_as("pegawai").get(reverse("records:agreement_self_learning_new")).content
    html = html.decode()

    assert html.count('data-testid="source-row"') == 5
    assert 'for="id_sumber-4-title"' in html  # every input has its label


def test_without_an_area_this_year_the_employee_is_sent_to_set_one(demo, client_as):
    html = client_as("pegawai").get(reverse("records:agreement_self_learning_new")).content
    assert reverse("records:area_list") in html.decode()


# --- declining, wrong parties -------------------------------------------------------------------


def test_declining_needs_a_reason_and_changes_nothing_without_one(demo, client_as):
    agreement = propose_coaching(demo)

    response = client_as("pegawai").post(
        respond(agreement), {"decision": "tolak", "reason": "  "}, follow=True
    )

    assert "Tuliskan alasan penolakan." in shown_messages(response)
    assert status_of(agreement) == AgreementStatus.AWAITING_EMPLOYEE


def test_a_declined_agreement_shows_the_reason(demo, client_as):
    agreement = propose_coaching(demo)

    client_as("pegawai").post(
        respond(agreement), {"decision": "tolak", "reason": "Jadwal bentrok dengan diklat"}
    )

    assert status_of(agreement) == AgreementStatus.DECLINED
    html = client_as("atasan").get(detail(agreement)).content.decode()
    assert "Jadwal bentrok dengan diklat" in html.split('data-testid="decline-reason"', 1)[1]


def test_the_wrong_party_answering_changes_nothing(demo, client_as):
    agreement = propose_coaching(demo)  # waits for Cahya

    for role in ("atasan", "pengelola", "pimpinan", "biro"):
        response = client_as(role).post(respond(agreement), {"decision": "setuju"}, follow=True)
        assert NOT_WAITING in shown_messages(response), role

    assert status_of(agreement) == AgreementStatus.AWAITING_EMPLOYEE


def test_a_second_answer_changes_nothing(demo, client_as):
    agreement = propose_coaching(demo)
    client_as("pegawai").post(respond(agreement), {"decision": "setuju"})

    client_as("pegawai").post(respond(agreement), {"decision": "tolak", "reason": "Berubah"})

    assert status_of(agreement) == AgreementStatus.ACTIVE


def test_an_answer_without_a_decision_is_refused(demo, client_as):
    agreement = propose_coaching(demo)

    response = client_as("pegawai").post(respond(agreement), {"decision": "mungkin"}, follow=True)

    assert response.redirect_chain[-1][0] == detail(agreement)
    assert status_of(agreement) == AgreementStatus.AWAITING_EMPLOYEE


def test_the_answer_returns_to_the_list_it_came_from_but_never_off_site(demo, client_as):
    agreement = propose_coaching(demo)
    client = client_as("pegawai")

    response = client.post(
        respond(agreement), {"decision": "tolak", "next": "https://evil.example/"}
    )
    assert response["Location"] == detail(agreement)

    response = client.post(
        respond(agreement), {"decision": "setuju", "next": reverse("records:agreement_list")}
    )
    assert response["Location"] == reverse("records:agreement_list")


def test_the_outsider_cannot_see_or_answer_anything(demo, client_as):
    agreements = [
        propose_coaching(demo),
        request_mentoring(demo, mentor=emp(demo.mentor)),
    ]
    outsider = client_as("outsider")

    for agreement in agreements:
        assert outsider.get(detail(agreement)).status_code == 404
        assert outsider.post(respond(agreement), {"decision": "setuju"}).status_code == 404
    html = outsider.get(reverse("records:agreement_list")).content.decode()
    assert "Menyusun instrumen" not in html and "Penyusunan kebijakan" not in html


# --- the list -----------------------------------------------------------------------------------


def test_the_list_shows_what_waits_then_mine_then_as_atasan(demo, client_as):
    coaching = propose_coaching(demo)
    mentoring = request_mentoring(demo, mentor=emp(demo.mentor))

    pegawai = client_as("pegawai").get(reverse("records:agreement_list")).content.decode()
    waiting = pegawai.split('id="menunggu"', 1)[1].split('data-testid="mine"', 1)[0]
    assert coaching.title in waiting and respond(coaching) in waiting
    assert mentoring.title not in waiting  # waits for the atasan
    mine = pegawai.split('data-testid="mine"', 1)[1]
    assert coaching.title in mine and mentoring.title in mine
    assert 'data-testid="as-party"' not in pegawai  # Cahya is nobody's atasan or mentor

    atasan = client_as("atasan").get(reverse("records:agreement_list")).content.decode()
    waiting = atasan.split('id="menunggu"', 1)[1].split('data-testid="mine"', 1)[0]
    assert mentoring.title in waiting and coaching.title not in waiting
    as_party = atasan.split('data-testid="as-party"', 1)[1]
    assert coaching.title in as_party and mentoring.title in as_party
    assert reverse("records:agreement_coaching_new") in atasan


def test_the_list_takes_the_same_queries_for_one_or_many_agreements(demo, client_as):
    atasan = client_as("atasan")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert atasan.get(reverse("records:agreement_list")).status_code == 200
        return len(queries)

    propose_coaching(demo)
    request_mentoring(demo, mentor=emp(demo.mentor))
    one = count()
    for _ in range(3):
        propose_coaching(demo)
        request_mentoring(demo, mentor=emp(demo.mentor))
        agreement_propose_self_learning(
            employee=emp(demo.pegawai), area=make_area(emp(demo.pegawai)), title="BM",
            goal="", sources=[{"kind": "buku", "title": "Buku"}], actor=demo.pegawai,
        )  # fmt: skip
    assert count() == one


# --- the navigation count -----------------------------------------------------------------------


def test_waiting_count_counts_for_employee_atasan_and_mentor(demo):
    def counts() -> tuple[int, int, int]:
        return tuple(
            waiting_count(roles_for(get_user_model().objects.get(pk=user.pk)))
            for user in (demo.pegawai, demo.atasan, demo.mentor)
        )

    assert counts() == (0, 0, 0)
    propose_coaching(demo)
    assert counts() == (1, 0, 0)
    mentoring = request_mentoring(demo, mentor=emp(demo.mentor))
    assert counts() == (1, 1, 0)
    agreement_respond(agreement=mentoring, actor=emp(demo.atasan), accept=True)
    assert counts() == (1, 0, 1)
    agreement_respond(agreement=mentoring, actor=emp(demo.mentor), accept=True)
    assert counts() == (1, 0, 0)


def test_waiting_count_is_zero_without_an_employee_and_one_query_with_one(
    demo, django_assert_num_queries
):
    assert waiting_count(NO_ROLES) == 0
    propose_coaching(demo)
    roles = roles_for(demo.pegawai)
    with django_assert_num_queries(1):
        assert waiting_count(roles) == 1
