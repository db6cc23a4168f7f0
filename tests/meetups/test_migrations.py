"""The directory's version counter moved from the page row to its own (meetups 0003): the
version is kept, so no cached page or ETag from before the migration is taken for current."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("meetups", "0002_directory_page_roles")]
AFTER = [("meetups", "0003_directory_version")]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_counter_keeps_its_version_and_time_both_ways():
    changed_at = datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC)
    try:
        old = migrate_to(BEFORE)
        old.get_model("meetups", "DirectoryPage").objects.update_or_create(
            pk=1, defaults={"intro": "Hello.", "version": 41, "changed_at": changed_at}
        )

        new = migrate_to(AFTER)
        counter = new.get_model("meetups", "DirectoryVersion").objects.get()
        assert (counter.pk, counter.version, counter.changed_at) == (1, 41, changed_at)
        assert new.get_model("meetups", "DirectoryPage").objects.get(pk=1).intro == "Hello."

        new.get_model("meetups", "DirectoryVersion").objects.filter(pk=1).update(version=42)
        back = migrate_to(BEFORE)
        page = back.get_model("meetups", "DirectoryPage").objects.get(pk=1)
        assert (page.version, page.changed_at, page.intro) == (42, changed_at, "Hello.")
    finally:
        migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
