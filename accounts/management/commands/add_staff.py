"""Create a staff account, or update its role and password: the way to give someone access
to the reviewer workspace outside development. With --totp it also enrolls an authenticator
app and prints its otpauth:// URI, so a script can sign in with a code at once."""

import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts import enrollment
from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP

ROLES = {"reviewer": REVIEWERS_GROUP, "manager": PROGRAM_MANAGERS_GROUP}


class Command(BaseCommand):
    help = (
        "Create or update a staff account. The password comes from DJANGO_STAFF_PASSWORD, "
        "or is asked for twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's email address; they sign in with it.")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--name", default="", help="Their full name, shown to other staff.")
        parser.add_argument(
            "--totp",
            action="store_true",
            help=(
                "Also enroll an authenticator app (two-factor sign-in) and print its otpauth:// "
                "URI and recovery codes. Program managers must have one before opening staff "
                "pages; without this they set it up at their first sign-in."
            ),
        )

    def _password(self, user) -> str:
        password = os.environ.get("DJANGO_STAFF_PASSWORD")
        if password is None:
            if not sys.stdin or not sys.stdin.isatty():
                raise CommandError(
                    "No password given: set DJANGO_STAFF_PASSWORD, or run this in a terminal "
                    "to be asked for one."
                )
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The two passwords are different. Nothing was changed.")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(
                "That password is not allowed: " + " ".join(exc.messages) + " Nothing was changed."
            ) from None
        return password

    def handle(self, *args, email, role, name, totp=False, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address.") from None
        User = get_user_model()
        user = User.objects.filter(username=email).first()
        created = user is None
        if created:
            user = User(username=email, email=email)
        if name:
            first, _, last = name.strip().partition(" ")
            user.first_name, user.last_name = first, last
        password = self._password(user)
        if totp and user.pk and enrollment.has_totp(user):
            raise CommandError(
                f"{email} already has an authenticator app; nothing was changed. They replace "
                "it themselves, signed in, at /accounts/2fa/."
            )
        with transaction.atomic():
            user.email = email
            user.is_active = True
            # Program managers also use the Django admin; reviewers work in /reviews/.
            user.is_staff = role == "manager" or user.is_superuser
            user.set_password(password)
            user.save()
            user.groups.remove(*Group.objects.filter(name__in=ROLES.values()))
            user.groups.add(Group.objects.get(name=ROLES[role]))
            enrollment.keep_sign_in_address(user=user)
            enrolled = enrollment.enroll_totp(user=user) if totp else None
        verb = "Created" if created else "Updated"
        self.stdout.write(
            f"{verb} {email} as {ROLES[role][:-1].lower()}. They can sign in at /accounts/login/."
        )
        if enrolled:
            uri, codes = enrolled
            self.stdout.write(
                "Authenticator app enrolled. Load this into the app (or a QR code made from it); "
                "keep it secret:"
            )
            self.stdout.write(uri)
            self.stdout.write("Recovery codes (each signs in once, without the app):")
            self.stdout.write("  " + " ".join(codes))
