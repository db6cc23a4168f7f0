"""Security headers on the pages of the reviewer workspace, the outbox and the directory,
as a signed-in program manager sees them."""

import pytest
from django.test import Client

from meetups.models import Meetup
from notifications.models import Notification
from tests import factories

from .test_headers import assert_security_headers


@pytest.mark.django_db
def test_staff_and_directory_pages_carry_the_security_headers(client):
    """CSP, framing, sniffing and referrer rules on the newer pages too; the staff pages
    (reviews, outbox, the manager's edit form, the admin) are never stored."""
    submitted, _ = factories.proposal_in_state("submitted")
    approved, approved_token = factories.proposal_in_state("approved")
    group = Meetup.objects.get(proposal=approved)
    email = Notification.objects.filter(proposal=submitted).first()
    public = ["/meetups/", "/meetups.json", f"/meetups/{group.slug}/", "/accounts/login/"]
    staff = Client()
    staff.force_login(factories.staff_user(role="manager", is_staff=True))
    private = [
        "/reviews/",
        f"/reviews/{submitted.reference}/",
        "/reviews/outbox/",
        f"/reviews/outbox/{email.pk}/",
        f"/meetups/{group.slug}/edit/",
        "/reviews/archived-groups/",
        "/admin/",
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)
    for url in private:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)
        assert "no-store" in response["Cache-Control"], url
    reply = client.get(f"/proposals/{approved_token}/reply/")
    assert "no-store" in reply["Cache-Control"]
