#!/bin/sh
# Start the portal in production: apply migrations, then serve with gunicorn.
set -eu
PYTHON=${PYTHON:-python}
GUNICORN=${GUNICORN:-gunicorn}
"$PYTHON" manage.py migrate --noinput
# The config file masks password reset tokens in the access log (they are in the path).
exec "$GUNICORN" cmb_portal.wsgi \
  --config "$(dirname "$0")/gunicorn.conf.py" \
  --bind "${HOST:-0.0.0.0}:${PORT:-8000}" \
  --workers "${WEB_CONCURRENCY:-3}" \
  --timeout "${GUNICORN_TIMEOUT:-120}" \
  --access-logfile - \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
