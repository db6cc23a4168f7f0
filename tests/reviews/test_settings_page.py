"""The staff settings page: digests on or off, reachable from the staff header."""

import pytest

from reviews.digests import staff_for_digests, wants_digest
from reviews.models import DigestPreference
from tests import factories


@pytest.mark.django_db
def test_settings_page_turns_digests_off_and_on(client):
    user = factories.staff_user(role="reviewer")
    client.force_login(user)
    queue = client.get("/reviews/").content.decode()
    assert '<a class="nav-link" href="/reviews/settings/">Settings</a>' in queue

    page = client.get("/reviews/settings/").content.decode()
    assert (
        '<label class="form-check-label" for="id_wants_digest">Email me a weekly digest</label>'
        in page
    )
    assert 'id="id_wants_digest" aria-describedby="wants-digest-help" checked' in page
    assert 'href="/reviews/settings/" aria-current="page"' in page
    assert wants_digest(user) and user in staff_for_digests()

    response = client.post("/reviews/settings/", {}, follow=True)
    assert "Saved: you will not get the weekly digest." in response.content.decode()
    assert not wants_digest(user) and user not in staff_for_digests()
    assert (
        "checked"
        not in client.get("/reviews/settings/").content.decode().split("id_wants_digest")[1][:80]
    )

    client.post("/reviews/settings/", {"wants_digest": "on"})
    assert wants_digest(user) and DigestPreference.objects.get(user=user).wants_digest


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "plain_user"])
def test_settings_page_is_for_staff_only(client, role):
    if role == "plain_user":
        client.force_login(factories.staff_user(role="none", is_staff=True))
    response = client.get("/reviews/settings/")
    assert response.status_code == (302 if role == "anonymous" else 403)
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
