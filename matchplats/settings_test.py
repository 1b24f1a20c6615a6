"""Test settings: the production module with fast hashing, captured e-mail and inline tasks.

The database and channel layer are whatever the environment provides (DATABASE_URL,
REDIS_URL), so CI tests on PostgreSQL and Redis exactly as production runs.
"""

from matchplats.settings import *  # noqa: F403
from matchplats.settings import VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MATCHER_CACHE_DIR = VAR_DIR / "cache" / "matcher-test"
MATCHER_WARM_AT_START = False
"""Tests install their own matcher; the server's warm-up would load the full one."""
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Tests clear the cache between tests; a shared Redis must never be flushed by a test run.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
