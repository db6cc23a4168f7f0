"""Reading settings from the environment, with clear errors for bad values."""

import datetime
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_dates(name: str) -> tuple[datetime.date, ...]:
    """Comma-separated ISO dates (2026-12-25,2027-01-01); a bad one is named in the error."""
    dates = []
    for item in env_list(name, []):
        try:
            dates.append(datetime.date.fromisoformat(item))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be dates written YYYY-MM-DD, separated by commas; got {item!r}"
            ) from None
    return tuple(sorted(dates))


# `make run` writes the address it serves into this file of the checkout, so the commands
# run by hand beside it (manage.py lifecycle_pass…) build links to the same site.
SERVED_SITE_URL_FILE = ".site-url"


def site_url(base_dir, *, debug: bool, default: str = "http://127.0.0.1:8000") -> str:
    """SITE_URL from the environment; else, in development (DEBUG), the address `make run`
    last served (base_dir/.site-url); else `default`."""
    value = env_str("SITE_URL")
    if not value and debug:
        try:
            value = (Path(base_dir) / SERVED_SITE_URL_FILE).read_text().strip().splitlines()[0]
        except (OSError, IndexError):
            value = ""
    return (value.strip() or default).rstrip("/")
