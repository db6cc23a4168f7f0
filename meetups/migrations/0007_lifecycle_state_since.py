"""GroupLink.ended (a former organizer's link explains itself) and Meetup.state_since: when a group entered its current state. Existing groups take the
time of the latest history row that brought them there, else the time they were listed."""

import django.utils.timezone
from django.db import migrations, models


def backfill(apps, schema_editor):
    Meetup = apps.get_model("meetups", "Meetup")
    MeetupEvent = apps.get_model("meetups", "MeetupEvent")
    for meetup in Meetup.objects.all().iterator():
        entered = (
            MeetupEvent.objects.filter(meetup=meetup, to_state=meetup.lifecycle)
            .order_by("-created_at", "-id")
            .values_list("created_at", flat=True)
            .first()
        )
        Meetup.objects.filter(pk=meetup.pk).update(state_since=entered or meetup.created_at)


class Migration(migrations.Migration):
    dependencies = [('meetups', '0006_group_contact_added_by')]

    operations = [
        migrations.AddField(
            model_name="meetup",
            name="state_since",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="In this state since"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddField(
            model_name="grouplink",
            name="ended",
            field=models.CharField(
                blank=True,
                choices=[
                    ("handed_over", "Handed over"),
                    ("removed", "Removed"),
                    ("stepped_down", "Stepped down"),
                ],
                max_length=20,
            ),
        ),
    ]
