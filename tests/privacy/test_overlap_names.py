"""The overlap warning names a proposal under review only when its proposers agreed."""

import collections
import json
import re
from pathlib import Path

import pytest
from django.test import Client

from intake import overlap
from intake.models import State
from meetups import services as meetup_services
from tests import factories

PAGE = Path(__file__).parent.parent / "meetups" / "data" / "metro-meetups-page.md"
ROOT = Path(__file__).parent.parent.parent

PRIVATE = [
    ("Secret Zine Circle", "We make zines and comics about library life."),
    ("Quiet Archivists Table", "Archivists talk about records, metadata and digitization."),
    ("Hidden Data Librarians", "Research data management, open data and data services."),
]
SHARED = ("Open Podcast Makers", "Librarians making podcasts and audio about libraries.")


def common_words(extra: str) -> list[str]:
    """The 1,000 most frequent words of plain English about this program: the council's
    page, the project's README and docs, and the proposals themselves."""
    texts = [PAGE, ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    text = " ".join(p.read_text(encoding="utf-8") for p in texts) + " " + extra
    counts = collections.Counter(w.lower() for w in re.findall(r"[A-Za-z]{3,}", text))
    return [w for w, _n in counts.most_common(1000)]


@pytest.fixture
def proposals(db, settings):
    settings.OVERLAP_CHECKS_PER_HOUR = 10_000
    meetup_services.import_listing(text=PAGE.read_text(encoding="utf-8"))
    for name, description in PRIVATE:
        factories.proposal_in_state(State.SUBMITTED, name=name, description=description)
    factories.proposal_in_state(
        State.SUBMITTED,
        name=SHARED[0],
        description=SHARED[1],
        shares_name_with_similar=True,
    )


def test_an_anonymous_visitor_asking_common_words_never_sees_a_private_proposal(proposals):
    words = common_words(" ".join(f"{n} {d}" for n, d in [*PRIVATE, SHARED]))
    assert len(words) == 1000
    client = Client()
    unnamed_shown = shared_shown = 0
    for word in words:
        response = client.get("/propose/overlap/", {"name": word, "description": word})
        assert response.status_code == 200
        body = json.loads(response.content)
        text = response.content.decode() + body["html"]
        for name, _description in PRIVATE:
            assert name.lower() not in text.lower(), word
        unnamed_shown += "similar proposal is being reviewed" in body["html"]
        shared_shown += SHARED[0] in text
    # The walk reached the private proposals (said to exist, unnamed) and the shared one.
    assert unnamed_shown > 0
    assert shared_shown > 0


def test_staff_still_see_the_names(proposals):
    matches = overlap.find_overlaps(name="Secret Zine Circle")
    assert "Secret Zine Circle" in [m.name for m in matches]
    assert [m.public_name for m in matches if m.name == "Secret Zine Circle"] == [""]


def test_saying_no_to_being_named_is_confirmed_in_plain_words(db):
    _proposal, token = factories.draft(name="Quiet Zines", shares_name_with_similar=False)
    page = Client().get(f"/proposals/{token}/check/").content.decode()
    assert "Shown to people proposing something similar" in page
    assert (
        "No. While your proposal is being reviewed, people proposing something similar "
        "are told only that a similar proposal exists: not its name, nor yours."
    ) in page
    _proposal, token = factories.draft(name="Loud Zines", shares_name_with_similar=True)
    page = Client().get(f"/proposals/{token}/check/").content.decode()
    assert "Yes. While your proposal is being reviewed, people proposing something" in page


def test_someone_warned_of_an_unnamed_proposal_passes_their_details_to_staff(
    db, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from intake.models import IntroductionRequest

    settings.OVERLAP_CHECKS_PER_HOUR = 10_000
    hidden, _ = factories.proposal_in_state(
        State.SUBMITTED, name="Secret Zine Circle", description="We make zines about libraries."
    )
    manager = factories.staff_user(role="manager", email="mo@council.example.org")
    body = json.loads(
        Client().get("/propose/overlap/", {"name": "Zine Circle", "description": "zines"}).content
    )
    assert "Secret Zine Circle" not in body["html"]
    link = re.search(r'href="(/propose/introduction/[^"]+/)"', body["html"]).group(1)
    assert hidden.reference not in link  # which proposal is not told either
    client = Client()
    response = client.get(link)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'for="id_name"' in page and 'for="id_email"' in page

    # A mistake is explained, and what was typed stays.
    page = client.post(link, {"name": "Ada", "email": "ada at example", "message": "Hi"})
    assert "Enter an email address like name@example.org." in page.content.decode()
    assert "Hi</textarea>" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            link, {"name": "Ada Asker", "email": "ada@example.org", "message": "Zines too!"}
        ).content.decode()
    assert "We have passed your details" in page
    request = IntroductionRequest.objects.get()
    assert (request.proposal, request.name, request.email) == (
        hidden,
        "Ada Asker",
        "ada@example.org",
    )
    told = [m for m in mail.outbox if manager.email in m.to]
    assert told and "Ada Asker" in told[0].body and hidden.reference in told[0].body
    assert "Zines too!" in told[0].body

    # Throttled: a few per hour from one address.
    for _ in range(5):
        response = client.post(link, {"name": "Ada", "email": "ada@example.org", "message": "x"})
    assert response.status_code == 429
