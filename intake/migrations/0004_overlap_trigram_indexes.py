"""Overlap warnings: pg_trgm and GIN trigram indexes on the names and descriptions of listed
groups and proposals (intake.overlap). PostgreSQL only: on SQLite the scores are computed
in Python and nothing is created."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("meetups_meetup_name_trgm", "meetups_meetup", "name"),
    ("meetups_meetup_description_trgm", "meetups_meetup", "description"),
    ("intake_proposal_name_trgm", "intake_proposal", "name"),
    ("intake_proposal_description_trgm", "intake_proposal", "description"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_proposal_reply_due_reminder"),
        ("meetups", "0002_directory_page_roles"),
    ]

    operations = [
        # Does nothing on other databases (Django's CreateExtension checks the vendor).
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
