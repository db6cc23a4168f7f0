"""Overlap warnings on the council's own listing page, and the index that finds them (kept in
each web process, the same on SQLite and PostgreSQL)."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils.timezone import now

from intake import overlap
from intake.models import Proposal, State
from meetups import services as meetup_services
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
    """Names are compared with a port of pg_trgm: same numbers as the database's functions."""
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
def test_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"])
        found = {row[0] for row in cursor.fetchall()}
    assert found == {name for name, _table, _column in _indexes()}


def _indexes():
    from importlib import import_module

    # The review queue's search indexes (0007); the overlap check's (0004) were dropped (0010).
    return import_module("intake.migrations.0007_queue_search_trigram_indexes").INDEXES


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
    # Its links leave the unsent form where it is: a new tab, marked as such (issue 23);
    # and the list comes right under the name field, before the description.
    assert 'target="_blank" rel="noopener"' in data["html"]
    assert "opens in a new tab" in data["html"]
    assert html.index('id="overlap-matches"') < html.index('id="id_description"')
    assert html.index('id="id_name"') < html.index('id="overlap-matches"')
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


def test_words_are_compared_without_plurals_stopwords_or_common_words():
    assert overlap.terms("We read Comics and Zines at the Libraries of NYC") == {
        "read",
        "comic",
        "zine",
    }
    assert overlap.terms("Studies of the classes") == {"study", "classe"}
    assert overlap.terms("UX, a") == {"ux"}


# The index skips every candidate whose score cannot reach the list: it must find what scoring
# each candidate one by one finds. A corpus where many candidates share words and trigrams,
# as the benchmark's does.
TOPICS = ["Comics", "Zines", "Maps", "Oral History", "Rare Books", "Music", "Law", "Film"]
FORMS = ["Reading Circle", "Roundtable", "Working Group", "Lab", "Caucus"]
PLACES = ["Brooklyn", "Queens", "Bronx", "Uptown"]


def _corpus_candidate(i: int) -> tuple[str, str]:
    topic, other = TOPICS[i % len(TOPICS)], TOPICS[(i * 3 + 1) % len(TOPICS)]
    name = f"{PLACES[i // 40 % len(PLACES)]} {topic} {FORMS[i // 8 % len(FORMS)]}"
    return name, f"For people who work with {topic.lower()} and {other.lower()}; we read."


def _every_score(index, *, query: str, text: str) -> list[tuple[int, float]]:
    wanted = overlap.terms(text)
    weights = {
        word: overlap.rarity(
            documents=index.size,
            containing=len(index.word_rows[word]) if word in index.word_rows else 0,
        )
        for word in wanted
    }
    total = sum(weights.values())
    scored = []
    for row, name in enumerate(index.names):
        found = {
            word for word in wanted if word in index.word_rows and row in index.word_rows[word]
        }
        score = overlap.combined_score(
            name_word=overlap.word_similarity(query, name),
            name_plain=overlap.similarity(query, name),
            shared_words=sum(weights[w] for w in found) / total if total else 0.0,
        )
        if score >= overlap.THRESHOLD:
            scored.append((index._rank(row, score), row, score))
    return [(row, score) for _rank, row, score in sorted(scored)[: overlap.LIMIT]]


@pytest.mark.parametrize(
    ("name", "description"),
    [
        ("Brooklyn comics readers", ""),
        ("Zines", ""),
        ("Queens zine makers", "We make zines and read them together."),
        ("Map and film lab", "Old maps, old films, oral history and law."),
        ("Rare books", ""),
        ("Bronx", "We read."),
        ("Beekeeping", "Bees."),
    ],
)
def test_the_index_finds_what_scoring_every_candidate_finds(name, description):
    candidates = [("group", *_corpus_candidate(i), f"slug-{i}") for i in range(320)]
    index = overlap.OverlapIndex(candidates)
    query, text = overlap.name_query(name), f"{name} {description}"
    found = index.search(query=query, text=text)
    assert found == _every_score(index, query=query, text=text)
    if name != "Beekeeping":
        assert found, "the corpus holds close matches for this query"


@pytest.mark.parametrize("name", ["Bench Proposal 42", "Bench Proposal", "Proposal 7"])
def test_among_many_equal_scores_the_index_lists_the_same_as_scoring_every_one(name, monkeypatch):
    """Names alike but for a number, as the benchmark's: thousands tie, and the index skips
    those that could only tie with the last listed and would follow it, so it computes the
    word similarity of a few names, not of every one (2,000 took a second)."""
    candidates = [
        ("group" if i % 3 == 0 else "proposal", f"Bench Proposal {i}", "", f"MTG-1999-{i:04d}")
        for i in range(2000)
    ]
    index = overlap.OverlapIndex(candidates)
    query, text = overlap.name_query(name), name
    computed = []
    exact = overlap.word_similarity
    monkeypatch.setattr(overlap, "word_similarity", lambda q, t: computed.append(t) or exact(q, t))
    found = index.search(query=query, text=text)
    assert len(computed) < 50
    monkeypatch.undo()
    assert found == _every_score(index, query=query, text=text)
    assert len(found) == overlap.LIMIT


@pytest.mark.django_db
def test_a_check_asks_the_database_nothing_while_the_candidates_are_unchanged(
    django_assert_num_queries,
):
    factories.meetup(name="Zine Makers of Queens", description="We make zines.")
    assert names(overlap.find_overlaps(name="Zines")) == ["Zine Makers of Queens"]
    with django_assert_num_queries(0):
        assert names(overlap.find_overlaps(name="Queens zines")) == ["Zine Makers of Queens"]


@pytest.mark.django_db
def test_a_change_in_this_process_is_seen_by_the_next_check():
    group = factories.meetup(name="Zine Makers of Queens", description="We make zines.")
    assert names(overlap.find_overlaps(name="Zines")) == ["Zine Makers of Queens"]
    proposal, _ = factories.proposal_in_state(State.SUBMITTED, name="Zine Readers")
    assert sorted(names(overlap.find_overlaps(name="Zines"))) == [
        "Zine Makers of Queens",
        "Zine Readers",
    ]
    group.is_listed = False
    group.save()
    assert names(overlap.find_overlaps(name="Zines")) == ["Zine Readers"]


@pytest.mark.django_db
def test_a_change_made_by_another_process_is_seen_within_the_recheck_interval(
    monotonic_clock, settings
):
    settings.OVERLAP_RECHECK_SECONDS = 1.0
    factories.meetup(name="Zine Makers of Queens", description="We make zines.")
    assert names(overlap.find_overlaps(name="Zines")) == ["Zine Makers of Queens"]
    # Written without save(), as another process's change reaches this one: no signal here.
    proposal, _ = factories.proposal_in_state(State.SUBMITTED, name="Zine Readers")
    overlap.find_overlaps(name="Zines")  # forgotten by the save: rebuilt with it
    Proposal.objects.filter(pk=proposal.pk).update(name="Bee Keepers", updated_at=now())
    assert "Zine Readers" in names(overlap.find_overlaps(name="Zines"))  # not looked yet
    monotonic_clock.advance(1.5)
    assert names(overlap.find_overlaps(name="Zines")) == ["Zine Makers of Queens"]


def test_the_form_s_check_asks_the_database_nothing(
    council_page, client, django_assert_num_queries
):
    """The index is kept in the process and the throttle counts in its memory: a check that
    does not rebuild the index costs no query, at any number of candidates."""
    assert client.get("/propose/overlap/", {"name": "UX"}).status_code == 200
    with django_assert_num_queries(0):
        response = client.get("/propose/overlap/", {"name": "UX Librarians"})
    assert json.loads(response.content)["matches"][0]["name"] == "User Experience (UX) in Libraries"


@pytest.mark.django_db
def test_saving_a_draft_keeps_the_index(django_assert_num_queries):
    factories.meetup(name="Zine Makers of Queens", description="We make zines.")
    assert names(overlap.find_overlaps(name="Zines")) == ["Zine Makers of Queens"]
    factories.draft(name="Zine Lovers")  # organizers writing: not a candidate
    with django_assert_num_queries(0):
        assert names(overlap.find_overlaps(name="Zines")) == ["Zine Makers of Queens"]
