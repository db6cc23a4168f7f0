"""The people the access tests act as, named once for the whole suite (the role matrix).

- anonymous: a visitor who is not signed in;
- organizer: an organizer who opened their private link; that gives no session, so they
  are still anonymous to the staff pages;
- plain_user: a signed-in account with no reviewer role (for example one created by
  mistake); `is_staff` for the admin unless asked otherwise, since the workspace must not
  take that flag for a role (Django's admin shows its own empty index to such an account);
- reviewer, manager (a program manager), superuser: the staff;
- recused_manager: a program manager who is also one of the proposal's organizers (same
  email address), so they may read the proposal but not review, comment on or decide it.
"""

from django.test import Client

from tests import factories

ROLES = [
    "anonymous",
    "organizer",
    "plain_user",
    "reviewer",
    "manager",
    "recused_manager",
    "superuser",
]
# Who may act in the reviewer workspace.
STAFF_ROLES = ["reviewer", "manager", "superuser"]
# Who is refused every staff page.
OUTSIDERS = ["anonymous", "organizer", "plain_user"]


def user_for(role: str, *, proposal=None, is_staff: bool = True):
    if role == "reviewer":
        return factories.staff_user(role="reviewer")
    if role == "manager":
        return factories.staff_user(role="manager")
    if role == "recused_manager":
        assert proposal is not None, "a recused manager is recused from some proposal"
        email = proposal.organizers.order_by("pk").first().email
        return factories.staff_user(role="manager", email=email)
    if role == "superuser":
        return factories.superuser()
    if role == "plain_user":
        return factories.staff_user(role="none", is_staff=is_staff)
    assert role in ("anonymous", "organizer"), role
    return None


def client_for(
    role: str, *, proposal=None, token: str | None = None, is_staff: bool = True
) -> tuple[Client, object]:
    """A client acting as `role` (about `proposal`, for a recused manager); the organizer
    opens their private link `token` first."""
    client = Client()
    user = user_for(role, proposal=proposal, is_staff=is_staff)
    if user is not None:
        client.force_login(user)
    if role == "organizer" and token:
        assert client.get(f"/proposals/{token}/").status_code == 200
    return client, user
