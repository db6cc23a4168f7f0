"""Review queue search: GIN trigram indexes on the expressions the search compares.

Django's `icontains` on PostgreSQL is `UPPER(column::text) LIKE UPPER('%…%')`, so the
indexes are on that expression (an index on the bare column would not be used). pg_trgm is
enabled by 0004. PostgreSQL only: on SQLite nothing is created and the search still works."""

from django.db import migrations

INDEXES = [
    ("intake_proposal_reference_upper_trgm", "intake_proposal", "reference"),
    ("intake_proposal_name_upper_trgm", "intake_proposal", "name"),
    ("intake_organizer_name_upper_trgm", "intake_organizer", "name"),
    ("intake_organizer_email_upper_trgm", "intake_organizer", "email"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_proposal_summary")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
