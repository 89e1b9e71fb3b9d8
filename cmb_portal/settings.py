"""Settings for CMB Portal, read from the environment (see README, "Konfigurasi").

Defaults suit a developer's machine (`make run`): SQLite under var/, console e-mail.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and the e-mail settings.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    return env(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(env(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "0")
# A development key only works with DEBUG on; production must set its own.
SECRET_KEY = env("SECRET_KEY") or ("dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a development run).")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "records",
    "approvals",
    "reports",
]

MIDDLEWARE = [
    # First: the container's health probe uses 127.0.0.1 over plain HTTP.
    "cmb_portal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cmb_portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which would read (and spool to disk) a body of any size.
    "cmb_portal.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the final response of a failed sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cmb_portal.urls"
WSGI_APPLICATION = "cmb_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "records.context_processors.portal",
            ],
        },
    },
]

# --- Background jobs (certificate batches) -------------------------------------------------
# Jobs are stored in the database and run by `python manage.py db_worker` (a second process
# next to gunicorn; `make run` starts one). TASKS_IMMEDIATE=1 runs them inside the request.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if envbool("TASKS_IMMEDIATE", "0")
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'cmb_portal.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # Several people save at once even on the embedded database: WAL lets readers and one
    # writer work together, IMMEDIATE takes the write lock at BEGIN (no upgrade deadlock),
    # and the timeout makes a second writer wait instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out (username, address) pair before any password check.
    "axes.backends.AxesStandaloneBackend",
    "records.auth.NipOrUsernameBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed sign-ins lock the (username, address) pair, never the whole address: one office
# behind one NAT must not lock each other out. Lockouts expire on their own.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# The NIP (with or without spaces) and the username reach one account: count them together.
AXES_USERNAME_CALLABLE = "records.auth.lockout_username"
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2", "old_password"]
# Behind a reverse proxy, set the number of proxies so the client address is read correctly.
AXES_IPWARE_PROXY_COUNT = envint("PROXY_COUNT", "0") or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Idle sessions expire: the cookie's age is renewed on every request.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", "60") * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security (production) ------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): only the portal's own files; no inline scripts, styles
# or event handlers anywhere (every asset is vendored under static/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "1")
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "1")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1")
    if envbool("BEHIND_TLS_PROXY", "1"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP from inside the container.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Uploaded evidence is private: it lives outside STATIC_ROOT and is never served by URL,
# only through views that check who may see it.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# dumpdata/loaddata JSON keeps microseconds: the audit chain hashes them (cmb_portal/dumps).
SERIALIZATION_MODULES = {
    "json": "cmb_portal.dumps.json_format",
    "jsonl": "cmb_portal.dumps.jsonl_format",
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "CMB Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Domain ---------------------------------------------------------------------------------
# Which JP conversion rules apply: "bkn" (SE Kepala BKN 3/2022) or "langsa" (Pemkot Langsa).
# The largest request body accepted: uploads are at most 5 MB, plus the form around them.
MAX_REQUEST_BYTES = envint("MAX_REQUEST_MB", "6") * 1024 * 1024

CMB_POLICY = env("CMB_POLICY", "bkn")
if CMB_POLICY not in ("bkn", "langsa"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("CMB_POLICY must be 'bkn' or 'langsa'.")
CMB_INSTITUTION = env("CMB_INSTITUTION", "Badan Kepegawaian Negara")
# The city printed on signature lines ("Jakarta, 14 April 2022").
CMB_CITY = env("CMB_CITY", "Jakarta")
# Who signs the annual certificates (Biro SDM's head), printed on every certificate.
CMB_CERTIFICATE_SIGNATORY_NAME = env(
    "CMB_CERTIFICATE_SIGNATORY_NAME", "Dr. Haryanto Wibisono, S.H., M.Si."
)
CMB_CERTIFICATE_SIGNATORY_NIP = env("CMB_CERTIFICATE_SIGNATORY_NIP", "197103151996031002")
CMB_CERTIFICATE_SIGNATORY_POSITION = env(
    "CMB_CERTIFICATE_SIGNATORY_POSITION", "Kepala Biro Sumber Daya Manusia"
)
# Certificate numbers: {seq}/{prefix}/{year}, e.g. 000123/SERT-CMB/BKN/2022.
CMB_CERTIFICATE_PREFIX = env("CMB_CERTIFICATE_PREFIX", "SERT-CMB/BKN")
# Reminders (manage.py send_reminders): sessions waiting longer than this many days are
# reminded to the atasan; the quarterly recap is due on this day of the following month.
CMB_REMINDER_WAITING_DAYS = envint("CMB_REMINDER_WAITING_DAYS", "3")
CMB_RECAP_DUE_DAY = envint("CMB_RECAP_DUE_DAY", "10")
# The public address printed in certificate QR codes (the portal's own URL in production).
CMB_PUBLIC_URL = env("CMB_PUBLIC_URL", "http://127.0.0.1:8000")

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"mask_reset_links": {"()": "cmb_portal.logmask.MaskResetLinks"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_reset_links"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Sign-ins, failed sign-ins and refused accesses (never passwords or tokens).
        "cmb.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
