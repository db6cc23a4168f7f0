"""Staff looking at an erased proposal see when it was erased, not placeholders: no
"(erased)" organizer lines nor made-up addresses, and a never-approved proposal's group name
(one of its answers) is gone too; its reference stays."""

import pytest

from intake import erasure
from intake.models import State
from tests import factories
from tests.reviews.test_export import read_csv, signed_in

pytestmark = pytest.mark.django_db


def test_an_erased_declined_proposal_shows_when_it_was_erased_and_nothing_of_theirs():
    proposal, _token = factories.proposal_in_state(State.DECLINED, name="Quiet Knitters")
    erasure.erase(proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.name == ""
    client = signed_in(factories.staff_user(role="manager"))
    page = client.get(f"/reviews/{proposal.reference}/").content.decode()
    assert "Personal data erased on" in page
    assert "Quiet Knitters" not in page and "erased.invalid" not in page
    assert proposal.reference in page
    rows = read_csv(client.get("/reviews/export.csv?state=declined"))
    row = next(r for r in rows if proposal.reference in r.values())
    text = " ".join(row.values())
    assert "erased.invalid" not in text and "(erased)" not in text and "Quiet Knitters" not in text
    assert "Personal data erased on" in row["Organizers"]
