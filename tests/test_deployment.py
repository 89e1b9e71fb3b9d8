import datetime
import importlib.util
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "cmb.example.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://cmb.example.go.id",
    "DATABASE_URL": "postgres://cmb@db.example.go.id:5432/cmb",
}


# Variables the test settings set for themselves; a production process has none of them.
TEST_ONLY = {
    "DJANGO_SETTINGS_MODULE",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "MEDIA_ROOT",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
}


def production_env(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(PRODUCTION_ENV, **overrides)
    return env


def test_check_deploy_passes_with_production_settings():
    env = production_env()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_migrations_match_the_models(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_the_database_is_configured_for_several_users_at_once(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # WAL, write lock taken at BEGIN, and a wait instead of "database is locked".
            assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
            assert connection.settings_dict["OPTIONS"]["timeout"] >= 5
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
        else:
            assert connection.vendor == "postgresql"
            cursor.execute("SHOW default_transaction_isolation")
            assert cursor.fetchone()[0] == "read committed"


@override_settings(ALLOWED_HOSTS=["cmb.example.go.id"], SECURE_SSL_REDIRECT=True)
def test_the_container_health_probe_passes_the_host_check_and_https_redirect(db):
    client = Client()
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]
    # Every other page still checks the host, and the real host is still sent to HTTPS.
    assert client.get("/masuk/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.post("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get("/masuk/", HTTP_HOST="cmb.example.go.id")["Location"].startswith("https://")


def load_gunicorn_conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "deploy/gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("logged", "expected"),
    [
        (
            "GET /akun/reset/MQ/cxyz12-0123456789abcdef0123/ HTTP/1.1",
            "GET /akun/reset/*** HTTP/1.1",
        ),
        ("/akun/reset/MQ/set-password/?x=1", "/akun/reset/***?x=1"),
        (
            "https://cmb.example.go.id/AKUN/reset/MQ/tok/",
            "https://cmb.example.go.id/AKUN/reset/***",
        ),
        (
            "/masuk/?next=%2Fakun%2Freset%2FMQ%2Ftok%2F&a=1",
            "/masuk/?next=%2Fakun%2Freset%2F***&a=1",
        ),
        ("GET /akun/reset/selesai/ HTTP/1.1", "GET /akun/reset/selesai/ HTTP/1.1"),
        ("GET /akun/lupa/ HTTP/1.1", "GET /akun/lupa/ HTTP/1.1"),
    ],
)
def test_the_access_log_masks_password_reset_links(logged, expected):
    assert load_gunicorn_conf().mask_reset_links(logged) == expected


def test_every_access_log_field_is_masked():
    from gunicorn.config import Config

    conf = load_gunicorn_conf()
    secret = "/akun/reset/MQ/cxyz12-0123456789abcdef0123/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": secret,
        "PATH_INFO": secret,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://cmb.example.go.id" + secret,
    }
    resp = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", secret)])
    req = SimpleNamespace(headers=[("REFERER", "https://cmb.example.go.id" + secret)])
    atoms = conf.MaskingLogger(Config()).atoms(resp, req, environ, datetime.timedelta(0))
    assert atoms["r"] == "GET /akun/reset/*** HTTP/1.1"
    assert not [key for key, value in atoms.items() if "cxyz12" in str(value)]
    assert conf.logger_class is conf.MaskingLogger


def test_start_sh_runs_gunicorn_with_the_masking_config():
    assert '--config "$(dirname "$0")/gunicorn.conf.py"' in (ROOT / "deploy/start.sh").read_text()


def test_django_log_lines_mask_reset_links_too():
    """ "Not Found: <path>" and "Internal Server Error: <path>" would carry the token."""
    import logging

    from django.conf import settings

    from cmb_portal.logmask import MaskResetLinks

    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/akun/reset/MQ/c4-tk/",),
        None,
    )
    assert MaskResetLinks().filter(record) is True
    assert record.getMessage() == "Not Found: /akun/reset/***"
    assert "mask_reset_links" in settings.LOGGING["handlers"]["console"]["filters"]
    handlers = logging.getLogger().handlers
    assert any(isinstance(f, MaskResetLinks) for h in handlers for f in h.filters)
