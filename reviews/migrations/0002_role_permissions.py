"""Model permissions for the two staff roles. The reviewer workspace checks roles, not these
permissions; they decide what each role may see and do in the Django admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER_PERMISSIONS = [
    ("intake", "view_proposal"),
    ("intake", "view_organizer"),
    ("intake", "view_proposaltransition"),
    ("reviews", "view_review"),
    ("reviews", "add_review"),
    ("reviews", "change_review"),
    ("reviews", "view_comment"),
    ("reviews", "add_comment"),
]

# Program managers do everything reviewers do, plus decide (change_proposal lets them use
# the transition form in the admin), edit the program text and manage listed groups.
MANAGER_PERMISSIONS = REVIEWER_PERMISSIONS + [
    ("intake", "change_proposal"),
    ("intake", "view_programpage"),
    ("intake", "change_programpage"),
    ("meetups", "view_meetup"),
    ("meetups", "add_meetup"),
    ("meetups", "change_meetup"),
    ("meetups", "view_meetuporganizer"),
    ("meetups", "add_meetuporganizer"),
    ("meetups", "change_meetuporganizer"),
    ("meetups", "delete_meetuporganizer"),
]


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations run; create them now. The
    # migration state's app stubs lack models_module, which create_permissions checks.
    for label in ("intake", "reviews", "meetups"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def grant(group_name, wanted):
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in wanted:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)

    grant("Reviewers", REVIEWER_PERMISSIONS)
    grant("Program managers", MANAGER_PERMISSIONS)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Reviewers", "Program managers"]):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("intake", "0002_roles_pages_append_only"),
        ("meetups", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
