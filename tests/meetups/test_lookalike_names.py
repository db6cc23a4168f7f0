"""Look-alike names: a name that differs from a listed group's only by invisible characters,
a letter from another script or a fullwidth letter is the same name, refused on the public
form, at approval and in the manager's edit."""

import pytest
from django.test import Client

from accounts.roles import staff_actor
from common import transitions
from intake import services
from intake.models import Proposal, State
from meetups.models import Meetup
from meetups.naming import clean_name, name_key
from tests import factories
from tests.intake.forms_data import form_data

LOOK_ALIKES = [
    "Cod\u200be4LibNYC",  # zero-width space
    "Code\u20604LibNYC",  # word joiner
    "C\u043ede4LibNYC",  # Cyrillic small o
    "\uff23ode4LibNYC",  # fullwidth C
    "\u200bCODE4LIBNYC\u200d",
    "Code4Lib NYC",  # an inner space
    "Code4-LibNYC",  # a hyphen
    "Code4Lib—NYC",  # an em dash (the look-alike table maps it to a letter)
    "Code4Lib.NYC",  # a dot inside
    "Code4Lib·NYC",  # a middle dot
    "Code4Lib/NYC",  # a slash
    "Code4LibNYC!",  # an exclamation mark
    "Code4\u2010Lib\u2013NYC",  # a Unicode hyphen and an en dash
    "Code4Lib_NYC",
    "C\u0301ode4LibNYC",  # C and a combining acute accent
    "\u0106ode4LibNYC",  # the same, precomposed
    "Co\u0308de4LibNYC",  # a combining diaeresis
]


@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_lookalike_name_has_the_same_key(name):
    assert name_key(name) == name_key("Code4LibNYC")


DIGIT_FOR_LETTER = [
    "C0de4LibNYC",  # 0 for o, letters on both sides
    "Code4L1bNYC",  # 1 for i
    "Code4LlbNYC",  # l for i
    "C0de4L1bNYC",
    "Code4Lib NYC",
]


@pytest.mark.parametrize("name", DIGIT_FOR_LETTER)
def test_a_digit_standing_for_a_letter_inside_a_word_is_the_same_name(name):
    assert name_key(name) == name_key("Code4LibNYC")


@pytest.mark.parametrize(
    ("lookalike", "name"),
    [
        ("0range County Librarians", "Orange County Librarians"),  # at a word's edge
        ("Zine Librarian5", "Zine Librarians"),
        ("Li8rary Makers", "Library Makers"),
        ("Ja2z Archivists", "Jazz Archivists"),
        ("Wiki Edit-a-thon", "Wlkl Edit-a-thon"),
    ],
)
def test_each_lookalike_digit_folds_to_its_letter(lookalike, name):
    assert name_key(lookalike) == name_key(name)


def test_a_standalone_number_stays_a_number():
    assert name_key("Group 0") != name_key("Group O")
    assert name_key("Web 2020") != name_key("Web zozo")
    assert name_key("Class of 2025") != name_key("Class of zozs")
    assert name_key("Code4Lib") != name_key("CodeALib")  # 4 is no look-alike
    assert name_key("Web2020Group") != name_key("Webzozogroup")  # digits among digits


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["C0de4LibNYC", "Code4L1bNYC"])
def test_a_digit_for_letter_name_is_refused_on_the_public_form(name):
    factories.meetup(name="Code4LibNYC")
    response = Client().post("/propose/", form_data(name=name))
    assert response.status_code == 200
    assert "A listed group already has this name" in response.content.decode()
    assert not Proposal.objects.exists()


def test_different_names_keep_different_keys():
    assert name_key("Zine Librarians") != name_key("Zine Librarian")
    assert name_key("Group 0") != name_key("Group O")
    assert name_key("C# Users") != name_key("C Users")


def test_stored_name_is_nfkc_without_format_characters():
    assert clean_name("\uff23od\u200be4Lib\u2060NYC  \ufb01le") == "Code4LibNYC file"


@pytest.mark.django_db
@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_lookalike_name_is_refused_on_the_public_form(name):
    factories.meetup(name="Code4LibNYC")
    response = Client().post("/propose/", form_data(name=name))
    assert response.status_code == 200
    assert "A listed group already has this name" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_lookalike_name_cannot_be_approved_beside_the_real_group(name):
    proposal, _ = factories.proposal_in_state(State.REVIEWED, name=name)
    factories.meetup(name="Code4LibNYC")
    manager = factories.staff_user(role="manager")
    with pytest.raises(transitions.Refused):
        services.run_transition(proposal=proposal, name="approve", actor=staff_actor(manager))
    assert list(Meetup.objects.listed().values_list("name", flat=True)) == ["Code4LibNYC"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_lookalike_name_is_refused_in_the_managers_edit(name):
    from meetups.forms import MeetupForm

    factories.meetup(name="Code4LibNYC")
    other = factories.meetup(name="Other Group")
    form = MeetupForm(data={"name": name, "url": "", "description": ""}, instance=other)
    assert not form.is_valid()
    assert "name" in form.errors
