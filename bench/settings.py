"""Settings for `make bench`: the production settings, plus the baseline URLs.

The benchmark's processes (gunicorn, the Celery worker, manage.py) run with
DJANGO_SETTINGS_MODULE=bench.settings, so production settings and URLs never mention the
benchmark and a deployment cannot serve its baseline views by mistake."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
