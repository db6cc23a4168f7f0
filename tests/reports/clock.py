"""A controlled clock for scripted histories: django.utils.timezone.now, and every model
field whose default is it (the histories' created_at), answer the time the test sets."""

import datetime

from django.apps import apps
from django.utils import timezone

_real_now = timezone.now


class Clock:
    def __init__(self, start: datetime.datetime):
        self.current = start

    def __call__(self) -> datetime.datetime:
        return self.current

    def set(self, moment: datetime.datetime) -> None:
        self.current = moment

    def advance(self, **delta) -> None:
        self.current += datetime.timedelta(**delta)


def install(monkeypatch, start: datetime.datetime) -> Clock:
    clock = Clock(start)
    monkeypatch.setattr(timezone, "now", clock)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "default", None) is _real_now:
                # Field.get_default reads its cached _get_default: replace that for the test.
                monkeypatch.setitem(field.__dict__, "_get_default", clock)
    return clock


def local(year, month, day, hour=12, minute=0) -> datetime.datetime:
    """An aware moment in the program's time zone."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))
