"""Signing in, the navigation, the language switch, the phone menu and the HR import, in a
real browser (Debian's Chromium) against the live server with the demo agency."""

import re

import pytest
from playwright.sync_api import expect

from tests.test_navigation import NAVIGATION

from . import sign_in

NAV_ITEMS = "[data-testid=nav] [data-nav]"


@pytest.mark.parametrize("login", sorted(NAVIGATION))
def test_each_demo_login_signs_in_and_sees_its_own_navigation(signed_in, login):
    page = signed_in(login)
    items = page.locator(NAV_ITEMS)
    expect(items).to_have_count(len(NAVIGATION[login]))
    assert {key for key in items.evaluate_all("els => els.map(e => e.dataset.nav)")} == (
        NAVIGATION[login]
    )
    menu_items = page.locator("[data-testid=nav] .dropdown-menu [data-nav]")
    for item in page.locator("[data-testid=nav] [data-nav]:not(.dropdown-item)").all():
        expect(item).to_be_visible()
    # The reports live behind one "Laporan" menu: opening it shows every one of them.
    for item in menu_items.all():
        expect(item).to_be_hidden()
    page.locator("[data-nav-menu=reports]").click()
    for item in menu_items.all():
        expect(item).to_be_visible()


def test_a_wrong_password_shows_the_indonesian_error_and_stays_on_the_sign_in_page(site, page):
    sign_in(page, site, "pegawai", password="salah")
    expect(page.get_by_text("NIP/nama pengguna atau kata sandi salah.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/masuk/$"))
    expect(page.get_by_role("heading", name="Masuk ke CMB Portal")).to_be_visible()
    expect(page.locator(NAV_ITEMS)).to_have_count(0)


def test_the_footer_switches_the_sign_in_page_to_english_and_back(site, page):
    page.goto(f"{site}/masuk/")
    english = page.locator("footer button[name=language][value=en]")
    indonesian = page.locator("footer button[name=language][value=id]")
    expect(page.get_by_role("heading", name="Masuk ke CMB Portal")).to_be_visible()
    expect(indonesian).to_have_attribute("aria-current", "true")

    english.click()
    expect(page.get_by_role("heading", name="Sign in to CMB Portal")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/masuk/$"))
    expect(english).to_have_attribute("aria-current", "true")

    indonesian.click()
    expect(page.get_by_role("heading", name="Masuk ke CMB Portal")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_on_a_phone_the_menu_hides_behind_the_toggler(signed_in, phone_page):
    # Opening the collapsed menu needs the vendored Bootstrap JS: this proves it loads.
    page = signed_in("pengelola", phone_page)
    links = page.locator(NAV_ITEMS)
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.locator("#nav-main")).to_be_hidden()
    for link in links.all():
        expect(link).to_be_hidden()

    toggler.tap()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(links).to_have_count(len(NAVIGATION["pengelola"]))
    page.locator("[data-nav-menu=reports]").tap()
    for link in links.all():
        expect(link).to_be_visible()
    user_menu = page.get_by_test_id("user-menu")
    expect(user_menu).to_be_visible()
    expect(user_menu).to_contain_text("Nur Aini Rahmawati")


def test_signing_out_from_the_user_menu_returns_to_the_sign_in_page(site, signed_in):
    page = signed_in("pegawai")
    page.get_by_test_id("user-menu").click()
    sign_out = page.get_by_role("button", name="Keluar")
    expect(sign_out).to_be_visible()
    sign_out.click()
    expect(page).to_have_url(f"{site}/masuk/")
    expect(page.get_by_role("heading", name="Masuk ke CMB Portal")).to_be_visible()

    page.goto(f"{site}/")  # the session is really gone
    expect(page).to_have_url(re.compile(r"/masuk/\?next=/$"))


def test_a_pengelola_imports_employees_from_a_csv_file(site, signed_in, tmp_path):
    upload = tmp_path / "pegawai.csv"
    upload.write_text(
        "NIP,Nama,Golongan,Jabatan,Unit,NIP Atasan\n"
        "199502022020012002,Budi Santoso,III/a,Staf,biro-sdm,198204122006042003\n"
        "12345,Nama Salah,III/a,Staf,biro-sdm,\n",
        encoding="utf-8",
    )
    page = signed_in("pengelola")
    page.locator("[data-testid=nav] [data-nav-menu=reports]").click()
    page.locator("[data-testid=nav] [data-nav=import]").click()
    expect(page).to_have_url(f"{site}/pegawai/impor/")

    page.get_by_label("Berkas pegawai (CSV atau XLSX)").set_input_files(upload)
    dry_run = page.get_by_label("Periksa saja, jangan simpan")
    expect(dry_run).to_be_checked()
    dry_run.uncheck()
    page.get_by_role("button", name="Proses berkas").click()

    expect(page.get_by_test_id("import-summary")).to_have_text(
        "1 dibuat, 0 diperbarui, 0 tidak berubah, 1 ditolak."
    )
    expect(page.get_by_role("heading", name="Hasil impor")).to_be_visible()
    expect(page.locator("tr.table-danger")).to_have_count(1)
    expect(page.locator("tr.table-danger")).to_contain_text("12345")

    page.goto(f"{site}/pegawai/?q=Budi")  # saved for real, not a dry run
    expect(page.locator("main")).to_contain_text("Budi Santoso")
