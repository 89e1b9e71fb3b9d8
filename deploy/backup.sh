#!/usr/bin/env bash
# Back up the portal: the database (DATABASE_URL) and the private uploads (MEDIA_ROOT: evidence,
# issued certificates, submitted recaps) into one timestamped folder with a SHA256SUMS file.
#
#   deploy/backup.sh [BACKUP_ROOT]        (default: $BACKUP_ROOT, else var/backups)
#
# PostgreSQL: `pg_dump -Fc` (a consistent snapshot, restored with pg_restore).
# SQLite (the embedded default): SQLite's online backup API, safe while the portal runs.
# Prints the new folder's path on the last line. See deploy/restore.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077  # backups hold personal data: readable by the owner only

if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python; fi
fi
root=${1:-${BACKUP_ROOT:-var/backups}}
database_url=${DATABASE_URL:-sqlite:///$PWD/var/cmb_portal.sqlite3}
media_root=${MEDIA_ROOT:-$PWD/var/media}

stamp=$(date -u +%Y%m%dT%H%M%SZ)
dest="$root/cmb-$stamp"
if [ -e "$dest" ]; then
  echo "backup: $dest sudah ada; coba lagi sedetik kemudian." >&2
  exit 1
fi
mkdir -p "$dest"
trap 'status=$?; [ $status -ne 0 ] && rm -rf "$dest"; exit $status' EXIT

# The engine and (for SQLite) the file, read the way the settings read them.
read -r engine sqlite_path < <(DATABASE_URL="$database_url" "$PYTHON" -c '
import os, dj_database_url
db = dj_database_url.parse(os.environ["DATABASE_URL"])
engine = db["ENGINE"].rsplit(".", 1)[-1]
print(engine, db["NAME"] if engine == "sqlite3" else "-")
')

case "$engine" in
  postgresql)
    pg_dump --format=custom --no-owner --no-acl --dbname="$database_url" --file="$dest/database.dump"
    ;;
  sqlite3)
    [ -f "$sqlite_path" ] || { echo "backup: basis data SQLite $sqlite_path tidak ada." >&2; exit 1; }
    "$PYTHON" - "$sqlite_path" "$dest/database.sqlite3" <<'PY'
import sqlite3, sys
source = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
target = sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)  # page-by-page copy of a consistent state, WAL included
ok = target.execute("PRAGMA integrity_check").fetchone()[0]
target.close()
source.close()
sys.exit(0 if ok == "ok" else f"backup: integrity_check: {ok}")
PY
    ;;
  *)
    echo "backup: mesin basis data $engine tidak didukung (hanya PostgreSQL dan SQLite)." >&2
    exit 1
    ;;
esac

# The uploads; an empty archive when nothing was uploaded yet.
mkdir -p "$media_root"
tar -czf "$dest/media.tar.gz" -C "$media_root" .

cat >"$dest/MANIFEST" <<INFO
created_utc=$stamp
engine=$engine
database=$( [ "$engine" = postgresql ] && echo database.dump || echo database.sqlite3 )
media=media.tar.gz
INFO
(cd "$dest" && sha256sum MANIFEST database.* media.tar.gz >SHA256SUMS)
echo "backup: selesai" >&2
echo "$dest"
