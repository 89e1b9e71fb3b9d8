#!/usr/bin/env bash
# Load test: gunicorn + PostgreSQL with seed_bench's 10,000-employee agency, 50 Locust users
# (employees logging and submitting CMB, atasan approving, Biro SDM verifying), then a check
# that the database holds exactly what the users were told was saved, and the audit chain.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/cmb_bench bash deploy/loadtest.sh
#
# The database must already be seeded (manage.py seed_bench --employees 10000 --yes); it is
# changed by the run (new sessions, approvals, verifications), so seed a copy for each run or
# keep a template database. Traffic stays on 127.0.0.1. Options by environment: USERS (50),
# SPAWN_RATE (10), DURATION (3m), WEB_CONCURRENCY (gunicorn workers, 4), PORT (18800).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the seeded bench database}"
case "$DATABASE_URL" in *bench*) ;; *) echo "DATABASE_URL must name a *bench* database" >&2; exit 2;; esac
USERS=${USERS:-50} SPAWN_RATE=${SPAWN_RATE:-10} DURATION=${DURATION:-3m}
PORT=${PORT:-18800} WORKERS=${WEB_CONCURRENCY:-4}
BIN=.venv/bin
out=var/loadtest
mkdir -p "$out"

[ -x $BIN/python ] || python3.11 -m venv .venv
$BIN/pip install --quiet -e ".[load]"

export DATABASE_URL DEBUG=0 SECRET_KEY=${SECRET_KEY:-loadtest-only-secret-key}
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 LOG_LEVEL=WARNING
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend  # no mail leaves the box
export LOADTEST_SENT="$out/sent.json"
export DJANGO_SETTINGS_MODULE=cmb_portal.settings

$BIN/python manage.py migrate --noinput >/dev/null
$BIN/python manage.py collectstatic --noinput >/dev/null
$BIN/python manage.py loadtest_counts --save "$out/before.json"

$BIN/gunicorn cmb_portal.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --timeout 120 >"$out/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done

echo "== $USERS users for $DURATION against gunicorn ($WORKERS workers) on 127.0.0.1:$PORT"
set +e
$BIN/locust -f deploy/loadtest/locustfile.py --headless --users "$USERS" \
  --spawn-rate "$SPAWN_RATE" --run-time "$DURATION" --host "http://127.0.0.1:$PORT" \
  --csv "$out/locust" --only-summary --stop-timeout 30 2>"$out/locust.log"
locust_rc=$?
set -e
kill $server; wait $server 2>/dev/null || true
tail -n 40 "$out/locust.log"

echo "== requests per second, median, p95, errors (all requests)"
$BIN/python - "$out/locust_stats.csv" <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1])):
    if row["Name"] == "Aggregated":
        print(f"requests {row['Request Count']}, failures {row['Failure Count']}, "
              f"{float(row['Requests/s']):.1f} req/s, median {row['50%']} ms, "
              f"p95 {row['95%']} ms, max {float(row['Max Response Time']):.0f} ms")
PY

echo "== data: what the users were told against what the database holds"
$BIN/python manage.py loadtest_counts --compare "$out/before.json" --sent "$LOADTEST_SENT"
$BIN/python manage.py verify_audit_chain
exit $locust_rc
