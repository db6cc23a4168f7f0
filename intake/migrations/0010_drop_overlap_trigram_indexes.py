"""The overlap check no longer asks the database (intake.overlap keeps an index of the
candidates in each web process): the GIN trigram indexes made for it (0004) only cost writes
now. pg_trgm stays, for the review queue's search (0007)."""

from importlib import import_module

from django.db import migrations

created = import_module("intake.migrations.0004_overlap_trigram_indexes")


class Migration(migrations.Migration):
    dependencies = [("intake", "0009_queue_search_indexes_without_pending_list")]

    operations = [
        migrations.RunPython(created.drop_indexes, created.create_indexes),
    ]
