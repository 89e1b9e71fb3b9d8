"""Fast settings for the test suite (pytest uses these; see pyproject.toml)."""

import os
import tempfile

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
# Uploaded evidence goes to a fresh folder per run, never into the project tree.
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="cmb-test-media-"))

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING["loggers"]["cmb.security"]["level"] = "INFO"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic in tests
# Background jobs run at once in tests (the database backend is exercised in its own test).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
