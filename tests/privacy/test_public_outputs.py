"""Every field declared not public (common.publicity), filled with a unique marker, walked
through every public output: none may show it. To cover a new public output (a calendar
feed, a new page), add one line to PUBLIC_OUTPUTS."""

import pytest
from django.core import mail
from django.test import Client

from accounts.roles import Actor, staff_actor
from common.publicity import private_text_fields
from intake import services
from intake.models import Organizer, Proposal
from intake.services import OrganizerData
from meetups import stewardship
from meetups.access import issue_group_link
from meetups.models import GroupContact, Meetup
from meetups.services import export_listing
from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

# Values for fields that validate their form (addresses).
EMAIL_FIELDS = {"email"}


def marker(model, field: str) -> str:
    text = f"privmark{model.__name__.lower()}{field.replace('_', '')}"
    return f"{text}@example.org" if field in EMAIL_FIELDS else f"Privmark {text}"


def _private_content() -> dict:
    """A proposal whose every private text field holds its marker; the public description
    left blank, so "Purpose and scope" would be the first thing to leak."""
    content = factories.proposal_content(name="Privacy Walkers", summary="")
    for field in private_text_fields(Proposal):
        if field in Proposal.CONTENT_FIELDS:
            content[field] = marker(Proposal, field)
    return content


def _organizers() -> list[OrganizerData]:
    listed = OrganizerData(
        name="Listed Person",
        email=marker(Organizer, "email"),
        institution=marker(Organizer, "institution"),
        institution_is_member=True,
    )
    unlisted = OrganizerData(
        name="Privmark unlisted organizer name",
        email="unlisted-privmark@example.org",
        institution=marker(Organizer, "institution"),
        institution_is_member=False,
        listed_publicly=False,
    )
    return [listed, unlisted]


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """An approved group holding every marker, and another group whose organizer looks."""
    with django_capture_on_commit_callbacks(execute=True):
        proposal, _token = services.create_draft(
            content=_private_content(), organizers=_organizers()
        )
        manager = factories.staff_user(role="manager")
        for name in ("submit", "complete_review", "approve"):
            actor = (
                Actor.organizer_link()
                if name == "submit"
                else Actor.automatic()
                if name == "complete_review"
                else staff_actor(manager)
            )
            proposal = services.run_transition(proposal=proposal, name=name, actor=actor)
        group = Meetup.objects.get(proposal=proposal)
        # Someone an organizer adds without showing their name publicly.
        stewardship.add_organizer(
            meetup=group,
            actor=Actor.organizer_link(),
            name="Privmark added contact name",
            email=marker(GroupContact, "email"),
            show_publicly=False,
        )
        other = factories.meetup(name="Another Group")
        other_contact = GroupContact.objects.create(
            meetup=other, name="Other Organizer", email="other@example.org"
        )
    markers = [marker(Proposal, f) for f in private_text_fields(Proposal)]
    markers += [marker(Organizer, "email"), marker(Organizer, "institution")]
    markers += ["Privmark unlisted organizer name", "unlisted-privmark@example.org"]
    markers += ["Privmark added contact name", marker(GroupContact, "email")]
    owners = {o.email for o in proposal.organizers.all()} | {marker(GroupContact, "email")}
    return {
        "group": group,
        "markers": markers,
        "owners": owners,
        "other_link": issue_group_link(contact=other_contact),
    }


def _get(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def anonymous(path):
    return lambda world: _get(Client(), path(world) if callable(path) else path)


def organizer_of_another_group(path):
    """The page seen by someone signed in to another group's private page first."""

    def fetch(world):
        client = Client()
        _get(client, f"/groups/{world['other_link']}/")
        return _get(client, path(world) if callable(path) else path)

    return fetch


def emails_to_third_parties(world) -> str:
    """Every email to someone who is neither an owner of the data nor staff."""
    staff = set(
        Notification.objects.filter(audience__in=("reviewer", "manager", "staff")).values_list(
            "recipient", flat=True
        )
    )
    sent = [m for m in mail.outbox if not (set(m.to) & (world["owners"] | staff))]
    return "\n".join(f"{m.subject}\n{m.body}" for m in sent)


def group_page(world):
    return world["group"].get_absolute_url()


PUBLIC_PAGES = [
    "/",
    "/meetups/",
    group_page,
    "/meetups.json",
    "/report/",
    "/report/data.csv",
    "/report/data.json",
    "/propose/overlap/?name=Privacy+Walkers",
]

PUBLIC_OUTPUTS = [
    *[(f"anonymous {p if isinstance(p, str) else p.__name__}", anonymous(p)) for p in PUBLIC_PAGES],
    *[
        (
            f"another group's organizer {p if isinstance(p, str) else p.__name__}",
            organizer_of_another_group(p),
        )
        for p in PUBLIC_PAGES
    ],
    (
        "another group's private page",
        lambda world: _get(Client(), f"/groups/{world['other_link']}/"),
    ),
    ("Markdown export", lambda world: export_listing()),
    ("emails to third parties", emails_to_third_parties),
]


def test_every_private_field_has_a_marker(world):
    # The declaration drives the walk: a field made private later is walked too.
    assert marker(Proposal, "description") in world["markers"]
    assert len(world["markers"]) == len(set(world["markers"]))


@pytest.mark.parametrize(("output", "render"), PUBLIC_OUTPUTS, ids=[o for o, _ in PUBLIC_OUTPUTS])
def test_no_private_field_reaches_a_public_output(world, output, render):
    text = render(world).casefold()
    leaked = [m for m in world["markers"] if m.casefold() in text]
    assert leaked == [], f"{output} shows private fields"


def test_a_group_without_a_public_description_says_so(world):
    page = _get(Client(), world["group"].get_absolute_url())
    assert "has not written a public description yet" in page
