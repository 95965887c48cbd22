"""Settings for the test suite: SQLite in memory unless DATABASE_URL is set, local mail and cache, fast hashing."""

import os
import tempfile

os.environ.setdefault("FRESHGROUND_DATA", tempfile.mkdtemp(prefix="freshground-test-"))
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 40)
os.environ.setdefault("EMAIL_URL", "locmem://")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ["FRESHGROUND_INSECURE_HTTP"] = "1"
os.environ.pop("REDIS_URL", None)

from freshground.settings import *  # noqa: F403
from freshground.settings import DATABASES, FRESHGROUND, STATIC_ROOT

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "reports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
ACCOUNT_RATE_LIMITS = False
SILENCED_SYSTEM_CHECKS: list[str] = []
# whitenoise warns when STATIC_ROOT is missing; the tests serve from the finders instead.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Every test account is brand new, so moderation's per-person rate limits and the new-account link/spam check would
# apply to every test that posts twice. They are off here; moderation's own tests turn them on to test them.
# The same for the limit on reports sent from one address (reports' own tests turn it on).
FRESHGROUND = {
    **FRESHGROUND,
    "RATE_LIMITS": None,
    "NEW_ACCOUNT_RATE_LIMITS": None,
    "SPAM_CHECK": False,
    "REPORT_SUBMISSION_LIMITS": None,
}
# Reporters' passphrases are hashed with Argon2 at OWASP cost in production; cheap here so tests stay fast.
REPORTS_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
