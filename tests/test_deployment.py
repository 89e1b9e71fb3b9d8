import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connection

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
