"""Staff accounts made before the move to allauth get their sign-in address as an allauth
EmailAddress (verified, primary), so they sign in and reset their password by it. Passwords
are untouched: allauth checks the same Django password hashes."""

from django.conf import settings
from django.db import migrations


def add_email_addresses(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = {e.lower() for e in EmailAddress.objects.values_list("email", flat=True)}
    rows = []
    for user in User.objects.order_by("pk"):
        email = (user.email or "").strip().lower()
        if not email or email in taken:
            continue  # no address, or two accounts share one: left for an administrator
        taken.add(email)
        rows.append(EmailAddress(user=user, email=email, verified=True, primary=True))
    EmailAddress.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(add_email_addresses, migrations.RunPython.noop)]
