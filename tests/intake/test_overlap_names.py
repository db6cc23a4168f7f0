"""Issue 23, bug 4: names a person reads as the same group are warned about, whatever their
spacing, digits for words, written-out place or acronym; names merely sharing initials are
not."""

from pathlib import Path

import pytest

from intake import overlap
from intake.models import State
from meetups import services as meetup_services
from tests import factories

PAGE = Path(__file__).parent.parent / "meetups" / "data" / "metro-meetups-page.md"


@pytest.fixture
def council_page(db):
    meetup_services.import_listing(text=PAGE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("Code 4 Lib New York", "Code4LibNYC"),
        ("Code for Lib", "Code4LibNYC"),
        ("LRS", "Library Resource Sharing: Circulation, Interlibrary Loan & Reserves"),
        ("STM Librarians", "Science, Technology, Medical Librarians"),
    ],
)
def test_a_name_written_another_way_finds_the_listed_group(council_page, typed, listed):
    matches = overlap.find_overlaps(name=typed)
    assert [m.name for m in matches][:1] == [listed]


@pytest.mark.django_db
def test_a_written_out_name_finds_the_proposal_known_by_its_acronym():
    about = "We meet to talk shop."
    factories.proposal_in_state(State.SUBMITTED, name="UX Librarians", description=about)
    factories.proposal_in_state(State.SUBMITTED, name="DH", description=about)
    found = overlap.find_overlaps(name="User Experience (UX)")
    assert [m.name for m in found] == ["UX Librarians"]
    assert [m.name for m in overlap.find_overlaps(name="Digital Humanities")] == ["DH"]


@pytest.mark.django_db
def test_names_sharing_only_initials_are_not_the_same_group():
    factories.proposal_in_state(
        State.SUBMITTED, name="Digital Humanities", description="We meet to talk shop."
    )
    assert overlap.find_overlaps(name="Data Hoarders") == []


def test_the_keys_a_person_would_read_as_one_name():
    assert overlap.name_keys("Code4LibNYC")[0] == overlap.name_keys("Code 4 Lib New York")[0]
    assert overlap.name_keys("NYC Zine Makers")[0] == overlap.name_keys("Zine makers")[0]
    assert "ux" in overlap.name_keys("User Experience (UX) in Libraries")[1]
    assert overlap.name_keys("The Library Group")[0] == ""
