import logging
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.utils import timezone

from records.models import Employee
from records.services import employee_import

CAHYA_NIP = "199708212020122005"


def sign_in(client, username, password="demo12345", address="10.0.0.1"):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_employee_signs_in_with_their_nip(demo):
    client = Client()
    response = sign_in(client, CAHYA_NIP)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == demo.pegawai.pk


def test_a_grouped_nip_and_a_username_work_too(demo):
    assert sign_in(Client(), "19970821 202012 2 005").status_code == 302
    assert sign_in(Client(), "pegawai").status_code == 302


def test_a_wrong_password_shows_an_indonesian_error(demo):
    response = sign_in(Client(), "pegawai", password="salah")
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()


def test_the_session_id_changes_at_sign_in(demo):
    client = Client()
    client.get("/masuk/")
    client.session.save()
    before = client.session.session_key
    sign_in(client, "pegawai")
    assert client.session.session_key != before


def test_idle_sessions_expire_and_are_renewed_on_use(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_a_password_change_ends_the_users_other_sessions(demo):
    phone, laptop = Client(), Client()
    sign_in(phone, "pegawai")
    sign_in(laptop, "pegawai")
    response = laptop.post(
        "/akun/kata-sandi/",
        {
            "old_password": "demo12345",
            "new_password1": "Kopi-Tubruk-2026!",
            "new_password2": "Kopi-Tubruk-2026!",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200  # the session that changed it stays
    assert phone.get("/").status_code == 302  # the other one is signed out


def test_password_reset_sends_a_link_by_email(demo):
    response = Client().post("/akun/lupa/", {"email": "pegawai@demo.cmb.go.id"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/akun/reset/" in mail.outbox[0].body


def test_an_imported_employee_sets_their_first_password_through_the_reset_mail(demo):
    nip = "199502022020012002"
    row = {"nip": nip, "nama": "Budi", "golongan": "III/a", "jabatan": "Staf", "unit": "biro-umum"}
    employee_import(rows=[{**row, "email": "budi@demo.cmb.go.id"}], allowed_unit_ids=None)
    assert not Employee.objects.get(nip=nip).user.has_usable_password()

    client = Client()
    assert client.post("/akun/lupa/", {"email": "BUDI@demo.cmb.go.id"}).status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["budi@demo.cmb.go.id"]
    link = re.search(r"/akun/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Kopi-Tubruk-2026!", "new_password2": "Kopi-Tubruk-2026!"},
    )
    assert response.status_code == 302
    assert sign_in(Client(), nip, password="Kopi-Tubruk-2026!").status_code == 302


def test_an_inactive_account_gets_no_reset_mail(demo):
    demo.pegawai.is_active = False
    demo.pegawai.save(update_fields=["is_active"])
    Client().post("/akun/lupa/", {"email": "pegawai@demo.cmb.go.id"})
    assert mail.outbox == []


class TestThrottling:
    def fail(self, client, username="pegawai", address="10.0.0.1", times=5):
        for _ in range(times):
            sign_in(client, username, password="salah", address=address)

    def test_it_locks_a_username_from_one_address_after_repeated_failures(self, demo):
        client = Client()
        self.fail(client)
        response = sign_in(client, "pegawai")  # even the right password
        assert response.status_code == 429
        assert "Terlalu banyak percobaan" in response.content.decode()

    def test_nip_spellings_and_the_username_share_one_count(self, demo):
        client = Client()
        for typed in (CAHYA_NIP, "19970821 202012 2 005", "pegawai", " 1997 0821 2020 122005"):
            self.fail(client, username=typed, times=1)
        assert sign_in(client, "pegawai").status_code == 302  # four failures: not yet locked
        client = Client()
        for typed in (CAHYA_NIP, "19970821 202012 2 005", "pegawai", "199708 21202012 2005"):
            self.fail(client, username=typed, times=1)
        self.fail(client, username="19970821 202012 2 005", times=1)  # the fifth
        for typed in ("pegawai", CAHYA_NIP, "19970821 202012 2 005"):
            assert sign_in(Client(), typed).status_code == 429, typed

    def test_colleagues_behind_the_same_address_are_not_locked_out(self, demo):
        self.fail(Client())
        assert sign_in(Client(), "atasan").status_code == 302

    def test_the_same_user_from_another_address_is_not_locked_out(self, demo):
        self.fail(Client())
        assert sign_in(Client(), "pegawai", address="10.0.0.2").status_code == 302

    def test_the_lockout_expires(self, demo, settings):
        self.fail(Client())
        assert sign_in(Client(), "pegawai").status_code == 429
        AccessAttempt.objects.update(
            attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(seconds=1)
        )
        assert sign_in(Client(), "pegawai").status_code == 302


def test_every_page_requires_sign_in_except_the_public_ones(db):
    client = Client()
    assert client.get("/").status_code == 302
    assert client.get("/pegawai/")["Location"].startswith("/masuk/")
    assert client.get("/masuk/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/akun/lupa/").status_code == 200


def test_healthz_checks_the_database(db):
    response = Client().get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok"}


def test_sign_ins_failures_and_refusals_are_logged_without_secrets(demo, caplog):
    caplog.set_level(logging.INFO, logger="cmb.security")
    sign_in(Client(), "pegawai", password="rahasia-salah", address="10.1.2.3")
    client = Client()
    sign_in(client, "pegawai", address="10.1.2.3")
    client.get("/pegawai/impor/", REMOTE_ADDR="10.1.2.3")
    text = caplog.text
    assert "failed sign-in username='pegawai' from=10.1.2.3" in text
    assert "sign-in user=pegawai from=10.1.2.3" in text
    assert "refused access" in text and "path=/pegawai/impor/" in text
    assert "rahasia-salah" not in text and "demo12345" not in text


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_sign_in_page_speaks_the_chosen_language(db, language):
    client = Client()
    client.post("/bahasa/", {"language": language, "next": "/masuk/"})
    text = client.get("/masuk/").content.decode()
    assert ("Masuk ke CMB Portal" in text) == (language == "id")
    assert ("Sign in to CMB Portal" in text) == (language == "en")


def test_indonesian_is_the_default_whatever_the_browser_prefers(db):
    text = Client().get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Masuk ke CMB Portal" in text
