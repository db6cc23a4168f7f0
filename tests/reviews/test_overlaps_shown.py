"""Issue 23, bug 4: the review page shows the similar groups the organizers were shown as they
submitted, kept then, and apart from them what is similar now, labelled so."""

import re

import pytest
from django.test import Client

from intake import services as intake_services
from intake.models import State
from meetups.models import Meetup
from tests import factories


def _section(html: str, title: str) -> str:
    """The text under the heading `title` up to the next heading."""
    found = re.search(rf"<h3[^>]*>{re.escape(title)}</h3>(.*?)(?:<h3|</section>)", html, re.S)
    assert found, title
    return found.group(1)


@pytest.mark.django_db
def test_the_review_page_shows_what_the_organizers_were_shown(client: Client):
    Meetup.objects.create(name="Zine Makers Circle", slug="zine-makers-circle")
    about = "We make zines and talk about zine collections."
    proposal, _ = factories.proposal_in_state(
        State.SUBMITTED, name="Zine makers", description=about
    )
    # After it was submitted: the group the organizers saw is gone, another came.
    Meetup.objects.filter(slug="zine-makers-circle").delete()
    later, _ = factories.proposal_in_state(
        State.SUBMITTED, name="Zine Makers Club", description=about
    )

    client.force_login(factories.staff_user(role="reviewer"))
    html = client.get(f"/reviews/{proposal.reference}/").content.decode()
    shown = _section(html, "Shown to the organizers when they submitted")
    assert "Zine Makers Circle" in shown and "Zine Makers Club" not in shown
    now = _section(html, "Similar now")
    assert later.reference in now and "Zine Makers Circle" not in now


@pytest.mark.django_db
def test_a_resubmission_keeps_what_was_shown_then():
    proposal, _ = factories.proposal_in_state(State.CHANGES_REQUESTED, name="Zine makers")
    assert [m.name for m in intake_services.overlaps_shown_at_submission(proposal=proposal)] == []
    Meetup.objects.create(name="Zine Makers Circle", slug="zine-makers-circle")
    intake_services.submit_for_review(proposal=proposal)
    shown = intake_services.overlaps_shown_at_submission(proposal=proposal)
    assert [m.name for m in shown] == ["Zine Makers Circle"]
