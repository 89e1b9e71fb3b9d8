#!/usr/bin/env bash
# CI security checks: Django's deployment check with production values, bandit on our code,
# pip-audit on the installed (resolved) dependency set. Run after `make test` (uses .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== manage.py check --deploy (production values)"
env -u DJANGO_SETTINGS_MODULE DEBUG=0 \
  SECRET_KEY="ci-only-production-like-secret-key-0123456789-abcdefghijklmnopqrstuv" \
  ALLOWED_HOSTS=cmb.example.go.id CSRF_TRUSTED_ORIGINS=https://cmb.example.go.id \
  DATABASE_URL=sqlite:///var/ci-deploy-check.sqlite3 \
  $BIN/python manage.py check --deploy --fail-level WARNING

echo "== bandit (every finding fixed or justified with # nosec and a reason above it)"
$BIN/bandit -q -r cmb_portal records approvals reports -x "*/migrations/*"

echo "== pip-audit (known vulnerabilities in the installed dependencies)"
# pip-audit asks a vulnerability service (PyPI's JSON API or OSV). Where neither is reachable
# (these CI machines reach only package mirrors), say so loudly instead of passing silently;
# CMB_REQUIRE_PIP_AUDIT=1 turns that into a failure (set it where the internet is reachable).
set +e
out=$($BIN/pip-audit --progress-spinner off --skip-editable 2>&1)
rc=$?
set -e
echo "$out" | tail -n 20
if echo "$out" | grep -qE "could not be audited|ConnectionError|Failed to resolve"; then
  echo "!! pip-audit: NOT AUDITED — no vulnerability service reachable from this machine"
  if [ "${CMB_REQUIRE_PIP_AUDIT:-0}" = "1" ]; then
    exit 1
  fi
elif [ $rc -ne 0 ]; then
  echo "!! pip-audit found known vulnerabilities"
  exit $rc
fi
echo "== security checks done"
