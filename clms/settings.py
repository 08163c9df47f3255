"""CLMS settings: everything that varies by deployment comes from the environment."""

from __future__ import annotations

import copy
import re
import secrets
import sys
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clms.env import env_bool, env_int, env_list, env_str

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CLMS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("CLMS_DEBUG", False)
TESTING = env_bool("CLMS_TESTING", False)

# Commands that serve no request and sign nothing (root's nightly backup and monthly retention
# have no reason to hold the key that signs sessions).  Named by manage.py's own argv, never by a setting, so
# no environment variable can let a server start without its key.
KEYLESS_COMMANDS = frozenset({"backup", "restore", "retention"})
KEYLESS = (
    len(sys.argv) > 1 and Path(sys.argv[0]).name in ("manage.py", "django-admin") and sys.argv[1] in KEYLESS_COMMANDS
)

# The demo and tests run with an explicit throwaway key; production must bring its own.  A
# keyless command gets a random key of its own process: whatever it might sign is valid nowhere.
SECRET_KEY = env_str(
    "CLMS_SECRET_KEY",
    "insecure-dev-only-key" if DEBUG or TESTING else secrets.token_urlsafe(48) if KEYLESS else None,
)
if not (DEBUG or TESTING) and (len(SECRET_KEY) < 40 or SECRET_KEY.startswith("insecure")):
    raise ImproperlyConfigured("CLMS_SECRET_KEY must be a random string of at least 40 characters")

ALLOWED_HOSTS = env_list("CLMS_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CLMS_CSRF_TRUSTED_ORIGINS", [])

# Project apps come first so that their translations win over Django's own
# (the admin translates "Log out" differently).
INSTALLED_APPS = [
    "clms.core",
    "clms.accounts",
    "clms.places",
    "clms.legal",
    "clms.people",
    "clms.cases",
    "clms.employers",
    "clms.outreach",
    "clms.plans",
    "clms.indicators",
    "clms.reports",
    "clms.api",
    "clms.privacy",
    "clms.home",
    "clms.demo",
    "clms.surveys",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    # Its templates and the vendored Swagger UI (static files, no CDN) for /api/v1/docs.
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Background work (report files): Django's task framework (django.tasks in Django 6) with
    # its database backend: a table and `manage.py db_worker`, no broker to run.
    "django_tasks",
    "django_tasks_db",
    # Last, so that clms/core/templates/django/forms/ overrides its widget templates (the
    # select's options are written in Python: clms/core/templatetags/form_widgets.py).
    "django.forms",
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Where the REST API is mounted (clms.urls); the query-cleaning middleware leaves it alone, and
# the schema command writes its paths under it.
CLMS_API_MOUNT = "api/v1/"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "clms.core.middleware.CleanQueryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clms.core.replica.ReplicaMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "clms.accounts.middleware.TwoFactorMiddleware",
    "clms.core.actor.ActorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "clms.core.middleware.NoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "clms.core.figure_cache.InvalidateOnWriteMiddleware",
    "clms.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Last: the view and its token share one transaction.
    "clms.core.once.OnceMiddleware",
]

ROOT_URLCONF = "clms.urls"
WSGI_APPLICATION = "clms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% csrf_token %} also writes the one-time form token (clms.core.once).
            "builtins": ["clms.core.templatetags.once", "clms.core.templatetags.vn_format"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clms.home.context_processors.navigation",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'clms.sqlite3'}"
# Empty counts as unset, so `DATABASE_URL= make …` means the embedded SQLite database.
DATABASE_URL = env_str("DATABASE_URL", "") or _default_db
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while a writer commits; IMMEDIATE avoids upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.postgresql",
    "django.db.backends.postgresql_psycopg2",
):
    raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL")

# Reads past one server (clms.core.replica): supervisors' and viewers' pages read from a
# streaming replica; writes and the writer's next reads stay on the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
CLMS_READ_REPLICA = ""
if DATABASE_REPLICA_URL:
    try:
        _replica = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a valid database URL: {exc}") from None
    _pg = ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2")
    if _replica["ENGINE"] not in _pg or DATABASES["default"]["ENGINE"] not in _pg:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL for both it and DATABASE_URL")
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    CLMS_READ_REPLICA = "replica"
elif TESTING:
    # A second alias on the test database itself, so a test can switch the router on
    # (override_settings(CLMS_READ_REPLICA="replica")) without a second server.
    DATABASES["replica"] = {**copy.deepcopy(DATABASES["default"]), "TEST": {"MIRROR": "default"}}
# No JIT compilation on PostgreSQL: the indicators' aggregates and the facts' fingerprint are
# large expressions that PostgreSQL's cost model sends to LLVM, which spent 240 ms compiling a
# query that runs in 30 ms (province scale: the fingerprint 9 s -> 0.5 s, a table 1.8 s ->
# 0.4 s).  A web application's queries are short; JIT pays only for long analytical scans.
for _alias in DATABASES.values():
    if _alias["ENGINE"] in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"):
        _options = _alias.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DATABASE_ROUTERS = ["clms.core.replica.ReplicaRouter"]
CLMS_REPLICA_PIN_SECONDS = env_int("CLMS_REPLICA_PIN_SECONDS", 5)
CLMS_REPLICA_PATHS = env_list("CLMS_REPLICA_PATHS", ["/indicators/"])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Django's list is English; this one has what Vietnamese users pick (matkhau123, anhyeuem...).
    {"NAME": "clms.accounts.passwords.VietnameseCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
CSRF_FAILURE_VIEW = "clms.core.views.csrf_failure"

# Login throttling (clms/accounts/throttle.py), kept in the shared cache so that every worker
# sees the same counts.  A username is never locked: after a few failures each further try
# must wait a delay that doubles up to a ceiling.  A client address gets the same treatment
# with a larger allowance (an office behind one NAT address), and the login endpoint as a
# whole accepts at most so many attempts a minute (a spray over many usernames and addresses).
CLMS_LOGIN_FREE_FAILURES = env_int("CLMS_LOGIN_FAILURE_LIMIT", 5)
CLMS_LOGIN_MAX_DELAY_SECONDS = env_int("CLMS_LOGIN_MAX_DELAY_SECONDS", 120)
CLMS_LOGIN_IP_FREE_FAILURES = env_int("CLMS_LOGIN_IP_FAILURE_LIMIT", 30)
CLMS_LOGIN_WINDOW_MINUTES = env_int("CLMS_LOGIN_COOLOFF_MINUTES", 15)
CLMS_LOGIN_GLOBAL_PER_MINUTE = env_int("CLMS_LOGIN_GLOBAL_PER_MINUTE", 300)
# The client address for throttling is the audit's (clms.core.actor.client_ip):
# CLMS_TRUSTED_PROXIES and CLMS_TRUSTED_PROXY_HEADER below.

# Two-factor authentication (TOTP through django-otp): required for system administrators
# and for anyone who sees a whole province; optional for the others.  Tests switch the
# requirement off (personas log in with force_login) and switch it on where they test it.
CLMS_TWO_FACTOR_REQUIRED = env_bool("CLMS_TWO_FACTOR_REQUIRED", not TESTING)
OTP_TOTP_ISSUER = "CLMS"

# The site's address, for links in e-mails (which carry no child's name, only a link).
CLMS_SITE_URL = env_str("CLMS_SITE_URL", "http://127.0.0.1:8000")

# The reverse proxies in front of gunicorn (their addresses) and the header they set with the
# client's address; audit events record that address.  Unset: REMOTE_ADDR is the client.
CLMS_TRUSTED_PROXIES = env_list("CLMS_TRUSTED_PROXIES", [])
CLMS_TRUSTED_PROXY_HEADER = env_str("CLMS_TRUSTED_PROXY_HEADER", "X-Forwarded-For" if CLMS_TRUSTED_PROXIES else "")

SESSION_COOKIE_AGE = env_int("CLMS_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not (DEBUG or TESTING) and env_bool("CLMS_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Production: HTTPS only.  The reverse proxy terminates TLS and says so in X-Forwarded-Proto
# (it must overwrite the header); the health check is answered over plain HTTP too so that
# the proxy and monitoring can probe the application directly.
PRODUCTION = not (DEBUG or TESTING)
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("CLMS_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("CLMS_HSTS_SECONDS", 31536000) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CLMS_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("CLMS_HSTS_PRELOAD", False)
# Preloading binds every subdomain of the registered domain (a province's .gov.vn) for years:
# a decision for whoever runs the domain, not for this application, so the check stays quiet.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("CLMS_BEHIND_TLS_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts only from our own static files, no inline
# script, no eval.  Styles allow inline attributes (templates use a few style="..."), which
# cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# One project catalogue: a msgid has one translation (pgettext contexts tell apart short labels
# that mean different things).  No app keeps a locale/ directory of its own; the
# translation check fails if one reappears.
LOCALE_PATHS: list[Path] = [BASE_DIR / "clms" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["clms.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files live outside the web root and are only served through views that check access.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"

EMAIL_BACKEND = env_str("CLMS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("CLMS_FROM_EMAIL", "clms@localhost")

# One cache shared by every worker process: Redis when CLMS_REDIS_URL is set (Django's
# built-in RedisCache), else a table of the database (created by the indicators app's first
# migration, so `migrate` makes it everywhere, tests included).
CLMS_REDIS_URL = env_str("CLMS_REDIS_URL", "")

# ODK Central, for `manage.py odk_pull` (clms.surveys): all empty means not configured.
CLMS_ODK_CENTRAL_URL = env_str("CLMS_ODK_CENTRAL_URL", "")
CLMS_ODK_CENTRAL_USERNAME = env_str("CLMS_ODK_CENTRAL_USERNAME", "")
CLMS_ODK_CENTRAL_PASSWORD = env_str("CLMS_ODK_CENTRAL_PASSWORD", "")
CLMS_ODK_CENTRAL_PROJECT = env_int("CLMS_ODK_CENTRAL_PROJECT", 1)
CACHES: dict[str, dict[str, Any]]
if CLMS_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLMS_REDIS_URL,
            "KEY_PREFIX": env_str("CLMS_CACHE_KEY_PREFIX", "clms"),
        }
    }
    # Sessions stay in the database (a Redis restart logs nobody out) and are read through the
    # shared cache: one query less on every page a signed-in user opens.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "clms_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Background tasks (clms/reports/tasks.py): queued in a table of the database, run by
# `manage.py db_worker` (make demo starts one; README: a systemd unit in production).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The register export (clms/people/views_data.py): from this many rows it is made in the
# background with a progress display; its file (personal data, PRIVATE_MEDIA_ROOT/exports) is
# deleted after this many hours, or when the same user asks for another export.
CLMS_EXPORT_BACKGROUND_ROWS = env_int("CLMS_EXPORT_BACKGROUND_ROWS", 2000)
CLMS_EXPORT_KEEP_HOURS = env_int("CLMS_EXPORT_KEEP_HOURS", 24)

# How long the indicator dashboard may reuse a computed table and chart (clms/core/figure_cache.py).
# Tests see fresh figures unless they ask for the cache.
# Retention (manage.py retention): years after a person's 18th birthday before their record
# is anonymised, once no case of theirs is open (docs/privacy.md).
CLMS_RETENTION_YEARS = env_int("CLMS_RETENTION_YEARS", 5)
CLMS_INDICATOR_CACHE_SECONDS = env_int("CLMS_INDICATOR_CACHE_SECONDS", 0 if TESTING else 60)
# Requests per API token (or per signed-in user) and period: "600/m", "10000/h", "20/10s".
CLMS_API_RATE = env_str("CLMS_API_RATE", "600/m")
if not re.fullmatch(r"[1-9][0-9]*/[0-9]*[smhd]", CLMS_API_RATE):
    raise ImproperlyConfigured('CLMS_API_RATE must look like "600/m" (requests per s, m, h or d; "20/10s")')

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CLMS_LOG_LEVEL", "WARNING")},
}
