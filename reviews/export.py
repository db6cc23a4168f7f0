"""The CSV export for program managers: the proposals of the queue (with its filters), one
row per proposal, with every answer (staff-managed questions included), the reviews and
the decision.

Cells are neutralised against spreadsheet formula injection: a value starting with =, +, -,
@, a tab or a carriage return is prefixed with a single quote, so a spreadsheet shows it as
text instead of running it (OWASP's advice for CSV injection). The first character is read
as a spreadsheet reads it: after leading spaces and invisible characters, in its NFKC form
(fullwidth ＝ ＋ － ＠ and the small forms fold to = + - @), with minus signs and dashes as -. Proposals the manager
organizes are left out, as their reviews are hidden from them on the review page.
"""

import csv
import unicodedata
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from intake.models import Organizer, ProposalTransition, Question
from intake.services import PROPOSAL_REVIEW

from . import queue
from .models import Review

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Read as "-" by spreadsheets, though NFKC keeps them: the minus sign, hyphens and dashes.
MINUS_LIKE = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
# The staff decisions and the organizers' withdrawal: the latest one is "the decision".
DECISIONS = ("request_changes", "approve", "decline", "withdraw")
CHUNK = 200

BUILT_IN_COLUMNS = [
    ("Reference", lambda p: p.reference),
    ("Status", lambda p: p.get_state_display()),
    ("Group name", lambda p: p.name),
    ("Public description", lambda p: p.summary),
    ("Purpose and scope", lambda p: p.description),
    ("Who it is for", lambda p: p.audience),
    ("Free and open to all", lambda p: _yes_no(p.open_to_all)),
    ("How it differs from existing groups", lambda p: p.differs_from_existing),
    ("Organizers", lambda p: _organizers(p)),
    ("Planned activities", lambda p: p.activities),
    ("How often", lambda p: p.get_meeting_frequency_display()),
    ("Other meeting frequency", lambda p: p.meeting_frequency_other),
    ("Format", lambda p: p.get_meeting_format_display()),
    ("First meeting", lambda p: p.first_meeting.strftime("%B %Y") if p.first_meeting else ""),
    ("Web address", lambda p: p.existing_url),
    ("Wants meeting space", lambda p: _yes_no(p.wants_meeting_space)),
    ("Wants promotion", lambda p: _yes_no(p.wants_promotion)),
    ("Wants a meetup.com group", lambda p: _yes_no(p.wants_meetup_group)),
    ("Anything else needed", lambda p: p.support_notes),
    ("Agrees to the guidelines", lambda p: _yes_no(p.agrees_to_guidelines)),
    ("Agrees to the code of conduct", lambda p: _yes_no(p.agrees_to_code_of_conduct)),
    ("Started", lambda p: _when(p.created_at)),
    ("Last submitted", lambda p: _when(p.submitted_at)),
]
TRAILING_COLUMNS = ["Reviews", "Decision", "Decided by", "Decided at", "Decision note"]


def neutralise(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) or _first_character(text) in FORMULA_STARTS:
        return "'" + text
    return text


def _first_character(text: str) -> str:
    """The first character a spreadsheet sees: leading whitespace and invisible (format)
    characters skipped, in its NFKC form, dashes as "-"."""
    for character in text:
        if character.isspace() or unicodedata.category(character) == "Cf":
            continue
        return unicodedata.normalize("NFKC", character)[:1].translate(MINUS_LIKE)
    return ""


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _organizers(proposal) -> str:
    if proposal.erased_at:  # no "(erased)" lines nor placeholder addresses
        return f"Personal data erased on {timezone.localtime(proposal.erased_at):%Y-%m-%d}"
    return "\n".join(
        f"{o.name} ({o.role_label.lower()}), {o.email}, {o.institution}"
        + (" (member)" if o.institution_is_member else "")
        + ("" if o.listed_publicly else "; name not shown publicly")
        for o in proposal.organizers.all()
    )


def _reviews(proposal) -> str:
    return "\n".join(
        f"{r.reviewer.get_full_name() or r.reviewer.get_username()}: "
        f"{r.get_recommendation_display()}" + (f". {r.notes}" if r.notes else "")
        for r in proposal.reviews.all()
    )


def _decision(proposal) -> list[str]:
    decisions = [t for t in proposal.transitions.all() if t.transition in DECISIONS]
    if not decisions:
        return ["", "", "", ""]
    latest = decisions[-1]
    return [
        PROPOSAL_REVIEW.facts(latest.transition)["past"].capitalize(),
        latest.actor_label,
        _when(latest.created_at),
        latest.note,
    ]


def proposals_for_export(*, user, filters: queue.QueueFilters):
    """The queue's proposals for these filters, without those this manager organizes,
    with everything the rows read fetched in a few queries per chunk."""
    email = (getattr(user, "email", "") or "").strip()
    proposals = queue.proposals(user=user, filters=filters)
    if email:
        proposals = proposals.exclude(
            Exists(Organizer.objects.filter(proposal=OuterRef("pk"), email__iexact=email))
        )
    return proposals.prefetch_related(
        "answers",
        Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
        Prefetch(
            "transitions",
            queryset=ProposalTransition.objects.filter(transition__in=DECISIONS).order_by(
                "created_at", "id"
            ),
        ),
    )


def _question_header(question) -> str:
    if question.is_superseded:
        return f"{question.label} (earlier wording, version {question.version})"
    return question.label + (" (no longer asked)" if question.retired else "")


def export_rows(*, user, filters: queue.QueueFilters) -> Iterator[list[str]]:
    """The header, then one row per proposal, every cell neutralised."""
    # Every version of every question is a column: an answer stays under the words it
    # answered (intake.question_editing).
    questions = list(
        Question.objects.select_related("next_version").order_by("section", "order", "pk")
    )
    header = [label for label, _ in BUILT_IN_COLUMNS]
    header += [_question_header(q) for q in questions]
    header += TRAILING_COLUMNS
    yield [neutralise(cell) for cell in header]
    for proposal in proposals_for_export(user=user, filters=filters).iterator(chunk_size=CHUNK):
        answers = {a.question_id: a for a in proposal.answers.all()}
        row = [value(proposal) for _, value in BUILT_IN_COLUMNS]
        for question in questions:
            answer = answers.get(question.pk)
            if answer is not None:
                answer.question = question  # display reads its kind; no query per cell
            row.append(answer.display if answer is not None else "")
        row.append(_reviews(proposal))
        row.extend(_decision(proposal))
        yield [neutralise(cell) for cell in row]


class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value):
        return value


def csv_lines(rows: Iterator[list[str]]) -> Iterator[str]:
    """CSV text, line by line, opening with a byte order mark so spreadsheets read UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def filename() -> str:
    return f"proposals-{timezone.localdate().isoformat()}.csv"
