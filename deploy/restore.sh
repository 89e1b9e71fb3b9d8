#!/usr/bin/env bash
# Restore a folder made by deploy/backup.sh into DATABASE_URL and MEDIA_ROOT, then prove the
# audit trail survived (`manage.py verify_audit_chain`).
#
#   deploy/restore.sh [--force] BACKUP_DIR
#
# The target database must be empty (a fresh `createdb`, or a SQLite file that does not exist
# yet) and MEDIA_ROOT empty: restoring over live data needs --force, which replaces them.
# Stop the portal (web and db_worker) before restoring. Run `manage.py migrate` afterwards
# only when restoring into a newer release.
set -euo pipefail
cd "$(dirname "$0")/.."

force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "pemakaian: deploy/restore.sh [--force] FOLDER_CADANGAN" >&2
  exit 2
fi
src=$(cd "$1" && pwd)

if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python; fi
fi
database_url=${DATABASE_URL:-sqlite:///$PWD/var/cmb_portal.sqlite3}
media_root=${MEDIA_ROOT:-$PWD/var/media}

# 1. The backup is whole: every file matches its checksum.
(cd "$src" && sha256sum --check --quiet SHA256SUMS) || {
  echo "restore: checksum tidak cocok; cadangan rusak atau tidak lengkap." >&2
  exit 1
}
backup_engine=$(sed -n 's/^engine=//p' "$src/MANIFEST")

read -r engine sqlite_path < <(DATABASE_URL="$database_url" "$PYTHON" -c '
import os, dj_database_url
db = dj_database_url.parse(os.environ["DATABASE_URL"])
engine = db["ENGINE"].rsplit(".", 1)[-1]
print(engine, db["NAME"] if engine == "sqlite3" else "-")
')
if [ "$engine" != "$backup_engine" ]; then
  echo "restore: cadangan ini dari $backup_engine, tujuan $engine; gunakan dumpdata/loaddata" \
       "untuk berpindah mesin basis data (lihat README)." >&2
  exit 1
fi

# 2. Refuse to overwrite data unless asked to.
if [ -d "$media_root" ] && [ -n "$(ls -A "$media_root")" ] && [ $force -eq 0 ]; then
  echo "restore: MEDIA_ROOT ($media_root) tidak kosong; tambahkan --force untuk menimpanya." >&2
  exit 1
fi

case "$engine" in
  postgresql)
    tables=$(psql "$database_url" -Atqc \
      "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
    if [ "$tables" != 0 ] && [ $force -eq 0 ]; then
      echo "restore: basis data tujuan berisi $tables tabel; tambahkan --force untuk menimpanya." >&2
      exit 1
    fi
    clean=()
    [ "$tables" != 0 ] && clean=(--clean --if-exists)
    pg_restore --no-owner --no-acl --exit-on-error --single-transaction "${clean[@]}" \
      --dbname="$database_url" "$src/database.dump"
    ;;
  sqlite3)
    if [ -s "$sqlite_path" ] && [ $force -eq 0 ]; then
      tables=$("$PYTHON" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT count(*) FROM sqlite_master WHERE type = '"'"'table'"'"'").fetchone()[0])' "$sqlite_path")
      if [ "$tables" != 0 ]; then
        echo "restore: basis data tujuan berisi $tables tabel; tambahkan --force untuk menimpanya." >&2
        exit 1
      fi
    fi
    mkdir -p "$(dirname "$sqlite_path")"
    "$PYTHON" - "$src/database.sqlite3" "$sqlite_path" <<'PY'
import sqlite3, sys
source = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
target = sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)  # replaces every page of the target, through SQLite's own locking
target.close()
source.close()
PY
    ;;
  *)
    echo "restore: mesin basis data $engine tidak didukung." >&2
    exit 1
    ;;
esac

# 3. The uploads. With --force the old files go, so nothing stale survives the restore.
if [ $force -eq 1 ] && [ -d "$media_root" ]; then
  find "$media_root" -mindepth 1 -delete
fi
mkdir -p "$media_root"
tar -xzf "$src/media.tar.gz" -C "$media_root"

# 4. The audit trail is intact (non-zero exit and the first broken link otherwise).
DATABASE_URL="$database_url" MEDIA_ROOT="$media_root" "$PYTHON" manage.py verify_audit_chain
echo "restore: selesai dari $src" >&2
