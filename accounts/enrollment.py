"""What the staff commands set up beside an account: its sign-in address as allauth knows it,
and an authenticator app enrolled from the command line (add_staff --totp, the demo
manager). Who must have a second factor, and sending them to set one up, is in accounts.roles."""

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from django.utils.translation import gettext as _


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def keep_sign_in_address(*, user) -> None:
    """The account's address, as allauth's verified primary EmailAddress (what sign-in and
    password reset look up), after a command set or changed it."""
    email = user.email.strip().lower()
    EmailAddress.objects.filter(user=user).exclude(email=email).delete()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )


def enroll_totp(*, user) -> tuple[str, list[str]]:
    """Give `user` an authenticator app (TOTP) and recovery codes at once, as from the
    command line; returns the otpauth:// URI to load into the app, and the recovery codes.
    An account that already has one keeps it: replacing it is done signed in, at /accounts/2fa/."""
    if has_totp(user):
        raise ValueError(_("This account already has an authenticator app."))
    secret = generate_totp_secret()
    with transaction.atomic():
        TOTP.activate(user, secret)
        codes = Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES
        ).first()
        recovery = RecoveryCodes(codes) if codes else RecoveryCodes.activate(user)
    return get_mfa_adapter().build_totp_url(user, secret), recovery.get_unused_codes()
