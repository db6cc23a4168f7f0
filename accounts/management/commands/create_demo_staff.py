"""Demo staff accounts for `make run`. Refuses to run with DJANGO_DEBUG off."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts import enrollment
from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP

DEMO_ACCOUNTS = [
    ("reviewer@example.org", "Riley", "Reviewer", REVIEWERS_GROUP),
    ("manager@example.org", "Morgan", "Manager", PROGRAM_MANAGERS_GROUP),
]


class Command(BaseCommand):
    help = "Create or reset the demo reviewer and program manager (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts exist only with DJANGO_DEBUG on; none was made.")
        User = get_user_model()
        lines = []
        for email, first, last, group_name in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(9)
            user, _ = User.objects.get_or_create(
                username=email, defaults={"email": email, "first_name": first, "last_name": last}
            )
            user.email = email
            user.is_staff = group_name == PROGRAM_MANAGERS_GROUP
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group_name))
            enrollment.keep_sign_in_address(user=user)
            lines.append(f"  {group_name[:-1]:<16} {email:<24} password: {password}")
            if group_name == PROGRAM_MANAGERS_GROUP:
                # Program managers sign in with a second factor: a fresh authenticator app
                # each start, and a recovery code to type when asked for a code.
                user.authenticator_set.all().delete()
                uri, codes = enrollment.enroll_totp(user=user)
                lines.append(f"  {'':<16} authenticator app: {uri}")
                lines.append(f"  {'':<16} or, when asked for a code, a recovery code: {codes[0]}")
        self.stdout.write(
            "Demo staff accounts (new passwords each start), sign in at "
            f"{settings.SITE_URL}/accounts/login/"
        )
        self.stdout.write("\n".join(lines))
