"""Review queue search: its trigram indexes (0007) take new rows straight into the index.

With GIN's default `fastupdate`, new rows wait in a pending list that every search reads
from end to end, until a vacuum (or autovacuum's analyze; never a plain ANALYZE) merges it.
Proposals are written a few at a time and searched far more often, and bulk-created rows
(the benchmark's 100,000) left the whole table in that list: a search read it all and the
planner, costing it so, read the table instead. Turned off here, and the list as it stands
merged now. PostgreSQL only, as 0007."""

from django.db import migrations

INDEXES = [
    "intake_proposal_reference_upper_trgm",
    "intake_proposal_name_upper_trgm",
    "intake_organizer_name_upper_trgm",
    "intake_organizer_email_upper_trgm",
]


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("intake", "0008_organizer_email_upper")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
