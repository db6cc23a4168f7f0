# The application image: web (gunicorn), Celery worker and beat all run from it.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first (pinned by requirements.lock), so code changes do not reinstall them.
COPY pyproject.toml requirements.lock README.md ./
RUN pip install -c requirements.lock .

COPY . .
RUN useradd --create-home --uid 1000 app && mkdir -p /app/staticfiles && chown -R app /app/staticfiles
USER app

EXPOSE 8000
# Migrations, the throttle cache table and static files at start, then gunicorn.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py createcachetable && python manage.py collectstatic --noinput && exec gunicorn config.wsgi --bind 0.0.0.0:8000 --workers 3 --timeout 30 --access-logfile -"]
