"""How allauth fits this program: accounts are made by program managers, never by signing up;
failed sign-ins are counted per address and per (account, address) pair, with the address the
throttles use; the owner of an account being guessed is told; staff-account emails go out
straight through Django's mail backend (see send_mail)."""

import logging
import smtplib
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common import throttle

from . import roles
from .signals import sign_in_throttled

logger = logging.getLogger(__name__)

# After this many failed sign-ins for one account in a window, from anywhere, its owner is
# told by email (once per window; notifications listens to sign_in_throttled).
SIGN_IN_ALERT_AFTER = 5
SIGN_IN_ALERT_WINDOW = 900


class StaffAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _(
            "The email address or password is not right. Check them and try again; the "
            "password is case-sensitive."
        ),
        "too_many_login_attempts": _(
            "There have been too many failed sign-ins for this account or from your "
            "connection. Wait 15 minutes and try again, or reset your password."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # A sign-in that just happened counts as fresh (allauth counts only an explicit
        # "confirm it is you"), as it does for the CSV export: adding a passkey right after
        # signing in with a code does not ask again.
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        return request is None or not roles.signed_in_freshly(request)

    def get_client_ip(self, request) -> str:
        # The same address the throttles use: X-Forwarded-For only from trusted proxies.
        return throttle.client_address(request)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys its per-account failure limit on the account alone, so guesses from
        # many addresses used it up and refused the owner's right password too. With the
        # address in the key the limit is per (account, address) pair; the per-address
        # limit (ACCOUNT_RATE_LIMITS) still bounds each guesser.
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}|{self.get_client_ip(request)}"

    def authentication_failed(self, request, **credentials) -> None:
        username = (credentials.get("email") or credentials.get("username") or "").strip().lower()
        if not username:
            return
        failures = throttle.record("sign-in-failures", username, window=SIGN_IN_ALERT_WINDOW)
        if failures >= SIGN_IN_ALERT_AFTER and throttle.take(
            "sign-in-alert", username, limit=1, window=SIGN_IN_ALERT_WINDOW
        ):
            sign_in_throttled.send(
                sender=self.__class__,
                username=username,
                address=self.get_client_ip(request),
                failures=failures,
                window=SIGN_IN_ALERT_WINDOW,
            )

    def send_mail(self, template_prefix, email, context):
        """Password reset links and security notices go out at once through Django's mail
        backend, not the outbox: a reset link is a key to the account and the outbox keeps
        what it sends, shown to program managers. A mail server that fails is logged, and
        the page says what it always says (it never tells whether an address has an account)."""
        context = {**context, "program_name": settings.PROGRAM_NAME, "site_url": settings.SITE_URL}
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError):
            logger.exception("Could not send the staff-account email %s", template_prefix)

    def get_reset_password_from_key_url(self, key: str) -> str:
        # Links in emails start at SITE_URL, as every other email's do. (allauth's `key` is
        # "<uid>-<key>", put in place of the pattern's two parts as allauth itself does.)
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))


class StaffSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # Single sign-on signs in existing staff accounts (matched by verified address).
        return False


class StaffMFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """Someone who must use two factors keeps at least one (they may add another first)."""
        user = authenticator.user
        if not roles.must_use_two_factor(user):
            return True
        others = user.authenticator_set.filter(type__in=roles.SECOND_FACTORS).exclude(
            pk=authenticator.pk
        )
        return authenticator.type not in roles.SECOND_FACTORS or others.exists()
