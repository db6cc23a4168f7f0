"""Program managers' daily digest of what organizers changed on their groups' pages: one
email each, with the diff, once per day however often the task runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.actors import ORGANIZER
from intake.models import State
from meetups import group_details
from meetups.models import Meetup
from notifications import groups
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def test_yesterdays_changes_reach_each_program_manager_once():
    proposal, _ = factories.proposal_in_state(State.APPROVED, name="Digest Circle")
    group = Meetup.objects.get(proposal=proposal)
    managers = {factories.staff_user(role="manager").email for _ in range(2)}
    group_details.update_details(
        meetup=group,
        actor=ORGANIZER,
        actor_label="Organizer Ada",
        details={"description": "Brand new words."},
    )
    tomorrow = timezone.now() + timedelta(days=1)
    assert groups.record_group_digest() == []  # nothing yet happened "yesterday"
    sent = groups.record_group_digest(now=tomorrow)
    again = groups.record_group_digest(now=tomorrow)  # the beat task firing twice
    digests = Notification.objects.filter(kind=Kind.GROUP_DIGEST)
    assert managers <= set(digests.values_list("recipient", flat=True))
    assert digests.count() == len(sent) and len(again) == len(sent)
    body = digests.first().body_text
    assert "Digest Circle: Details updated by Organizer Ada" in body
    assert '"Brand new words."' in body
    assert f"/reviews/groups/{group.slug}/" in body
