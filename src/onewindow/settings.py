"""Settings for OneWindow.

Everything that differs between machines comes from the environment:
DATABASE_URL, REDIS_URL, SECRET_KEY, FIELD_ENCRYPTION_KEY, DEBUG, ALLOWED_HOSTS.
Without them the embedded mode runs: SQLite (WAL) and keys generated once into a
local file under ONEWINDOW_DATA_DIR (default ``var/`` beside the project), never in
the repository. ``onewindow.settings_production`` is the deployment path.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("ONEWINDOW_DATA_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def local_secret(name: str, factory) -> str:
    """A secret from the environment, else from ``DATA_DIR/secrets.json`` (made once)."""
    value = os.environ.get(name)
    if value:
        return value
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secrets.json"
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
    if name not in stored:
        stored[name] = factory()
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stored, indent=2), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    return stored[name]


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = local_secret("SECRET_KEY", lambda: secrets.token_urlsafe(50))
# One or more Fernet keys, comma separated; the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEY = local_secret("FIELD_ENCRYPTION_KEY", _fernet_key)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_htmx",
    "onewindow.core",
    "onewindow.org",
    "onewindow.catalog",
    "onewindow.staffing",
    "onewindow.hall",
    "onewindow.files",
    "onewindow.cases",
    "onewindow.evaluation",
    "onewindow.complaints",
    "onewindow.licences",
    "onewindow.messaging",
    "onewindow.oversight",
    "onewindow.portal",
    "onewindow.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "onewindow.core.middleware.ApiErrorShapeMiddleware",
    "onewindow.core.middleware.NulInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "onewindow.core.middleware.IdleSessionTimeoutMiddleware",
    "onewindow.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "onewindow.core.pages.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
    "onewindow.core.replica.ReplicaReadsMiddleware",
]
# Guards (core/guards.py), placed after ApiErrorShapeMiddleware: a lost database answers
# 503 (right after it, so every later middleware is covered); Permissions-Policy and the
# CSP nonce (before any template renders); anonymous writes counted per client (after
# the authentication middleware, which it reads).
MIDDLEWARE.insert(
    MIDDLEWARE.index("onewindow.core.middleware.ApiErrorShapeMiddleware") + 1,
    "onewindow.core.guards.DatabaseUnavailableMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("onewindow.core.guards.DatabaseUnavailableMiddleware") + 1,
    "onewindow.core.guards.SecurityHeadersMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("onewindow.core.middleware.IdleSessionTimeoutMiddleware") + 1,
    "onewindow.core.guards.AnonymousWriteLimitMiddleware",
)

ROOT_URLCONF = "onewindow.urls"
WSGI_APPLICATION = "onewindow.wsgi.application"
ASGI_APPLICATION = "onewindow.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onewindow.core.context_processors.onewindow",
                "onewindow.core.context_processors.csp_nonce",
                "onewindow.portal.prefs.context",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------
SQLITE_OPTIONS = {
    # BEGIN IMMEDIATE takes the write lock at the start of every transaction, so a
    # read-then-write inside one transaction cannot be overtaken (no lost updates).
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
    ),
}

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "onewindow.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
            # Tests use a file database, not memory, so that concurrent threads behave
            # as they do in production.
            "TEST": {"NAME": str(DATA_DIR / "test-onewindow.sqlite3")},
        }
    }
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", SQLITE_OPTIONS)
# A streaming replica for the reads of the statistics pages (core/replica.py); in tests
# it mirrors the test database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60
    )
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["onewindow.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ------------------------------------------------------------------------
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "onewindow",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# What one process computes for the others to read (the window planning sweep's day
# plans): Redis when it is set, else files under the data directory, so a plan made by
# `onewindow sweep` reaches the web server on a one-server install too. Each test
# process (pytest-xdist worker) has its own folder.
CACHES["shared"] = (
    {**CACHES["default"], "KEY_PREFIX": "onewindow-shared"}
    if os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / os.environ.get("PYTEST_XDIST_WORKER", "main")),
    }
)

# --- auth -------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
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
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace"
LOGOUT_REDIRECT_URL = "home"

# Failed-login throttling (django-axes): five failures for one account from one
# address lock that pair for 15 minutes; a success clears the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions: shared hall PCs. The session ends when the browser closes, after
# SESSION_IDLE_SECONDS without a request, and at most after SESSION_COOKIE_AGE.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 10 * 60 * 60
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- i18n -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Our overrides of Django's Chinese messages (the full-width colon after form labels).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- static and media -------------------------------------------------------------
STATIC_URL = "/static/"
# The project-wide assets (src/onewindow/static) belong to no app: name them here.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))

# --- security defaults that hold in every mode -------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Forwarded client addresses (X-Real-IP, X-Forwarded-For) are believed only from these
# peers (addresses or networks): the proxy in front of the app servers.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()"
)
# {nonce}: the request's nonce (core/guards.py). No 'unsafe-inline' anywhere.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'nonce-{nonce}'",
    "style-src": "'self' 'nonce-{nonce}'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = env_bool("CONTENT_SECURITY_POLICY_REPORT_ONLY", False)

# --- OneWindow ----------------------------------------------------------------------
ONEWINDOW = {
    "SITE_NAME": "临夏州一窗通政务服务平台",
    "SHORT_NAME": "一窗通",
    # The scheme and host of printed links and QR codes (notices, receipts, slips). Empty:
    # the address the request was served on (core/links.py); set it behind a proxy.
    "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "").rstrip("/"),
}
ONEWINDOW_HALL_ENFORCE_HOURS = env_bool("ONEWINDOW_HALL_ENFORCE_HOURS", True)
# The self-service terminal's local device service (identity-card reader, document camera;
# docs/terminal-devices.md), as the terminal's browser reaches it. Empty: no devices.
ONEWINDOW_TERMINAL_DEVICES = os.environ.get(
    "ONEWINDOW_TERMINAL_DEVICES", "http://127.0.0.1:17890"
).rstrip("/")
# Backups (`onewindow backup`, core/backup): the folder of the archives and how many to keep.
ONEWINDOW_BACKUP_DIR = os.environ.get("ONEWINDOW_BACKUP_DIR", str(DATA_DIR / "backups"))
ONEWINDOW_BACKUP_KEEP = int(os.environ.get("ONEWINDOW_BACKUP_KEEP", "14"))
# Messages (R-MSG-1): the gateway of each channel (one small interface, messaging/gateways/),
# the retries, the worker's lease and the quiet hours. The defaults point at the local
# fake gateway (`onewindow fake-gateway`, port 8025); a deployment sets the provider's.
MESSAGING_GATEWAY_URL = os.environ.get("MESSAGING_GATEWAY_URL", "http://127.0.0.1:8025").rstrip("/")
MESSAGING = {
    "GATEWAYS": {
        "sms": {
            "class": "onewindow.messaging.gateways.sms.SmsGateway",
            "url": os.environ.get("MESSAGING_SMS_URL", MESSAGING_GATEWAY_URL + "/sms/send"),
            "access_key": os.environ.get("MESSAGING_SMS_ACCESS_KEY", "onewindow-local"),
            "secret": os.environ.get("MESSAGING_SMS_SECRET", "onewindow-local-secret"),
            "sign_name": os.environ.get("MESSAGING_SMS_SIGN_NAME", "临夏政务"),
        },
        "wechat": {
            "class": "onewindow.messaging.gateways.wechat.WeChatGateway",
            "base_url": os.environ.get("MESSAGING_WECHAT_URL", MESSAGING_GATEWAY_URL + "/wechat"),
            "appid": os.environ.get("MESSAGING_WECHAT_APPID", "wx-onewindow-local"),
            "secret": os.environ.get("MESSAGING_WECHAT_SECRET", "onewindow-local-secret"),
        },
        "inapp": {"class": "onewindow.messaging.gateways.inapp.InAppGateway"},
        # the provincial platform's data exchange (R-MSG-3, docs/exchange.md)
        "province": {
            "class": "onewindow.messaging.gateways.province.ProvinceGateway",
            "url": os.environ.get(
                "EXCHANGE_PROVINCE_URL", MESSAGING_GATEWAY_URL + "/province/push"
            ),
            "app_key": os.environ.get("EXCHANGE_PROVINCE_APP_KEY", "onewindow-linxia"),
            "secret": os.environ.get("EXCHANGE_PROVINCE_SECRET", "onewindow-local-secret"),
        },
    },
    "SIGNATURE": os.environ.get("MESSAGING_SMS_SIGN_NAME", "临夏政务"),
    "MAX_ATTEMPTS": 5,
    "BACKOFF_SECONDS": 30,
    "BACKOFF_MAX_SECONDS": 3600,
    "LEASE_SECONDS": 60,
    "QUIET_HOURS": (22, 8),
    "LAPSE_WARNING_DAYS": 2,
}
# Writes by anyone not signed in, per client address: (writes, seconds) per bucket
# (core/guards.py); the terminal has its own bucket.
ONEWINDOW_ANONYMOUS_WRITE_LIMITS = {"anonymous": (120, 60), "terminal": (120, 60)}
# Uploaded files no record names are removed once this old (files/orphans.py).
ONEWINDOW_ORPHAN_GRACE_SECONDS = 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING").upper()},
    "loggers": {
        # one-time phone codes of citizen accounts until the SMS outbox sends them:
        # written to the development log (portal/citizens/codes.py), never in production
        "onewindow.citizen_codes": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
