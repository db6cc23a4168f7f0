"""Staff sign-in: accounts are named by their email address."""

from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "The email address or password is not right. Check them and try again; both "
            "are case-sensitive."
        ),
        "inactive": "This account is switched off. Ask a program manager to switch it on.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["username"].error_messages["required"] = "Enter your email address."
        self.fields["password"].error_messages["required"] = "Enter your password."

    def clean_username(self):
        # Accounts are named by their email address, stored in lower case.
        return self.cleaned_data["username"].strip().lower()
