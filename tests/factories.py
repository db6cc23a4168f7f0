"""Plain functions that make test data. Each returns saved objects, with sensible defaults
that any keyword overrides."""

import itertools
import time
from urllib.parse import parse_qs, urlparse

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import enrollment
from accounts.roles import (
    PROGRAM_MANAGERS_GROUP,
    REVIEWERS_GROUP,
    Actor,
    must_use_two_factor,
    staff_actor,
)
from intake import services
from intake.models import Proposal, State
from intake.services import OrganizerData

_counter = itertools.count(1)


def proposal_content(**overrides) -> dict:
    n = next(_counter)
    content = {
        "name": f"Digital Humanities Circle {n}",
        "description": "We talk about digital humanities projects in libraries.",
        "audience": "Librarians and archivists working on DH projects.",
        "open_to_all": True,
        "differs_from_existing": "No listed group covers digital humanities.",
        "activities": "Talks, show and tell, and workshops.",
        "meeting_frequency": "monthly",
        "meeting_frequency_other": "",
        "meeting_format": "hybrid",
        "first_meeting": None,
        "existing_url": "",
        "wants_meeting_space": True,
        "wants_promotion": True,
        "wants_meetup_group": False,
        "support_notes": "",
        "agrees_to_guidelines": True,
        "agrees_to_code_of_conduct": True,
    }
    content.update(overrides)
    return content


def organizers(count: int = 2, *, emails: list[str] | None = None) -> list[OrganizerData]:
    n = next(_counter)
    emails = emails or [f"organizer{n}-{i}@example.org" for i in range(count)]
    return [
        OrganizerData(
            name=f"Organizer {n}-{i}",
            email=email,
            institution="Brooklyn Public Library",
            institution_is_member=True,
        )
        for i, email in enumerate(emails)
    ]


def draft(*, organizer_emails: list[str] | None = None, **content) -> tuple[Proposal, str]:
    """A saved draft and its private link token."""
    return services.create_draft(
        content=proposal_content(**content), organizers=organizers(emails=organizer_emails)
    )


STAFF_PASSWORD = "correct horse battery"  # every staff_user's


def staff_user(
    *, role: str = "reviewer", email: str | None = None, two_factor: bool | None = None, **fields
):
    """A staff account as `add_staff` makes it. Whoever must sign in with two factors
    (program managers, admin users) has an authenticator app, as they would after their
    first sign-in; two_factor=False leaves it out, two_factor=True adds it to anyone."""
    n = next(_counter)
    email = email or f"{role}{n}@council.example.org"
    user = get_user_model().objects.create_user(
        username=email, email=email, password=STAFF_PASSWORD, **fields
    )
    group = {"reviewer": REVIEWERS_GROUP, "manager": PROGRAM_MANAGERS_GROUP}.get(role)
    if group:
        user.groups.add(Group.objects.get(name=group))
    enrollment.keep_sign_in_address(user=user)
    if two_factor or (two_factor is None and must_use_two_factor(user)):
        enrollment.enroll_totp(user=user)
    return user


def superuser():
    n = next(_counter)
    user = get_user_model().objects.create_superuser(
        username=f"admin{n}", email=f"admin{n}@council.example.org", password="correct horse"
    )
    enrollment.keep_sign_in_address(user=user)
    enrollment.enroll_totp(user=user)
    return user


TOTP_PERIOD = 30  # seconds, allauth's default


def totp_code(user, *, at: float | None = None) -> str:
    """The code the user's authenticator app shows now (or at `at`)."""
    secret = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    return format_hotp_value(hotp_value(secret, int((at or time.time()) // TOTP_PERIOD)))


def recovery_code(user) -> str:
    """One unused recovery code of the user's."""
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(codes).get_unused_codes()[0]


def totp_secret_from_uri(uri: str) -> str:
    return parse_qs(urlparse(uri).query)["secret"][0]


# The transitions that lead from a draft to each state, with the actor for each step.
PATHS = {
    State.DRAFT: [],
    State.SUBMITTED: ["submit"],
    State.REVIEWED: ["submit", "complete_review"],
    State.CHANGES_REQUESTED: ["submit", "request_changes"],
    State.APPROVED: ["submit", "complete_review", "approve"],
    State.DECLINED: ["submit", "decline"],
    State.WITHDRAWN: ["withdraw"],
}


def proposal_in_state(state: str, **content) -> tuple[Proposal, str]:
    """A proposal taken to `state` through the real transition service."""
    proposal, token = draft(**content)
    manager = staff_user(role="manager")
    for name in PATHS[state]:
        actor = (
            Actor.organizer_link()
            if name in ("submit", "resubmit", "withdraw")
            else Actor.automatic()
            if name == "complete_review"
            else staff_actor(manager)
        )
        note = (
            "Please say more about your audience." if name in ("request_changes", "decline") else ""
        )
        proposal = services.run_transition(proposal=proposal, name=name, actor=actor, note=note)
    return proposal, token


def meetup(
    *, organizers=(("Ada Lovelace", "Co-organizer"), ("Grace Hopper", "Co-organizer")), **fields
):
    """A listed group with its organizers (name, role)."""
    from meetups.models import Meetup, MeetupOrganizer

    n = next(_counter)
    fields.setdefault("name", f"Zine Librarians {n}")
    fields.setdefault("slug", f"zine-librarians-{n}")
    fields.setdefault("url", f"https://www.meetup.com/zines-{n}/")
    fields.setdefault("description", "We make and collect zines.")
    fields.setdefault("position", n)
    group = Meetup.objects.create(**fields)
    for position, (name, role) in enumerate(organizers):
        MeetupOrganizer.objects.create(meetup=group, name=name, role_label=role, position=position)
    return group
