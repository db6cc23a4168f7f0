"""The staff "Extend the check-in" form on an imported group (sec22d): imported today, the
group is due a full check-in period ahead, and the form offered an empty range ("from 8
December 2027 to 7 December 2027"). The range now runs from the day after the due date to a
period beyond it, and extending works."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from meetups.group_forms import ExtendForm
from meetups.models import Meetup, add_months
from tests import factories

from .test_import_export import PAGE, run

pytestmark = pytest.mark.django_db


def _imported_group() -> Meetup:
    run("import_listing", str(PAGE))
    return Meetup.objects.get(name="Code4LibNYC")


def test_the_extend_form_offers_a_range_after_the_imported_groups_due_date():
    group = _imported_group()
    first = group.check_in_due_on + timedelta(days=1)
    last = add_months(first, 12)
    help_text = str(ExtendForm(meetup=group).fields["due_on"].help_text)
    assert f"A date from {date_format(first)} to {date_format(last)}" in help_text


def test_extending_an_imported_group_works(client):
    group = _imported_group()
    later = group.check_in_due_on + timedelta(days=30)
    client.force_login(factories.staff_user(role="manager"))
    response = client.post(
        f"/reviews/groups/{group.slug}/do/extend/",
        {"note": "Meets all year", "due_on": later.isoformat()},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.check_in_due_on == later
    assert group.history.filter(kind="extend").exists()


def test_a_group_without_a_due_date_can_be_extended_from_today():
    today = timezone.localdate()
    form = ExtendForm(meetup=Meetup(name="X", check_in_due_on=None))
    assert form.fields["due_on"].widget.attrs["min"] == today.isoformat()
    assert form.fields["due_on"].widget.attrs["max"] == add_months(today, 12).isoformat()
