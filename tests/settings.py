"""Settings for the test suite: the real settings, with a throwaway secret key and fast
password hashing. DATABASE_URL and REDIS_URL still choose the services, as in production."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# SQLite tests use a file, not memory: the Celery worker tests read and write from a second
# thread, and a shared in-memory database fails them with "table is locked" instead of
# waiting for the lock.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
# The test client speaks plain http; production's HTTPS redirect is tested in a subprocess.
SECURE_SSL_REDIRECT = False
