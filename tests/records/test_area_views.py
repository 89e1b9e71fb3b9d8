"""Area pengembangan: my development areas per year, and the form to add one."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from records.models import CompetencyType, DevelopmentArea, ManagerialCompetency
from records.services import area_create

COACHING_HINT = "Coaching: kesenjangan kecil, biasanya karena motivasi atau kejenuhan"
MENTORING_HINT = "Mentoring: kesenjangan besar karena kurang keterampilan/keahlian dan pengalaman"


def this_year() -> int:
    return timezone.localdate().year


def url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("records:area_list") + (f"?{query}" if query else "")


def make_area(employee, *, year=None, competency="Analisis kebutuhan pelatihan", current=2,
              required=3, **extra):  # fmt: skip
    return area_create(
        employee=employee,
        year=year or this_year(),
        competency_type=extra.pop("competency_type", CompetencyType.TEKNIS),
        competency=competency,
        current_level=current,
        required_level=required,
        **extra,
    )


def form_data(**overrides) -> dict:
    data = {
        "year": this_year(),
        "competency_type": CompetencyType.TEKNIS,
        "managerial": "",
        "competency": "Penyusunan analisis beban kerja",
        "current_level": 2,
        "required_level": 4,
        "notes": "Dibahas bersama atasan",
    }
    data.update(overrides)
    return data


def test_every_employee_may_open_it_anonymous_goes_to_sign_in(demo, client_as):
    response = client_as("anonymous").get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    for role in ("pegawai", "atasan", "mentor", "pengelola", "pimpinan", "biro", "outsider"):
        assert client_as(role).get(url()).status_code == 200, role


def test_a_user_without_an_employee_record_is_refused(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    assert client.get(url()).status_code == 403
    assert client.post(url(), form_data()).status_code == 403


def test_it_lists_only_my_areas_of_the_current_year_by_default(demo, client_as):
    cahya = demo.pegawai.employee
    make_area(cahya, competency="Analisis kebutuhan pelatihan")
    make_area(cahya, year=this_year() - 1, competency="Penulisan naskah dinas")
    make_area(demo.outsider.employee, competency="Administrasi jaringan")

    html = client_as("pegawai").get(url()).content.decode()

    assert "Analisis kebutuhan pelatihan" in html
    assert "Penulisan naskah dinas" not in html
    assert "Administrasi jaringan" not in html


def test_the_year_filter_shows_that_year(demo, client_as):
    make_area(demo.pegawai.employee, year=this_year() - 1, competency="Penulisan naskah dinas")

    html = client_as("pegawai").get(url(tahun=this_year() - 1)).content.decode()

    assert "Penulisan naskah dinas" in html


def test_it_creates_a_technical_area_with_free_text(demo, client_as):
    response = client_as("pegawai").post(url(), form_data())

    assert response.status_code == 302
    assert response["Location"] == url(tahun=this_year())
    area = DevelopmentArea.objects.get()
    assert area.employee == demo.pegawai.employee
    assert (area.competency, area.current_level, area.required_level) == (
        "Penyusunan analisis beban kerja", 2, 4,
    )  # fmt: skip
    assert area.managerial is None


def test_it_creates_a_managerial_area_from_the_eight_competencies(demo, client_as):
    komunikasi = ManagerialCompetency.objects.get(name="Komunikasi")
    data = form_data(
        competency_type=CompetencyType.MANAJERIAL, managerial=komunikasi.pk, competency="x",
        current_level=1, required_level=2,
    )  # fmt: skip

    client_as("pegawai").post(url(), data)

    area = DevelopmentArea.objects.get()
    assert area.managerial == komunikasi
    assert area.competency == ""  # the free text belongs to the other types only


def test_a_managerial_area_needs_a_managerial_competency(demo, client_as):
    data = form_data(competency_type=CompetencyType.MANAJERIAL, managerial="")

    response = client_as("pegawai").post(url(), data)

    assert response.status_code == 200
    assert "Pilih kompetensi manajerial." in response.content.decode()
    assert not DevelopmentArea.objects.exists()


def test_a_technical_area_needs_the_competency_written(demo, client_as):
    response = client_as("pegawai").post(url(), form_data(competency="  "))

    assert "Tuliskan kompetensi yang akan dikembangkan." in response.content.decode()
    assert not DevelopmentArea.objects.exists()


@pytest.mark.parametrize(("current", "required"), [(3, 3), (4, 2)])
def test_the_required_level_must_be_above_the_current_level(demo, client_as, current, required):
    response = client_as("pegawai").post(
        url(), form_data(current_level=current, required_level=required)
    )

    assert response.status_code == 200
    assert "harus lebih tinggi dari level saat ini" in response.content.decode()
    assert not DevelopmentArea.objects.exists()


def test_levels_outside_one_to_five_are_refused(demo, client_as):
    response = client_as("pegawai").post(url(), form_data(current_level=0, required_level=6))

    assert response.status_code == 200
    assert not DevelopmentArea.objects.exists()


def test_a_year_outside_the_offered_ones_is_refused(demo, client_as):
    client_as("pegawai").post(url(), form_data(year=this_year() - 5))

    assert not DevelopmentArea.objects.exists()


def test_it_shows_the_gap_and_the_langsa_guide_suggestion(demo, client_as):
    cahya = demo.pegawai.employee
    make_area(cahya, competency="Kompetensi kecil", current=3, required=4)
    make_area(cahya, competency="Kompetensi besar", current=1, required=4)

    html = client_as("pegawai").get(url()).content.decode()
    cards = [card.split("</article>")[0] for card in html.split('data-testid="area"')[1:]]

    small = next(c for c in cards if "Kompetensi kecil" in c)
    large = next(c for c in cards if "Kompetensi besar" in c)
    assert "kesenjangan 1" in small and COACHING_HINT in small and MENTORING_HINT not in small
    assert "kesenjangan 3" in large and MENTORING_HINT in large and COACHING_HINT not in large
    assert "Belajar mandiri selalu dapat dipilih." in small
    assert "Belajar mandiri selalu dapat dipilih." in large


def test_it_shows_the_managerial_level_descriptions_next_to_the_level_fields(demo, client_as):
    html = client_as("pegawai").get(url()).content.decode()
    table = html.split('data-testid="managerial-levels"', 1)[1].split("</details>", 1)[0]

    assert "Integritas" in table and "Pengambilan Keputusan" in table
    assert "Mengajak rekan bertindak sesuai nilai" in table  # Integritas, level 2
    assert "Membandingkan berbagai alternatif" in table  # Pengambilan Keputusan, level 3
    assert html.index('name="required_level"') < html.index('data-testid="managerial-levels"')


def test_current_areas_link_to_mentoring_and_self_learning_with_the_area(demo, client_as):
    area = make_area(demo.pegawai.employee)

    html = client_as("pegawai").get(url()).content.decode()

    assert f"{reverse('records:agreement_mentoring_new')}?area={area.pk}" in html
    assert f"{reverse('records:agreement_self_learning_new')}?area={area.pk}" in html


def test_the_page_takes_the_same_queries_for_one_or_many_areas(demo, client_as):
    cahya = demo.pegawai.employee
    client = client_as("pegawai")
    make_area(cahya)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url()).status_code == 200
        return len(queries)

    one = count()
    komunikasi = ManagerialCompetency.objects.get(name="Komunikasi")
    for _ in range(4):
        make_area(cahya, competency_type=CompetencyType.MANAJERIAL, managerial=komunikasi)
    assert count() == one
