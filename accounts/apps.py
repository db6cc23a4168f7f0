from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff roles, sign-in, the header's staff links and the staff commands."""

    name = "accounts"
    verbose_name = "Accounts"
