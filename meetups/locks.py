"""The directory's lock, shared by the services that check names (meetups.services) and the
lifecycle (meetups.lifecycle), which both need it and must not import each other."""

from django.db import connection
from django.db.models import F

from .cache import COUNTER_PK
from .models import DirectoryVersion


def lock_directory() -> None:
    """Hold the directory until the caller's transaction ends. A second caller waits here,
    then reads the listed groups as the first one left them: checks about them (a name not
    yet listed) and the change that follows happen one transaction at a time. Call it first
    in the transaction (intake.services.run_transition does, to approve)."""
    if connection.features.has_select_for_update:
        DirectoryVersion.objects.select_for_update().get_or_create(pk=COUNTER_PK)
    else:
        # SQLite has no row locks (Django skips FOR UPDATE there), but only one connection
        # writes at a time. A write as the transaction's first statement takes that lock now,
        # waiting its turn (up to the connection's timeout); after any read it could not wait,
        # and the loser of the race would get "database is locked" instead of the refusal.
        # Setting the version to itself changes nothing.
        DirectoryVersion.objects.filter(pk=COUNTER_PK).update(version=F("version"))
