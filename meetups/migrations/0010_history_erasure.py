"""A group's append-only history lets one update through: erasure (meetups.erasure), which
blanks a row's note and details and the organizer's name in its label, nothing else."""

from django.db import migrations

ALLOW_ERASURE = """
CREATE OR REPLACE FUNCTION meetups_history_is_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.id = OLD.id
        AND NEW.meetup_id = OLD.meetup_id
        AND NEW.kind = OLD.kind
        AND NEW.from_state = OLD.from_state
        AND NEW.to_state = OLD.to_state
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.key IS NOT DISTINCT FROM OLD.key
        AND NEW.created_at = OLD.created_at
        AND NEW.note = ''
        AND NEW.details IS NULL
        AND (NEW.actor_label = OLD.actor_label OR NEW.actor_label = 'Organizer')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'A group''s history is append-only.';
END;
$$ LANGUAGE plpgsql;
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION meetups_history_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'A group''s history is append-only.';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_ERASURE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY)


class Migration(migrations.Migration):
    dependencies = [("meetups", "0009_group_contact_name_consent")]

    operations = [migrations.RunPython(forwards, backwards)]
