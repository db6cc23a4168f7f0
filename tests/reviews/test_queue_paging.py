"""Keyset paging of the review queue: walking the links visits every row once, in each
sort's order, with filters kept; the last page costs the same queries at any size."""

import datetime
import re

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.models import Organizer, Proposal, State
from reviews import queue
from tests import factories

MIX = [
    State.SUBMITTED,
    State.REVIEWED,
    State.CHANGES_REQUESTED,
    State.APPROVED,
    State.DECLINED,
    State.SUBMITTED,
    State.DRAFT,
]


def references(html: str) -> list[str]:
    return re.findall(r'href="/reviews/(MTG-\d{4}-\d{4,5})/"', html)


def bulk_proposals(count: int, *, start: int = 0) -> None:
    """Proposals in mixed states, bulk-created (the transition service would take minutes
    at 1,000). Every third shares its submission time with the one before, and some have no
    reply date, so the sorts' tie-breaks and missing values are exercised."""
    now = timezone.now()
    rows = []
    for i in range(start, start + count):
        state = MIX[i % len(MIX)]
        submitted = now - datetime.timedelta(minutes=(i - i % 3 // 2) % 500)
        rows.append(
            Proposal(
                reference=f"MTG-2031-{i:05d}",
                state=state,  # set at construction: test data only
                name=f"Paging Circle {i}",
                description="A circle made up for paging tests.",
                audience="Anyone.",
                open_to_all=True,
                differs_from_existing="Made up.",
                activities="Talks.",
                meeting_frequency="monthly",
                meeting_format="hybrid",
                agrees_to_guidelines=True,
                agrees_to_code_of_conduct=True,
                submitted_at=None if state == State.DRAFT else submitted,
                reply_due=None
                if state in (State.DRAFT, State.APPROVED) or i % 5 == 0
                else (now + datetime.timedelta(days=i % 17)).date(),
            )
        )
    proposals = Proposal.objects.bulk_create(rows)
    Organizer.objects.bulk_create(
        Organizer(
            proposal=p,
            position=0,
            name=f"Organizer {p.reference}",
            email=f"o{p.pk}@example.org",
            institution="Queens Public Library",
        )
        for p in proposals
    )


@pytest.fixture
def reviewer_client(client):
    user = factories.staff_user(role="reviewer", email="pager@council.example.org")
    client.force_login(user)
    client.user = user
    return client


def _link(html: str, text: str) -> str | None:
    match = re.search(r'href="\?([^"]*)">' + text, html)
    return match.group(1).replace("&amp;", "&") if match else None


def _walk(client, query: str, *, forward: bool) -> list[str]:
    """Follow Next (or, from the last page, Previous) links to the end; the references seen
    in the order the queue shows them."""
    url = query if forward else f"{query}&page=last"
    pages = []
    for _ in range(200):
        html = client.get(f"/reviews/?{url}").content.decode()
        pages.append(references(html))
        url = _link(html, "Next page" if forward else "Previous page")
        if url is None:
            break
    if not forward:
        pages.reverse()
    return [ref for page in pages for ref in page]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "sort=oldest",
        "sort=newest",
        "sort=due",
        "sort=due&state=submitted",
        "sort=newest&q=circle+1",
        # Found through the organizers only; then both ways at once (each row once).
        "sort=due&q=organizer+mtg-2031-001",
        "sort=oldest&q=2031-001",
    ],
)
def test_every_row_once_in_order_both_ways(reviewer_client, query):
    bulk_proposals(140)
    params = dict(part.split("=") for part in query.split("&"))
    filters = queue.QueueFilters(
        state=params.get("state", ""),
        search=params.get("q", "").replace("+", " "),
        sort=params["sort"],
    )
    expected = [p.reference for p in queue.proposals(user=reviewer_client.user, filters=filters)]
    assert len(expected) > 25  # more than one page
    assert _walk(reviewer_client, query, forward=True) == expected
    # Backwards from the last page: the same rows; the first page is then short or exact,
    # never repeating a row.
    assert _walk(reviewer_client, query, forward=False) == expected
    html = reviewer_client.get(f"/reviews/?{query}&page=last").content.decode()
    assert references(html) == expected[-25:]
    assert f"{len(expected)} proposals" in html
    assert "Next page" not in html and "First page" in html


@pytest.mark.django_db
def test_a_cursor_edited_by_hand_shows_the_first_page(reviewer_client):
    bulk_proposals(30)
    first = references(reviewer_client.get("/reviews/?sort=oldest").content.decode())
    for junk in ("abc", "-3", "9" * 40):
        html = reviewer_client.get(f"/reviews/?sort=oldest&after={junk}").content.decode()
        assert references(html) == first


def _same_queries_at_100_and_1000(client, url, django_assert_num_queries) -> tuple[int, str]:
    """The queries `url` costs at 100 proposals, held at 1,000; and the page at 1,000."""
    bulk_proposals(100)
    client.get(url)  # warm the session
    # Each request empties the connection's query log: start the capture from an empty one.
    reset_queries()
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    # Read now: the capture is a view on the connection's log, which later requests empty.
    small = len(small)
    bulk_proposals(900, start=100)
    with django_assert_num_queries(small):
        html = client.get(url).content.decode()
    return small, html


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["oldest", "newest", "due"])
def test_last_page_queries_constant_at_100_and_1000(
    reviewer_client, django_assert_num_queries, sort
):
    small, html = _same_queries_at_100_and_1000(
        reviewer_client, f"/reviews/?sort={sort}&page=last", django_assert_num_queries
    )
    assert len(references(html)) == 25
    # A page in the middle, by its cursor, costs one query more (the cursor row's keys).
    middle = _link(reviewer_client.get(f"/reviews/?sort={sort}").content.decode(), "Next page")
    with django_assert_num_queries(small + 1):
        reviewer_client.get(f"/reviews/?{middle}")


@pytest.mark.django_db
@pytest.mark.parametrize("search", ["circle+1", "organizer+mtg-2031-00", "2031-000"])
def test_search_queries_constant_at_100_and_1000(
    reviewer_client, django_assert_num_queries, search
):
    _small, html = _same_queries_at_100_and_1000(
        reviewer_client, f"/reviews/?q={search}", django_assert_num_queries
    )
    filters = queue.QueueFilters(search=search.replace("+", " "))
    expected = [p.reference for p in queue.proposals(user=reviewer_client.user, filters=filters)]
    assert references(html) == expected[:25]
    assert f"{len(expected)} proposals" in html


@pytest.mark.django_db
def test_counts_are_kept_per_version_of_the_proposals(django_assert_num_queries):
    from reviews import queue_counts

    factories.proposal_in_state(State.SUBMITTED)
    factories.proposal_in_state(State.APPROVED)
    counts, _ = queue.state_counts()
    assert (counts[State.SUBMITTED], counts[State.APPROVED]) == (1, 1)
    # Nothing changed: one read of the version, no count.
    with django_assert_num_queries(1):
        assert queue.state_counts()[0] == counts
    # A saved proposal moves the version, in this process and for every other one.
    factories.proposal_in_state(State.SUBMITTED)
    assert queue.state_counts()[0][State.SUBMITTED] == 2
    # Rows written without save() need the version moved by hand (the benchmark does).
    bulk_proposals(10)
    queue_counts.proposals_changed()
    assert sum(queue.state_counts()[0].values()) == 3 + 9  # one of the ten is a draft


@pytest.mark.postgres
@pytest.mark.django_db
def test_search_indexes_keep_no_pending_list():
    """Every search would read GIN's pending list end to end until a vacuum merged it: the
    queue's search indexes take new rows straight in (intake migration 0009)."""
    from importlib import import_module

    names = import_module(
        "intake.migrations.0009_queue_search_indexes_without_pending_list"
    ).INDEXES
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [names])
        found = dict(cursor.fetchall())
    assert found == dict.fromkeys(names, ["fastupdate=off"])
