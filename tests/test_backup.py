"""deploy/backup.sh and deploy/restore.sh, run for real: a scratch database is seeded (demo
agency, verified sessions, an evidence file), backed up, restored into a second scratch database,
and both are compared model by model, with the audit chain's head and the evidence bytes.

The SQLite variant runs everywhere; the PostgreSQL one is marked `postgres` (CI's PostgreSQL run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/"

SEED = """
import io
from PIL import Image
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from records.models import Agreement, Session
from records.services import evidence_add, session_create

call_command("seed_demo", verbosity=0)
assert Session.objects.filter(status="verified").count() >= 4
done = Session.objects.filter(status="verified", agreement__kind="coaching").first()
fields = {f: getattr(done, f) for f in (
    "date", "start_time", "end_time", "place", "mode", "scope", "needs", "responsibility",
    "activity", "result")}
draft = session_create(agreement=done.agreement, actor=done.agreement.employee, **fields)
buffer = io.BytesIO()
Image.new("RGB", (5, 3), "teal").save(buffer, "PNG")
evidence_add(session=draft, actor=draft.agreement.employee,
             upload=SimpleUploadedFile("foto kegiatan.png", buffer.getvalue()))
"""

SNAPSHOT = """
import hashlib, json
from django.apps import apps
from approvals.models import AuditHead
from records.models import Evidence

counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
head = AuditHead.objects.get(pk=1)
files = {e.file.name: hashlib.sha256(e.file.read()).hexdigest() for e in Evidence.objects.all()}
print(json.dumps({"counts": counts, "head": [head.seq, head.hash], "files": files}))
"""


def _env(database_url: str, media_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cmb_portal.settings_test",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "PYTHON": sys.executable,
    }


def _run(args, env, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603  (fixed commands of this test)
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if check and result.returncode != 0:
        pytest.fail(f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def _manage(env, *args) -> str:
    return _run([sys.executable, "manage.py", *args], env).stdout


def _snapshot(env) -> dict:
    return json.loads(_manage(env, "shell", "-c", SNAPSHOT).strip().splitlines()[-1])


def _round_trip(tmp_path: Path, source_url: str, target_url: str) -> None:
    source = _env(source_url, tmp_path / "media")
    _manage(source, "migrate", "--noinput", "-v0")
    _manage(source, "shell", "-c", SEED)
    before = _snapshot(source)
    assert before["counts"]["approvals.AuditEntry"] > 0
    assert len(before["files"]) == 1

    backup = _run(["bash", "deploy/backup.sh", str(tmp_path / "backups")], source)
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "backups" and folder.name.startswith("cmb-")
    listed = (folder / "SHA256SUMS").read_text()
    assert "media.tar.gz" in listed and "database." in listed and "MANIFEST" in listed

    target = _env(target_url, tmp_path / "restored-media")
    restored = _run(["bash", "deploy/restore.sh", str(folder)], target)
    assert "Rantai audit utuh" in restored.stdout

    after = _snapshot(target)
    assert after["counts"] == before["counts"]
    assert after["head"] == before["head"]
    assert after["files"] == before["files"]  # the evidence came back byte for byte

    # Restoring again over the now non-empty database is refused unless --force.
    again = _run(["bash", "deploy/restore.sh", str(folder)], target, check=False)
    assert again.returncode != 0 and "--force" in again.stderr
    forced = _run(["bash", "deploy/restore.sh", "--force", str(folder)], target)
    assert "Rantai audit utuh" in forced.stdout
    assert _snapshot(target) == before

    # A damaged backup is refused before anything is touched.
    with open(folder / "media.tar.gz", "ab") as archive:
        archive.write(b"x")
    damaged = _run(["bash", "deploy/restore.sh", "--force", str(folder)], target, check=False)
    assert damaged.returncode != 0 and "checksum" in damaged.stderr


def test_sqlite_backup_restores_every_row_the_audit_chain_and_the_evidence(tmp_path):
    _round_trip(
        tmp_path,
        f"sqlite:///{tmp_path / 'source.sqlite3'}",
        f"sqlite:///{tmp_path / 'restored.sqlite3'}",
    )


@pytest.mark.postgres
def test_postgres_backup_restores_every_row_the_audit_chain_and_the_evidence(tmp_path):
    suffix = uuid.uuid4().hex[:8]
    names = [f"cmb_backup_src_{suffix}", f"cmb_backup_dst_{suffix}"]
    admin = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    for name in names:
        _run(["psql", PG + "postgres", "-qc", f"CREATE DATABASE {name}"], admin)
    try:
        _round_trip(tmp_path, PG + names[0], PG + names[1])
    finally:
        for name in names:
            _run(
                ["psql", PG + "postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                admin,
            )
