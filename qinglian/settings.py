"""Qinglian settings: every knob comes from the environment (see .env.example).

SQLite in var/ by default; PostgreSQL when DATABASE_URL says so. Production is the
same file with DEBUG=0 and real secrets; `qinglian check --deploy` is clean then.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from qinglian.core.environment import env_bool, env_int, env_list, env_str

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("QINGLIAN_VAR_DIR", str(BASE_DIR / "var")))
# The embedded database and job queue live here: made on first use, whoever sets the keys.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
_RUNNING_TESTS = "pytest" in sys.modules


def _secret(name: str, why: str, *, dev_value: Callable[[], str] | None = None) -> str:
    """A secret from the environment; only development and tests may run without it."""
    value = env_str(name, "")
    if value:
        return value
    if not (DEBUG or _RUNNING_TESTS):
        raise ImproperlyConfigured(
            f"{name} is not set: put it in the environment ({why}), "
            "or set DEBUG=1 for local development."
        )
    return dev_value() if dev_value else f"dev-only-{name.lower()}-not-secret-" + "k" * 40


SECRET_KEY = _secret("SECRET_KEY", "50+ random characters; it signs sessions and tokens")
# Key of the keyed hashes of ID-card numbers; never stored in the database. Kept apart
# from SECRET_KEY so that rotating the latter does not orphan every stored hash.
PII_HASH_KEY = _secret(
    "PII_HASH_KEY",
    "50+ random characters; ID numbers are found by their hash under it: never change it",
)


def _dev_log_signing_key() -> str:
    from qinglian.transparency.notes import Signer

    return Signer.from_seed("qinglian-dev-log", SECRET_KEY.encode()).encoded()


# The publication log's Ed25519 signer key (Go note format).
TRANSPARENCY_SIGNING_KEY = _secret(
    "TRANSPARENCY_SIGNING_KEY",
    "make one with `python -m qinglian.transparency.keygen <name>` and keep it secret",
    dev_value=_dev_log_signing_key,
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The log's identity, first line of every checkpoint: a schema-less URL, unique per log.
TRANSPARENCY_ORIGIN = env_str(
    "TRANSPARENCY_ORIGIN", PUBLIC_BASE_URL.split("://", 1)[-1].rstrip("/") + "/log"
)

INSTALLED_APPS = [
    "qinglian.accounts.admin_config.PolicyAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_htmx",
    "huey.contrib.djhuey",
    "qinglian.core",
    "qinglian.directory",
    "qinglian.accounts",
    "qinglian.transparency",
    "qinglian.finance",
    "qinglian.disclosures",
    "qinglian.powers",
    "qinglian.appeals",
    "qinglian.meetings",
    "qinglian.workbench",
    "qinglian.api",
    "qinglian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qinglian.urls"
WSGI_APPLICATION = "qinglian.wsgi.application"
ASGI_APPLICATION = "qinglian.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qinglian.core.context_processors.csp_nonce",
            ],
        },
    }
]

# --- database -----------------------------------------------------------------
_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'qinglian.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _SQLITE_DEFAULT),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (DATABASE_CONN_MAX_AGE) as on PostgreSQL: opening one costs
    # more than a page's query (the PRAGMAs below and Django's SQL functions each time).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, rate limits, background jobs --------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        # Django's Redis cache, but one Redis client per pool instead of one per operation.
        "default": {"BACKEND": "qinglian.core.cache.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

_HUEY_COMMON = {
    "name": "qinglian",
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "utc": True,
    "consumer": {"workers": env_int("WORKER_THREADS", 2, minimum=1), "worker_type": "thread"},
}
HUEY = (
    {**_HUEY_COMMON, "huey_class": "huey.RedisHuey", "url": REDIS_URL}
    if REDIS_URL
    else {
        **_HUEY_COMMON,
        "huey_class": "huey.SqliteHuey",
        "filename": str(VAR_DIR / "jobs.sqlite3"),
    }
)

# --- auth ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # checks the lock before any hash is computed
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): keyed on the (username, address) pair so a village
# behind one carrier NAT is never locked out because of one person.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
# The client address: the socket's, or behind our TLS proxy the one it forwards.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
if env_bool("BEHIND_TLS_PROXY", False):
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = 1

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- the mass mailbox ---------------------------------------------------------
# Rate limits of the public mailbox, per client address (django-ratelimit, on the
# cache: set REDIS_URL where several server processes share the limits). Villagers
# behind one carrier NAT share an address: keep the submission limit generous.
APPEALS_SUBMIT_RATE = env_str("APPEALS_SUBMIT_RATE", "30/h")
APPEALS_TRACK_RATE = env_str("APPEALS_TRACK_RATE", "20/m")
# Scoring at a sunshine meeting: a hall of attendees may share one Wi-Fi address.
MEETINGS_SCORE_RATE = env_str("MEETINGS_SCORE_RATE", "120/m")
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
# The socket's address, or behind our proxy the last X-Forwarded-For entry (the one
# the proxy added; the header as a whole is the client's to write).
RATELIMIT_IP_META_KEY = "qinglian.core.addresses.client_address"
# Argon2id cost of unlocking a commission's sealing key: "moderate" (about a second
# and 128 MB) in production, "min" for tests only.
APPEALS_KDF = env_str("APPEALS_KDF", "moderate")

# Declared relatives up to this degree of kinship count as "close" for recusal.
CLOSE_RELATIVE_MAX_DEGREE = env_int("CLOSE_RELATIVE_MAX_DEGREE", 3, minimum=1, maximum=5)

# --- security headers ---------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- languages and time -------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "qinglian" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not _RUNNING_TESTS
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
WHITENOISE_USE_FINDERS = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # fontTools reports every table it subsets (each sign PDF) at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
