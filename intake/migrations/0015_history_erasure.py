"""The append-only history lets one update through: erasure (intake.erasure), which blanks a
row's note and snapshot and changes nothing else. Everything else is still refused."""

from django.db import migrations

ALLOW_ERASURE = """
CREATE OR REPLACE FUNCTION intake_history_is_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.id = OLD.id
        AND NEW.proposal_id = OLD.proposal_id
        AND NEW.transition = OLD.transition
        AND NEW.from_state = OLD.from_state
        AND NEW.to_state = OLD.to_state
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.actor_label = OLD.actor_label
        AND NEW.created_at = OLD.created_at
        AND NEW.note = ''
        AND NEW.snapshot = '{"erased": true}'::jsonb
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'intake_proposaltransition is append-only';
END;
$$ LANGUAGE plpgsql;
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION intake_history_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'intake_proposaltransition is append-only';
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
    dependencies = [("intake", "0014_proposal_shares_name_with_similar")]

    operations = [migrations.RunPython(forwards, backwards)]
