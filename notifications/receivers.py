"""What notifications does when lower layers announce something (connected in apps.py)."""

from . import services


def tell_owner_of_guessed_sign_in(sender, *, username, address, failures, window, **kwargs):
    services.record_sign_in_alert(
        username=username, address=address, failures=failures, window=window
    )
