"""The append-only history lets a second update through, for erasure (intake.erasure): in
another proposal's row, the record of the similar proposals its organizers were shown may
change (an erased proposal loses its name there), and nothing else. Everything else is still
refused, and erasing a row itself (0015) still works."""

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
        AND (
            (NEW.note = '' AND NEW.snapshot = '{"erased": true}'::jsonb)
            OR (
                NEW.note = OLD.note
                AND OLD.snapshot ? 'overlaps_shown'
                AND NEW.snapshot ? 'overlaps_shown'
                AND (NEW.snapshot - 'overlaps_shown') = (OLD.snapshot - 'overlaps_shown')
            )
        )
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'intake_proposaltransition is append-only';
END;
$$ LANGUAGE plpgsql;
"""

ALLOW_ERASURE_ONLY = """
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


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_ERASURE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_ERASURE_ONLY)


class Migration(migrations.Migration):
    dependencies = [("intake", "0019_introductionrequest_done_at")]

    operations = [migrations.RunPython(forwards, backwards)]
