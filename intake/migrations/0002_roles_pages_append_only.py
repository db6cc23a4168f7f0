"""Staff roles, the default program text, and a database guard on the audit trail."""

from django.db import migrations

GUIDELINES = """## What a meetup group is

A meetup group is a group of people who meet regularly to talk about a topic that matters to libraries, archives and museums. Members of the council lead each group. The council helps with space, promotion and a page in the directory.

## Who can propose a group

- You must work at or study with a library, archive or museum in the region, or care about their work.
- You need at least one co-organizer. Groups run by two or more people last longer.
- At least one organizer should work at a member institution. If none does, say so: we still read your proposal.

## What every group must do

- Meetings must be free and open to everyone who is interested.
- You must follow the code of conduct at every meeting, in person and online.
- You must meet at least twice a year.
- You must tell us when organizers change, or when you want to stop.

## What to put in your proposal

- The group's name, and what it is about: what is in scope and what is not.
- Who the group is for.
- How it differs from the groups already listed, or where it overlaps.
- The names, email addresses and institutions of the organizers.
- What you plan to do, how often you will meet, and where.
- What help you need from the council.

## What happens after you submit

Program staff read every proposal. They may ask questions or ask you to change something. You can answer and change your proposal on its private page. When they decide, we email every organizer. If your group is approved, it appears in the directory with the organizers' names. We never show email addresses.

## Code of conduct

Everyone at a meetup must be treated with respect. Harassment of any kind is not allowed. Organizers must act when someone breaks the code of conduct, and tell the program staff."""

HOME = """The council supports groups of members who meet around a shared topic: software for libraries, instruction, resource sharing, outreach and more. Volunteers convene each group; the council gives them space, promotion and a place in the directory.

Anyone can propose a new group. You need a topic, a co-organizer, and a plan to meet at least twice a year."""


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ("Reviewers", "Program managers"):
        Group.objects.get_or_create(name=name)
    ProgramPage = apps.get_model("intake", "ProgramPage")
    ProgramPage.objects.get_or_create(
        slug="guidelines", defaults={"title": "Program guidelines", "body": GUIDELINES}
    )
    ProgramPage.objects.get_or_create(
        slug="home", defaults={"title": "About the program", "body": HOME}
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION intake_history_is_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'intake_proposaltransition is append-only';
            END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER intake_proposaltransition_append_only
                BEFORE UPDATE OR DELETE ON intake_proposaltransition
                FOR EACH ROW EXECUTE FUNCTION intake_history_is_append_only();
            """
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS intake_proposaltransition_append_only "
            "ON intake_proposaltransition; "
            "DROP FUNCTION IF EXISTS intake_history_is_append_only();"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
