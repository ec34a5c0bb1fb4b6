"""Deployment settings: ``DJANGO_SETTINGS_MODULE=onewindow.settings_production``.

Requires SECRET_KEY, FIELD_ENCRYPTION_KEY, DATABASE_URL and ALLOWED_HOSTS from the
environment (no local key file), serves behind an HTTPS proxy and passes
``onewindow check --deploy``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

for _name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DATABASE_URL", "ALLOWED_HOSTS"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} must be set in the environment for production")

from onewindow.settings import *  # noqa: E402,F403

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO").upper()  # noqa: F405

# The load balancer's and the container's health check asks over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Several app servers: with REDIS_URL the caches are on Redis (settings.py) and the
# sessions are read from there, written through to the database (a Redis restart signs
# nobody out).
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGGING["loggers"]["onewindow.citizen_codes"]["level"] = "WARNING"  # noqa: F405  (no codes in the log)
