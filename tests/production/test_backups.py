"""Backups that are tried: docker-compose's nightly dump (deploy/backup.sh) is run against
the test database, the database is dropped, restored from the dump by the procedure in
docs/backups.md, and the directory, the proposals and the outbox are all there again."""

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection, connections

from intake.models import Proposal, ProposalTransition, State
from meetups.models import GroupContact, Meetup, MeetupEvent
from notifications.models import Notification
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "backup.sh"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _libpq_env() -> dict:
    db = connection.settings_dict
    return {
        **os.environ,
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"] or "postgres",
        "PGPASSWORD": db["PASSWORD"] or "",
        "PGDATABASE": db["NAME"],
    }


def _state() -> list:
    """What must survive: the directory, the proposals with their history, the outbox."""
    return [
        list(Meetup.objects.order_by("pk").values_list("pk", "name", "slug", "lifecycle", "url")),
        list(GroupContact.objects.order_by("pk").values_list("meetup_id", "email")),
        list(MeetupEvent.objects.order_by("pk").values_list("meetup_id", "kind", "created_at")),
        list(Proposal.objects.order_by("pk").values_list("pk", "reference", "name", "state")),
        list(ProposalTransition.objects.order_by("pk").values_list("proposal_id", "transition")),
        list(
            Notification.objects.order_by("pk").values_list(
                "event_key", "recipient", "kind", "status", "subject", "body_text"
            )
        ),
    ]


def _psql(env: dict, sql: str) -> None:
    subprocess.run(
        ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_a_nightly_dump_restores_the_directory_proposals_and_outbox(tmp_path, client):
    factories.proposal_in_state(State.APPROVED)
    factories.proposal_in_state(State.SUBMITTED)
    factories.proposal_in_state(State.CHANGES_REQUESTED)
    factories.meetup(name="Imported Circle")
    before = _state()
    assert before[0] and before[3] and before[5]  # a directory, proposals and emails

    env = {**_libpq_env(), "BACKUP_DIR": str(tmp_path), "BACKUP_KEEP": "2"}
    for _ in range(3):  # three nights; the retention keeps two
        subprocess.run(["sh", str(SCRIPT), "once"], env=env, check=True, timeout=120)
    dumps = sorted(tmp_path.glob("*.dump"))
    assert len(dumps) == 2 and not list(tmp_path.glob("*.partial"))

    # Lose the database, then restore the newest dump as docs/backups.md says.
    name = env["PGDATABASE"]
    connections.close_all()
    _psql(env, f'DROP DATABASE "{name}" WITH (FORCE)')
    _psql(env, f'CREATE DATABASE "{name}"')
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", name, str(dumps[-1])],
        env=env,
        check=True,
        timeout=120,
    )
    assert _state() == before
    # And the site works on it: the directory lists the groups again.
    assert "Imported Circle" in client.get("/meetups/").content.decode()
