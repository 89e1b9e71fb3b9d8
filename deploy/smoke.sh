#!/usr/bin/env bash
# Production smoke test for CI: build as the Dockerfile does, start as the image does
# (gunicorn, DEBUG=0), and ask /healthz and the sign-in page. Traffic stays on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$work"/ 2>/dev/null
python3.11 -m venv "$work/venv"
cd "$work"
PYTHON="$work/venv/bin/python" sh deploy/build.sh
port=18765
DEBUG=0 SECRET_KEY=smoke-test-key ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 \
  DATABASE_URL="sqlite:///$work/var/smoke.sqlite3" HOST=127.0.0.1 PORT=$port WEB_CONCURRENCY=2 \
  PYTHON="$work/venv/bin/python" GUNICORN="$work/venv/bin/gunicorn" sh deploy/start.sh \
  >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/healthz" | grep -q '"status": "ok"' || { cat "$work/server.log"; exit 1; }
page=$(curl -fsS "http://127.0.0.1:$port/masuk/")
grep -q "Masuk ke CMB Portal" <<<"$page"
# Static files come from the app itself (whitenoise), hashed by the manifest.
css=$(grep -o '/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]*\.css' <<<"$page" | head -1)
[ -n "$css" ] && curl -fsS -o /dev/null "http://127.0.0.1:$port$css"
echo "smoke test: gunicorn served /healthz, the sign-in page and hashed static files"
