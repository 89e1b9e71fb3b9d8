"""Fixed personas shared by all tests, built through the real services (records.demo).

pegawai (Cahya) -> atasan (Diah) -> pimpinan (head of Biro SDM); pengelola of Biro SDM;
biro (Biro SDM staff); mentor (senior employee in another unit); outsider (a plain employee
of another unit with no relation to anyone above).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from records.demo import DEMO_PASSWORD, seed_demo

ROLES = ("anonymous", "pegawai", "atasan", "pengelola", "pimpinan", "biro")
OUTSIDER_NIP = "199409092018011004"  # Galih Ramadhan, Kantor Regional I


@dataclass
class Personas:
    pegawai: object
    atasan: object
    mentor: object
    pengelola: object
    pimpinan: object
    biro: object
    outsider: object
    password: str = DEMO_PASSWORD

    def user(self, role: str):
        return getattr(self, role)

    def client_for(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.user(role))
        return client


@pytest.fixture
def demo(db) -> Personas:
    seed_demo()
    users = get_user_model().objects.in_bulk(
        ["pegawai", "atasan", "mentor", "pengelola", "pimpinan", "biro"], field_name="username"
    )
    outsider = get_user_model().objects.get(employee__nip=OUTSIDER_NIP)
    return Personas(outsider=outsider, **users)


@pytest.fixture
def client_as(demo):
    return demo.client_for


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need real row locks. On SQLite they are deselected (reported,
    not skipped); CI's PostgreSQL run sets CMB_REQUIRE_POSTGRES_TESTS=1, where running them on
    anything else is an error."""
    import os

    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if on_postgres:
        return
    if os.environ.get("CMB_REQUIRE_POSTGRES_TESTS") == "1":
        raise pytest.UsageError("CMB_REQUIRE_POSTGRES_TESTS=1 but DATABASE_URL is not PostgreSQL")
    wanted = [item for item in items if "postgres" not in item.keywords]
    dropped = [item for item in items if "postgres" in item.keywords]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = wanted


@pytest.fixture(scope="session")
def _serialized_database(django_db_setup, django_db_blocker):
    """Django's serialized copy of the test database (the rows data migrations create), taken
    once, before any test can start the browser."""
    from django.db import connections

    return {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }


@pytest.fixture(autouse=True)
def _keep_the_serialized_copy(_serialized_database):
    """While Playwright runs, the test thread sees a fresh connection object without that copy,
    so serialized_rollback would restore nothing after a flush. Hand it back before each test."""
    from django.db import connections

    for alias, contents in _serialized_database.items():
        connection = connections[alias]
        if contents and not getattr(connection, "_test_serialized_contents", None):
            connection._test_serialized_contents = contents


@pytest.fixture
def _django_db_helper(_keep_the_serialized_copy, _django_db_helper):
    """pytest-django's own database fixture (its setup restores the serialized copy for
    serialized_rollback tests), made to run after the copy is handed back: its autouse marker
    fixture would otherwise start it first, and a browser test after a flushing test (the
    PostgreSQL concurrency tests) would find the reference data gone."""
    return _django_db_helper
