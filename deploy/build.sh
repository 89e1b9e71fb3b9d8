#!/bin/sh
# Build steps of the production image. The Dockerfile runs exactly this, and .ci/run runs it
# too (Docker cannot run on the CI machines), so a broken step fails CI.
set -eu
PYTHON=${PYTHON:-python}
"$PYTHON" -m pip install --no-cache-dir --quiet .
# collectstatic needs settings but no secrets or database; these values live only for it.
DEBUG=0 SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=localhost \
  "$PYTHON" manage.py collectstatic --noinput --verbosity 0
mkdir -p var/media
