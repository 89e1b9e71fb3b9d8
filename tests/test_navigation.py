import re

import pytest
from django.test import Client

# What each demo login sees in the main navigation (data-nav keys in templates/nav_items.html).
EMPLOYEE = {"home", "records", "areas", "agreements", "mycertificates"}
ATASAN = EMPLOYEE | {"approvals"}
NAVIGATION = {
    "pegawai": EMPLOYEE,
    "atasan": ATASAN | {"team"},
    "mentor": ATASAN | {"team"},
    "pengelola": EMPLOYEE | {"employees", "import", "recap", "evaluation", "unittable"},
    "pimpinan": ATASAN | {"employees", "recap", "evaluation", "unittable", "monitoring"},
    "biro": EMPLOYEE
    | {
        "employees",
        "import",
        "verification",
        "recap",
        "unittable",
        "monitoring",
        "recapstatus",
        "certificates",
        "evaluation",
    },
}


def nav_keys(html: str) -> set[str]:
    nav = html.split('data-testid="nav"', 1)[1].split('data-testid="nav-end"', 1)[0]
    return set(re.findall(r'data-nav="([a-z]+)"', nav))


@pytest.mark.parametrize("login", sorted(NAVIGATION))
def test_each_demo_login_signs_in_and_sees_its_own_navigation(demo, login):
    client = Client()
    response = client.post("/masuk/", {"username": login, "password": "demo12345"}, follow=True)
    assert response.status_code == 200
    assert nav_keys(response.content.decode()) == NAVIGATION[login]


def test_an_atasan_sees_only_their_own_team(client_as):
    html = client_as("atasan").get("/pegawai/").content.decode()
    assert "Cahya" in html
    assert "Galih Ramadhan" not in html  # another unit, not her staff


def test_a_pengelola_sees_their_unit_only(client_as):
    html = client_as("pengelola").get("/pegawai/").content.decode()
    assert "Cahya" in html
    assert "Siti Nurhaliza" not in html  # Biro Umum


def test_biro_sdm_sees_everyone(client_as):
    html = client_as("biro").get("/pegawai/?q=Siti").content.decode()
    assert "Siti Nurhaliza" in html


def test_the_home_page_shows_the_profile_with_pangkat(client_as):
    html = client_as("pegawai").get("/").content.decode()
    assert "Penata Muda Tingkat I (III/b)" in html
    assert "Diah Kusuma Ismuwardanni, S.Psi., M.Si." in html
