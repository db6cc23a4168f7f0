"""Look-alike names the last attack run got through (sec22d): a capital from another
script that lower-cases to a different letter (Greek "Ν" to "ν"), "¡" or "!" for i or l
between letters, "()" for o, a circled digit, and Latin letters like "Ƅ" for b. The same
name on every path: the key, the public form, the manager's edit and the listed-name check
approval and import use."""

import pytest
from django.test import Client

from intake.models import Proposal
from meetups.models import Meetup
from meetups.naming import same_name
from tests import factories
from tests.intake.forms_data import form_data

ATTACKS = [
    "Code4Lib\u039dYC",  # Greek capital Nu
    "\u0421\u043e\u0501\u04354Lib\u039d\u03a5\u0421",  # Cyrillic and Greek mixed
    "Code4L\u00a1bNYC",  # inverted exclamation mark for i
    "Code4L!bNYC",  # exclamation mark for i
    "C()de4LibNYC",  # empty parentheses for o
    "Code\u24f8LibNYC",  # double circled digit four
    "Code4Li\u0184NYC",  # Latin capital tone six for b
]


@pytest.mark.parametrize("name", ATTACKS)
def test_the_attack_names_are_the_same_name(name):
    assert same_name(name, "Code4LibNYC") and same_name("Code4LibNYC", name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ATTACKS)
def test_the_attack_names_are_refused_on_the_public_form(name):
    factories.meetup(name="Code4LibNYC")
    response = Client().post("/propose/", form_data(name=name))
    assert "A listed group already has this name" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ATTACKS)
def test_the_attack_names_are_taken_for_rename_approval_and_import(name):
    from meetups.forms import MeetupForm

    factories.meetup(name="Code4LibNYC")
    other = factories.meetup(name="Other Group")
    assert Meetup.objects.name_taken(name)
    form = MeetupForm(data={"name": name, "url": "", "description": ""}, instance=other)
    assert not form.is_valid()


def test_ordinary_names_keep_their_reading():
    assert same_name("Yahoo! Users", "Yahoo Users")  # "!" at a word's end is punctuation
    assert not same_name("Code4LibNYC", "Code4LibDC")
    assert not same_name("Group \u2463", "Group 5")  # a circled four is a four
    assert not same_name("Code4LibNYC", "Code4LibNYO")
