"""A group cannot be renamed to a look-alike of another listed group's name from any door:
the listing import keeps the stored name when the page's is a look-alike of it (a Cyrillic
"о" for "o", a digit for a letter), and the admin's and the program manager's forms refuse a
look-alike of another listed group's name, as the public form does."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from meetups import services
from meetups.forms import MeetupForm
from meetups.models import Meetup
from tests import factories

PAGE = "## {name} ##\nAnn Roe, Organizer\n\nA group for people who code in libraries.\n"


@pytest.mark.django_db
@pytest.mark.parametrize("lookalike", ["C\u043ede4LibNYC", "C0de4LibNYC", "Code4L1bNYC"])
def test_the_import_keeps_the_stored_name_when_the_page_has_a_lookalike(lookalike):
    services.import_listing(text=PAGE.format(name="Code4LibNYC"))
    report = services.import_listing(text=PAGE.format(name=lookalike))
    assert list(Meetup.objects.values_list("name", flat=True)) == ["Code4LibNYC"]
    assert not report.changed  # and importing it again is no change either
    assert not services.import_listing(text=PAGE.format(name=lookalike)).changed


@pytest.mark.django_db
def test_the_import_still_takes_a_plain_spelling_change():
    services.import_listing(text=PAGE.format(name="Code4lib NYC"))
    services.import_listing(text=PAGE.format(name="Code4Lib NYC"))
    assert list(Meetup.objects.values_list("name", flat=True)) == ["Code4Lib NYC"]


def admin_form(user, meetup, data):
    model_admin = admin.site._registry[Meetup]
    request = RequestFactory().post("/")
    request.user = user
    form_class = model_admin.get_form(request, meetup)
    fields = {
        name: getattr(meetup, name)
        for name in form_class.base_fields
        if name not in ("name", "topics")
    }
    return form_class(data={**fields, **data}, instance=meetup)


@pytest.mark.django_db
@pytest.mark.parametrize("lookalike", ["C\u043ede4LibNYC", "C0de4LibNYC", "Code4L1bNYC"])
def test_the_admin_refuses_a_lookalike_of_another_listed_groups_name(lookalike):
    factories.meetup(name="Code4LibNYC")
    other = factories.meetup(name="Other Group")
    form = admin_form(factories.superuser(), other, {"name": lookalike})
    assert not form.is_valid()
    assert "Another listed group already has this name." in form.errors["name"]


@pytest.mark.django_db
def test_the_admin_still_saves_a_group_under_its_own_name():
    factories.meetup(name="Code4LibNYC")
    other = factories.meetup(name="Other Group")
    form = admin_form(factories.superuser(), other, {"name": "Other Group Renamed"})
    assert form.is_valid(), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize("lookalike", ["C0de4LibNYC", "Code4L1bNYC"])
def test_the_program_managers_form_refuses_a_digit_for_letter_lookalike(lookalike):
    factories.meetup(name="Code4LibNYC")
    other = factories.meetup(name="Other Group")
    form = MeetupForm(data={"name": lookalike, "url": "", "description": ""}, instance=other)
    assert not form.is_valid()
    assert "Another listed group already has this name." in form.errors["name"]
