"""Every email kind, text and HTML, rendered with sample data the way the outbox renders it
(proposal emails and group emails through notifications.rendering),
in the situations its template tells apart (a note or none, the person concerned or the
others, automatic or by staff): each is tidy. One greeting, no doubled full stop, no run of
blank lines, no word repeated in parentheses ("Archived (archived)")."""

import datetime
import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from notifications import rendering
from notifications.models import Kind

EMAILS = Path(settings.BASE_DIR) / "templates" / "notifications" / "email"
PROPOSAL_TEMPLATES = sorted(
    p.stem
    for p in EMAILS.glob("*.txt")
    if not p.name.startswith("_")
    and not p.stem.endswith("_subject")
    and p.stem not in ("group_organizer", "group_manager")
)
GROUP_KINDS = sorted(
    k.value
    for k in Kind
    if k.value.startswith("group_") and (EMAILS / f"{k.value}_subject.txt").exists()
)


def _written_for(audience: str) -> set[str]:
    """The group kinds the audience's template has words for (the others it never gets)."""
    return {p.stem.removesuffix(f"_{audience}") for p in EMAILS.glob(f"group_*_{audience}.txt")}


GROUP_EMAILS = [
    (kind, audience)
    for audience in ("organizer", "manager")
    for kind in GROUP_KINDS
    if kind in _written_for(audience)
]

DAY = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def _event(kind, details, note=""):
    return SimpleNamespace(
        kind=kind,
        details=details,
        note=note,
        actor_label="Organizer Grace Hopper",
        meetup=SimpleNamespace(name="Zine Makers"),
    )


def _proposal(n):
    return SimpleNamespace(
        reference=f"MP-2026-00{n}",
        name=f"Group {n}",
        link=f"https://meetups.example.org/reviews/MP-2026-00{n}/",
        clock="Overdue by 2 days" if n == 1 else "3 days left",
        reply_due=DAY,
        get_state_display=lambda: "Submitted",
    )


def sample(**changes) -> dict:
    context = {
        "greeting_name": "Ada Lovelace",
        "name": "Zine Makers",
        "group_name": "Zine Makers",
        "reference": "MP-2026-001",
        "status_link": "https://meetups.example.org/proposals/private/",
        "edit_link": "https://meetups.example.org/proposals/private/edit/",
        "review_link": "https://meetups.example.org/reviews/MP-2026-001/",
        "manage_link": "https://meetups.example.org/groups/private/",
        "check_in_link": "https://meetups.example.org/groups/private/check-in/",
        "accept_link": "https://meetups.example.org/groups/private/accept/",
        "group_link": "https://meetups.example.org/meetups/zine-makers/",
        "group_manage_link": "https://meetups.example.org/groups/private/",
        "staff_link": "https://meetups.example.org/reviews/groups/zine-makers/",
        "queue_link": "https://meetups.example.org/reviews/",
        "decide_link": "https://meetups.example.org/reviews/decide/",
        "settings_link": "https://meetups.example.org/reviews/settings/",
        "outbox_link": "https://meetups.example.org/notifications/outbox/",
        "propose_link": "https://meetups.example.org/propose/",
        "page_link": "https://meetups.example.org/groups/private/",
        "url": "https://zines.example.org/",
        "link": "https://meetups.example.org/proposals/private/",
        "reply_due": DAY,
        "due_on": DAY,
        "lapses_on": DAY,
        "archived_on": DAY,
        "notice_on": DAY,
        "action_on": DAY,
        "created_on": DAY,
        "since": DAY,
        "day": DAY,
        "note": "",
        "note_by": "Grace Hopper",
        "comment": "Could you say more about the venue?",
        "quoted": "Could you say more about the venue?",
        "message": "We meet at the library on Tuesdays.",
        "sender_name": "Grace Hopper",
        "sender_email": "grace@example.org",
        "primary_name": "Grace Hopper",
        "stale_days": 30,
        "retention_days": 365,
        "minutes": 20,
        "failures": 3,
        "address": "ada@example.org",
        "noticed": "2026-03-02 10:00",
        "label": "Open",
        "subject": "Sample",
        "to_review": [_proposal(1), _proposal(2)],
        "to_decide": [_proposal(3)],
        "to_review_more": 0,
        "to_decide_more": 0,
        "links": [(_proposal(1), "https://meetups.example.org/proposals/private/")],
        "events": [
            (_event("edit", {"url": ["https://a.example/", "https://b.example/"]}), "https://x/"),
            (_event("organizer_removed", {"name": "Bo Li"}, note="Moved away."), "https://x/"),
        ],
        "details": {
            "from_name": "Grace Hopper",
            "to_name": "Alan Turing",
            "name": "Bo Li",
            "email": "bo@example.org",
            "message": "",
            "url": "https://zines.example.org/",
            "problem": "not found (404)",
            "failures": 3,
            "moved_to": "",
            "shown_publicly": True,
        },
        "my_data_link": "https://meetups.example.org/my-data/private/",
        "sections": [
            ("Lapsed", [(SimpleNamespace(name="Zine Makers"), "https://x.example/zines/")]),
            ("Archived", [(SimpleNamespace(name="Oral Historians"), "https://x.example/oral/")]),
        ],
        "has_public_description": True,
        "automatic": False,
        "is_subject": False,
        "former": False,
        "event": "archive",
        "was_draft": False,
        "pending_names": [],
        "is_primary": True,
    }
    context.update(changes)
    return context


VARIANTS = [
    {},
    {"note": "The room moved to the second floor."},
    {"note": "The room moved to the second floor.", "automatic": True},
    {"automatic": True},
    {"is_subject": True},
    {"is_subject": True, "note": "Thank you for everything."},
    {"former": True},
    {"event": "retire"},
    {"event": "retire", "note": "The group asked us to."},
    {"has_public_description": False, "greeting_name": ""},
    {"was_draft": True, "is_primary": False},
]


def _plain(html_body: str) -> str:
    body = re.sub(r"<(style|title)[^>]*>.*?</\1>", "", html_body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def problems(text: str, body_html: str) -> list[str]:
    found = []
    greetings = len(re.findall(r"^Hello\b", text, flags=re.M))
    if greetings != 1:
        found.append(f"{greetings} greetings in the text")
    html_greetings = len(re.findall(r"<p>Hello\b", body_html))
    if html_greetings != 1:
        found.append(f"{html_greetings} greetings in the HTML")
    for label, body in (("text", text), ("HTML", _plain(body_html))):
        without_links = re.sub(r"https?://\S+", "", body)
        if re.search(r"(?<!\.)\.\s*\.(?!\.)", without_links):
            found.append(f"a doubled full stop in the {label}")
        repeated = re.search(r"\b(\w+)\s*\(\s*\1\s*\)", body, flags=re.I)
        if repeated:
            found.append(f"a word repeated in parentheses in the {label}: {repeated[0]!r}")
    if "\n\n\n" in text:
        found.append("three newlines in a row in the text")
    return found


@pytest.mark.parametrize("template", PROPOSAL_TEMPLATES)
def test_every_proposal_email_is_tidy(template):
    kind, audience = template.rsplit("_", 1)
    for variant in VARIANTS:
        _subject, text, body_html = rendering.render(
            kind=kind, audience=audience, context=sample(**variant)
        )
        assert problems(text, body_html) == [], (variant, text)


@pytest.mark.parametrize(("kind", "audience"), GROUP_EMAILS)
def test_every_group_email_is_tidy(kind, audience):
    assert len(GROUP_EMAILS) > len(GROUP_KINDS)  # every kind, and the managers' ones too
    for variant in VARIANTS:
        _subject, text, body_html = rendering.render(
            kind=kind, audience=audience, context=sample(**variant)
        )
        assert problems(text, body_html) == [], (variant, text)


def test_the_checks_catch_what_they_look_for():
    good_html = "<p>Hello Ada,</p><p>Fine.</p>"
    assert problems("Hello Ada,\n\nFine.\n", good_html) == []
    assert problems("Hello Ada,\n\nHello Ada,\n", good_html)
    assert problems("Hello Ada,\n\nDone..\n", good_html)
    assert problems("Hello Ada,\n\n\nDone.\n", good_html)
    assert problems("Hello Ada,\n\nArchived (archived).\n", good_html)
    assert problems("Hello Ada,\n", "<p>Hello Ada,</p><p>Hello Ada,</p>")
    assert problems("Hello Ada,\n\nSee https://x.example/a..b and wait...\n", good_html) == []
