"""Clients signed in as each kind of person, for the reviewer workspace tests."""

from django.test import Client

from tests import factories

ROLES = ["anonymous", "organizer", "plain_user", "reviewer", "manager", "superuser"]
STAFF_ROLES = ["reviewer", "manager", "superuser"]


def user_for(role: str):
    if role == "reviewer":
        return factories.staff_user(role="reviewer")
    if role == "manager":
        return factories.staff_user(role="manager")
    if role == "superuser":
        return factories.superuser()
    if role == "plain_user":
        # Signed in, and even `is_staff` for the admin, but with no reviewer role.
        return factories.staff_user(role="none", is_staff=True)
    return None


def client_for(role: str, *, token: str | None = None) -> tuple[Client, object]:
    """A client acting as `role`. The organizer is someone who opened their private link:
    that gives no session, so it counts for nothing in the workspace."""
    client = Client()
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    if role == "organizer" and token:
        assert client.get(f"/proposals/{token}/").status_code == 200
    return client, user


def decide(client, proposal, name: str, note: str = "", expected_state: str | None = None):
    return client.post(
        f"/reviews/{proposal.reference}/decide/",
        {
            "transition": name,
            "note": note,
            "expected_state": expected_state or proposal.state,
        },
    )
