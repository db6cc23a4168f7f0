"""Questions staff can change (intake.Question) and proposals' answers (intake.Answer).
Program managers manage the questions in the admin: they get its permissions here."""

import django.db.models.deletion
import django.utils.timezone
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

MANAGER_PERMISSIONS = ["view_question", "add_question", "change_question", "delete_question"]
# Both roles read the answers with the proposals in the admin.
STAFF_PERMISSIONS = ["view_answer"]


def grant_permissions(apps, schema_editor):
    # As in reviews 0002: permissions are normally made after every migration has run.
    app_config = apps.get_app_config("intake")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in (
        ("Program managers", MANAGER_PERMISSIONS + STAFF_PERMISSIONS),
        ("Reviewers", STAFF_PERMISSIONS),
    ):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="intake", codename__in=codenames)
        )


def revoke_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="intake",
        codename__in=MANAGER_PERMISSIONS + STAFF_PERMISSIONS,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_overlap_trigram_indexes"),
        ("reviews", "0002_role_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Question",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "label",
                    models.CharField(
                        help_text="The question, as the form asks it.", max_length=300
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("short_text", "Short text (one line)"),
                            ("long_text", "Long text (paragraphs)"),
                            ("choice", "Choice (one of a list)"),
                            ("yes_no", "Yes or no"),
                            ("url", "Web address"),
                        ],
                        max_length=20,
                    ),
                ),
                ("required", models.BooleanField(default=False)),
                (
                    "help_text",
                    models.CharField(
                        blank=True, help_text="Shown under the question. Optional.", max_length=500
                    ),
                ),
                (
                    "choices",
                    models.TextField(
                        blank=True,
                        help_text="For a choice question: one answer per line, in order.",
                    ),
                ),
                (
                    "section",
                    models.CharField(
                        choices=[
                            ("about", "About the group"),
                            ("existing", "Groups already listed"),
                            ("meetings", "Meetings"),
                            ("support", "Support from the council"),
                        ],
                        default="about",
                        help_text="Where on the form it is asked: after that section's own questions.",
                        max_length=20,
                    ),
                ),
                (
                    "order",
                    models.PositiveIntegerField(default=0, help_text="Lower numbers come first."),
                ),
                (
                    "retired",
                    models.BooleanField(
                        default=False,
                        help_text="No longer asked. Proposals that answered it keep and show their answers.",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["section", "order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Answer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.TextField(blank=True)),
                (
                    "proposal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="intake.proposal",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="answers",
                        to="intake.question",
                    ),
                ),
            ],
            options={
                "ordering": ["question__section", "question__order", "question_id"],
                "constraints": [
                    models.UniqueConstraint(
                        models.F("proposal"), models.F("question"), name="one_answer_per_question"
                    )
                ],
            },
        ),
        migrations.RunPython(grant_permissions, revoke_permissions),
    ]
