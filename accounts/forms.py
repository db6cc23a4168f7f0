"""allauth's sign-in forms, in the words staff know them by."""

from allauth.account.forms import LoginForm, ReauthenticateForm
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


def _reset_help(field) -> None:
    # The way to a new password, inside a sentence (allauth's is a lone small link).
    field.widget.attrs.pop("placeholder", None)
    field.error_messages["required"] = _("Enter your password.")
    field.help_text = format_html(
        '{} <a href="{}">{}</a>',
        _("Forgot your password?"),
        reverse("account_reset_password"),
        _("Reset it by email"),
    )


class StaffLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Email address")
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs["autocomplete"] = "username"
        login.error_messages["required"] = _("Enter your email address.")
        _reset_help(self.fields["password"])


class StaffReauthenticateForm(ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _reset_help(self.fields["password"])
