"""Overlap warnings on the council's own listing page. These run on SQLite (scores computed
in Python) and on PostgreSQL (pg_trgm in the database): both must find the same groups."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from intake import overlap
from intake.models import State
from meetups import services as meetup_services
from meetups.models import Meetup
from tests import factories

PAGE = Path(__file__).parent.parent / "meetups" / "data" / "metro-meetups-page.md"


@pytest.fixture
def council_page(db):
    meetup_services.import_listing(text=PAGE.read_text(encoding="utf-8"))


def names(matches) -> list[str]:
    return [m.name for m in matches]


@pytest.mark.parametrize(
    ("typed", "expected_first"),
    [
        ("Code4Lib New York", "Code4LibNYC"),
        ("code4lib nyc", "Code4LibNYC"),
        ("UX Librarians", "User Experience (UX) in Libraries"),
        (
            "Interlibrary loan folks",
            "Library Resource Sharing: Circulation, Interlibrary Loan & Reserves",
        ),
    ],
)
def test_a_name_like_a_listed_group_finds_it_first(council_page, typed, expected_first):
    matches = overlap.find_overlaps(name=typed)
    assert matches, f"nothing found for {typed!r}"
    assert matches[0].name == expected_first
    assert matches[0].is_group and matches[0].url.startswith("/meetups/")
    assert matches[0].score >= overlap.THRESHOLD


def test_an_unrelated_name_finds_nothing_above_the_threshold(council_page):
    assert overlap.find_overlaps(name="Beekeeping Club") == []
    assert overlap.find_overlaps(name="Beekeeping Club", description="We keep bees.") == []


def test_the_description_counts_too(council_page):
    matches = overlap.find_overlaps(
        name="Developers' lunch",
        description="For programmers and software developers at area libraries to discuss "
        "their coding projects and library systems.",
    )
    assert names(matches)[:1] == ["Code4LibNYC"]


def test_open_proposals_are_found_but_not_drafts_or_ended_ones(council_page):
    factories.proposal_in_state(State.SUBMITTED, name="Zine Librarians Roundtable")
    factories.proposal_in_state(State.CHANGES_REQUESTED, name="Zine makers")
    factories.draft(name="Zine Lovers")
    factories.proposal_in_state(State.DECLINED, name="Zine Readers")
    matches = overlap.find_overlaps(name="Zines")
    assert sorted(names(matches)) == ["Zine Librarians Roundtable", "Zine makers"]
    assert {m.kind for m in matches} == {"proposal"}
    assert all(m.reference.startswith("MTG-") for m in matches)


def test_a_proposal_is_not_its_own_overlap(council_page):
    proposal, _ = factories.proposal_in_state(State.SUBMITTED, name="Zine Librarians")
    assert overlap.find_overlaps(name="Zines", exclude_reference=proposal.reference) == []


def test_names_are_compared_without_case_punctuation_or_common_words():
    assert overlap.name_query("  UX,  Librarians!! ") == "ux"
    assert overlap.name_query("The Library Group") == "the library group"
    assert overlap.name_query("Code4Lib — New York") == "code4lib"


@pytest.mark.postgres
@pytest.mark.django_db
def test_python_scores_are_pg_trgm_scores():
    """The SQLite fallback is a port of pg_trgm: same numbers as the database's functions."""
    page = PAGE.read_text(encoding="utf-8")
    queries = ["code4lib", "ux", "interlibrary loan", "beekeeping", "web archiving", "a b", "é"]
    texts = [page[i : i + 300] for i in range(0, len(page), 300)] + ["", "Code4LibNYC"]
    with connection.cursor() as cursor:
        for query in queries:
            for text in texts:
                cursor.execute(
                    "SELECT similarity(%s, %s), word_similarity(%s, %s)",
                    [query, text, query, text],
                )
                plain, word = cursor.fetchone()
                assert overlap.similarity(query, text) == pytest.approx(plain, abs=1e-6)
                assert overlap.word_similarity(query, text) == pytest.approx(word, abs=1e-6)


@pytest.mark.postgres
@pytest.mark.django_db
def test_descriptions_are_cut_alike_in_python_and_in_postgres():
    """Only a description's start is searched for the name's words: both cut it the same."""
    texts = [
        "short",
        "word " * 199 + "cut-here and beyond",
        "é" * 995 + " café résumé more",
        "x" * 1000 + " next",
        "a " * 2000,
    ]
    for index, text in enumerate(texts):
        factories.meetup(name=f"Long {index}", description=text)
    cut = dict(
        Meetup.objects.filter(name__startswith="Long ")
        .annotate(start=overlap._description_start_sql())
        .values_list("description", "start")
    )
    for text in texts:
        assert cut[text] == overlap.description_start(text)
        assert len(cut[text]) <= overlap.DESCRIPTION_PREFIX
    assert overlap.description_start(texts[1]).endswith(" cut-")  # "cut-h" lost its "h"


@pytest.mark.postgres
@pytest.mark.django_db
def test_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"])
        found = {row[0] for row in cursor.fetchall()}
    assert found == {name for name, _table, _column in _indexes()}


def _indexes():
    from importlib import import_module

    # The overlap indexes (0004) and the review queue's search indexes (0007).
    return [
        *import_module("intake.migrations.0004_overlap_trigram_indexes").INDEXES,
        *import_module("intake.migrations.0007_queue_search_trigram_indexes").INDEXES,
    ]


def test_the_form_asks_the_server_while_typing(council_page, client):
    html = client.get("/propose/").content.decode()
    assert 'id="overlap-matches" aria-live="polite"' in html
    assert 'src="/static/js/overlap.js"' in html
    response = client.get("/propose/overlap/", {"name": "UX Librarians", "description": ""})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["matches"][0] == {
        "name": "User Experience (UX) in Libraries",
        "kind": "group",
        "url": "/meetups/user-experience-ux-in-libraries/",
    }
    assert "join one of them, or co-organize" in data["html"]
    assert 'href="/meetups/user-experience-ux-in-libraries/"' in data["html"]
    nothing = json.loads(client.get("/propose/overlap/", {"name": "Beekeeping Club"}).content)
    assert nothing == {"matches": [], "html": ""}


def test_the_check_is_throttled_per_address(council_page, settings):
    settings.OVERLAP_CHECKS_PER_HOUR = 2
    client = Client()
    assert client.get("/propose/overlap/", {"name": "UX"}).status_code == 200
    assert client.get("/propose/overlap/", {"name": "UX"}).status_code == 200
    assert client.get("/propose/overlap/", {"name": "UX"}).status_code == 429


def test_check_your_answers_shows_the_list_without_javascript(council_page, client):
    proposal, token = factories.draft(name="UX Librarians Forum")
    html = client.get(f"/proposals/{token}/check/").content.decode()
    assert "Groups like yours" in html
    assert "User Experience (UX) in Libraries" in html
    assert "join one of them, or co-organize" in html


def test_check_your_answers_says_nothing_when_nothing_is_alike(council_page, client):
    proposal, token = factories.draft(name="Beekeeping Club", description="We keep bees.")
    html = client.get(f"/proposals/{token}/check/").content.decode()
    assert "Groups like yours" not in html


def test_reviewers_see_the_list_with_scores(council_page):
    proposal, _ = factories.proposal_in_state(State.SUBMITTED, name="Code4Lib New York")
    other, _ = factories.proposal_in_state(State.SUBMITTED, name="Code4Lib Brooklyn")
    client = Client()
    client.force_login(factories.staff_user(role="reviewer"))
    html = client.get(f"/reviews/{proposal.reference}/").content.decode()
    assert "Similar groups and proposals" in html
    expected = overlap.find_overlaps(
        name=proposal.name,
        description=proposal.description,
        exclude_reference=proposal.reference,
    )
    assert {"Code4LibNYC", "Code4Lib Brooklyn"} <= set(names(expected))
    for match in expected:
        assert f"{match.percent}%" in html
    assert f'href="/reviews/{other.reference}/"' in html
    assert f"Open proposal {other.reference}" in html
    assert f'href="/reviews/{proposal.reference}/">' not in html
