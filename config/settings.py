"""Settings for Meetup proposals, read from the environment (see docs/configuration.md).

The embedded defaults (SQLite, no broker, console email) are what `make run` uses.
"""

import ipaddress
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from . import redaction
from .env import env_bool, env_dates, env_int, env_list, env_str, site_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-only-for-make-run"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "accounts.admin_config.StaffAdminConfig",  # django.contrib.admin, its site behind the staff sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_fsm",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    # Staff accounts: sign-in, password reset, re-authentication (allauth.account), two-factor
    # sign-in (allauth.mfa) and single sign-on (allauth.socialaccount; its providers below).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "common",
    "accounts",
    "intake",
    "reviews",
    "meetups",
    "notifications",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which answers static files itself (pre-compressed at collectstatic),
    # and above everything that reads or rewrites a body, so it compresses the final bytes.
    # It leaves alone a response that already has a Content-Encoding: the directory's
    # cached gzip copy (meetups.cache) is never compressed twice. BREACH: since Django 4.2
    # it adds 1-100 random bytes to each gzip header, and CSRF tokens are masked anew on
    # every response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # allauth's: turns "re-authenticate first" into a redirect, resumes a suspended request.
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.PrivatePagesMiddleware",
    "config.middleware.JsonHtmlEscapeMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.program",
                "accounts.context_processors.staff",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Counters every web worker must share live in the database: the throttles' ("throttle") and,
# in the default cache, allauth's rate limits and spent two-factor codes (allauth reads only
# the default cache). Rendered pages are per process ("pages": fast, no query).
_shared_cache = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "throttle_cache",
}
CACHES = {
    "default": _shared_cache,
    "throttle": _shared_cache,
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    # Counters each process keeps for itself (the overlap check's: intake.overlap_views).
    "process_throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "process-throttle",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}
# How long a web process trusts the directory version it last read (meetups.services): a
# change made in another process reaches this one's /meetups/ within this many seconds.
DIRECTORY_RECHECK_SECONDS = 1.0

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/reviews/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
# Named date formats (DATE_FORMAT, DATETIME_FORMAT, ...) for every template: config/formats.
FORMAT_MODULE_PATH = "config.formats"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# Email: EMAIL_URL such as smtp://user:pass@host:587/?tls=True, or console: (the default).
_email = dj_email_url.parse(env_str("EMAIL_URL") or "console:")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)

PROGRAM_NAME = env_str("PROGRAM_NAME", "METRO Meetups")
ORGANIZATION_NAME = env_str("ORGANIZATION_NAME", "METRO")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{PROGRAM_NAME} <meetups@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# From the environment; in development, else the address `make run` serves (config.env).
SITE_URL = site_url(BASE_DIR, debug=DEBUG)
MIN_ORGANIZERS = env_int("MIN_ORGANIZERS", 2, minimum=1)
REVIEWS_REQUIRED = env_int("REVIEWS_REQUIRED", 1, minimum=1)
# New proposals per client address per hour, on the public form.
PROPOSALS_PER_HOUR = env_int("PROPOSALS_PER_HOUR", 10, minimum=1)
# Emails a group's page sends to people outside it (handover offers, added organizers,
# invitations) per group and per recipient address in a day: the sender writes part of
# them, so without a bound a page could mail anyone, any number of times.
GROUP_EMAILS_PER_DAY = env_int("GROUP_EMAILS_PER_DAY", 10, minimum=1)
GROUP_EMAILS_PER_RECIPIENT_PER_DAY = env_int("GROUP_EMAILS_PER_RECIPIENT_PER_DAY", 3, minimum=1)
# Overlap checks (intake.overlap_views) per client address per hour and web process: the form
# calls one after each pause in typing, so generous, but a bound on one address's share of
# each process's time.
OVERLAP_CHECKS_PER_HOUR = env_int("OVERLAP_CHECKS_PER_HOUR", 600, minimum=1)
# How often a web process asks whether the overlap check's candidates (listed groups, open
# proposals) have changed, and rebuilds its index of them if so (intake.overlap).
OVERLAP_RECHECK_SECONDS = 1.0


def _networks(name: str) -> list:
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network (e.g. 10.0.0.0/8)."
            ) from None
    return networks


# Reverse proxies whose X-Forwarded-For the throttles believe (addresses or networks);
# from anywhere else the header is ignored, since any client can send one.
TRUSTED_PROXIES = _networks("DJANGO_TRUSTED_PROXIES")
# The reply date promised on submission: REVIEW_DAYS business days ahead, skipping
# weekends and REVIEW_CLOSURE_DATES (comma-separated ISO dates, e.g. 2026-12-25,2027-01-01).
REVIEW_DAYS = env_int("REVIEW_DAYS", 15, minimum=1)
REVIEW_CLOSURE_DATES = env_dates("REVIEW_CLOSURE_DATES")
# The program's own year for the public report (/report/): the month and day it starts on.
REPORT_YEAR_START = env_str("REPORT_YEAR_START", "07-01")
try:
    # Days up to the 28th only: each quarter starts on the same day of its month.
    _month, _day = (int(part) for part in REPORT_YEAR_START.split("-"))
    if not (1 <= _month <= 12 and 1 <= _day <= 28):
        raise ValueError(REPORT_YEAR_START)
except ValueError as error:
    raise ImproperlyConfigured(
        "REPORT_YEAR_START must be a month and a day up to the 28th, e.g. 07-01."
    ) from error
# The public holidays of the program's place are not business days either (the `holidays`
# package): a country code and, optionally, a state or province after a hyphen ("US-NY",
# "US", "CA-ON"); empty: none.
REVIEW_HOLIDAYS = env_str("REVIEW_HOLIDAYS", "US-NY").strip().upper()
# Weekly digests to staff: the weekday (0 Monday ... 6 Sunday) and local hour they go out.
DIGEST_WEEKDAY = env_int("DIGEST_WEEKDAY", 0, minimum=0)
DIGEST_HOUR = env_int("DIGEST_HOUR", 8, minimum=0)
if DIGEST_WEEKDAY > 6 or DIGEST_HOUR > 23:
    raise ImproperlyConfigured("DIGEST_WEEKDAY must be 0 to 6 and DIGEST_HOUR 0 to 23.")
# Reminders (calendar days): organizers asked for changes are nudged after NUDGE_DAYS
# without an answer and the proposal is withdrawn after STALE_WITHDRAW_DAYS (warned a week
# before); an untouched draft is reminded after DRAFT_REMINDER_DAYS and deleted, with its
# personal data, after DRAFT_RETENTION_DAYS (warned a week before).
NUDGE_DAYS = env_int("NUDGE_DAYS", 14, minimum=1)
STALE_WITHDRAW_DAYS = env_int("STALE_WITHDRAW_DAYS", 60, minimum=8)
DRAFT_REMINDER_DAYS = env_int("DRAFT_REMINDER_DAYS", 30, minimum=1)
DRAFT_RETENTION_DAYS = env_int("DRAFT_RETENTION_DAYS", 90, minimum=8)
# An ended proposal's personal data (a declined or withdrawn one, or an approved one whose
# group is archived) is erased ENDED_RETENTION_DAYS after it ended, warned a week before.
ENDED_RETENTION_DAYS = env_int("ENDED_RETENTION_DAYS", 730, minimum=8)
# The address people may write to staff at: shown on every page and email, and Reply-To.
PROGRAM_CONTACT_EMAIL = env_str("PROGRAM_CONTACT_EMAIL") or parseaddr(DEFAULT_FROM_EMAIL)[1]
# A listed group's yearly check-in (meetups.lifecycle): due CHECK_IN_MONTHS after approval or
# the last check-in; organizers are told CHECK_IN_NOTICE_DAYS before; once overdue, reminded
# every CHECK_IN_REMINDER_DAYS; "not confirmed recently" CHECK_IN_GRACE_DAYS after the due
# date, and archived LAPSED_ARCHIVE_DAYS after that; the organizers are warned once,
# LAPSED_WARNING_DAYS before the archive date.
CHECK_IN_MONTHS = env_int("CHECK_IN_MONTHS", 12, minimum=1)
CHECK_IN_NOTICE_DAYS = env_int("CHECK_IN_NOTICE_DAYS", 30, minimum=0)
CHECK_IN_REMINDER_DAYS = env_int("CHECK_IN_REMINDER_DAYS", 14, minimum=1)
CHECK_IN_GRACE_DAYS = env_int("CHECK_IN_GRACE_DAYS", 60, minimum=0)
LAPSED_ARCHIVE_DAYS = env_int("LAPSED_ARCHIVE_DAYS", 90, minimum=0)
LAPSED_WARNING_DAYS = env_int("LAPSED_WARNING_DAYS", 14, minimum=0)
# The weekly check of every listed group's web address (meetups.linkcheck).
LINK_CHECK_TIMEOUT_SECONDS = env_int("LINK_CHECK_TIMEOUT_SECONDS", 10, minimum=1)
LINK_CHECK_CONCURRENCY = env_int("LINK_CHECK_CONCURRENCY", 8, minimum=1)
LINK_CHECK_FAILURES = env_int("LINK_CHECK_FAILURES", 3, minimum=1)
# Lets the link check (and the forms) take loopback and private addresses: only for local
# test servers. Off, it connects to public addresses only (meetups.addresses).
LINK_CHECK_ALLOW_PRIVATE = env_bool("LINK_CHECK_ALLOW_PRIVATE", False)

# Celery, the timed jobs' schedule (CELERY_BEAT_SCHEDULE) and email delivery, in their own
# module.
from .background import *  # noqa: E402,F403

# Private links (/proposals/<token>/, /groups/<token>/) are redacted from every log record
# made in this process, whichever logger makes it: Django's, gunicorn's, Celery's.
redaction.install()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Security: private links travel in URLs, so no referrer ever leaves this site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # HTTPS only. Behind a proxy that terminates TLS, name the header it sets, for example
    # DJANGO_PROXY_SSL_HEADER=X-Forwarded-Proto (the proxy must overwrite it on every request).
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    # Health checks (load balancers, docker-compose) probe over plain http inside the host.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
_proxy_header = env_str("DJANGO_PROXY_SSL_HEADER")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_header.upper().replace("-", "_"),
        env_str("DJANGO_PROXY_SSL_VALUE", "https"),
    )

# Content-Security-Policy (django-csp 4): only this site's own files; no inline script or
# style, no plugins, never framed, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap draws checkboxes and selects with data: SVG images.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Request size limits (Django's defaults, stated): beyond them the visitor gets a clear
# 413 or 400 page (config.views.bad_request), never a server error.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_MAX_REQUEST_BYTES", 2_621_440, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Staff accounts (allauth: sign-in, two-factor, single sign-on), in their own module.
from .accounts import *  # noqa: E402,F403

INSTALLED_APPS += SSO_PROVIDER_APPS  # noqa: F405

MFA_TOTP_ISSUER = PROGRAM_NAME
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{PROGRAM_NAME}: "
# Passkeys need a secure origin; `make run` serves http://localhost, which browsers count as
# secure but fido2 does not.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
