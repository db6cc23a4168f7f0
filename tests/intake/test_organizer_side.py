"""The organizer's side (issue 13): changes requested leads to a real button and an edit
form that starts with the staff request; check your answers links every row to its field;
the short public description is what the directory shows, in name order."""

import re

import pytest
from django.test import Client

from accounts.roles import staff_actor
from intake import services
from intake.models import State
from meetups import services as meetups_services
from meetups.models import Meetup
from tests import factories

from .forms_data import form_data

pytestmark = pytest.mark.django_db


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_changes_requested_leads_to_a_button_and_a_form_that_starts_with_the_request():
    _, token = factories.proposal_in_state(State.CHANGES_REQUESTED)
    status = main_of(Client().get(f"/proposals/{token}/"))
    assert re.search(rf'<a class="btn btn-primary" href="/proposals/{token}/edit/">', status)
    assert "Make the changes" in status
    edit = main_of(Client().get(f"/proposals/{token}/edit/"))
    request = edit.index("Please say more about your audience.")
    assert request < edit.index("<form")
    assert "resubmit" in edit.lower()
    check = main_of(Client().get(f"/proposals/{token}/check/"))
    assert "Resubmit proposal" in check and "resubmission" in check.lower()


def test_check_your_answers_links_every_row_to_its_field_and_never_says_none():
    client = Client()
    check_url = client.post("/propose/", form_data(wants_promotion="on"))["Location"]
    check = main_of(client.get(check_url))
    rows = re.findall(r"<dt>", check)
    changes = re.findall(r'href="(/proposals/[^/]+/edit/)#([\w-]+)"', check)
    assert len(changes) == len(rows)
    edit = client.get(changes[0][0]).content.decode()
    for _, anchor in changes:
        assert f'id="{anchor}"' in edit, anchor
    assert "None" not in check
    assert "Not given" in check  # the web address and the public description were left blank
    assert "<li>Promotion</li>" in check


def test_the_directory_shows_the_short_public_description_in_name_order():
    factories.meetup(name="zebra readers", position=1)
    factories.meetup(name="Archivists Together", position=2)
    proposal, _ = factories.proposal_in_state(
        State.REVIEWED,
        name="Map Makers",
        description="A long purpose and scope for reviewers, with what is out of scope.",
        summary="We make maps together.",
    )
    manager = factories.staff_user(role="manager")
    services.run_transition(proposal=proposal, name="approve", actor=staff_actor(manager))
    assert Meetup.objects.get(name="Map Makers").description == "We make maps together."
    names = [m.name for m in Meetup.objects.for_directory()]
    assert names == ["Archivists Together", "Map Makers", "zebra readers"]
    html = Client().get("/meetups/").content.decode()
    positions = [html.index(n) for n in names]
    assert positions == sorted(positions)
    assert "A long purpose and scope" not in html
    exported = [g.name for g in meetups_services.current_listing().groups]
    assert exported == names


def test_the_form_asks_for_a_short_public_description_with_a_length_guide():
    html = Client().get("/propose/").content.decode()
    assert 'name="summary"' in html and 'maxlength="300"' in html
    assert "300 characters" in html
    too_long = Client().post("/propose/", form_data(summary="x" * 301))
    assert too_long.status_code == 200
    assert "300 characters" in too_long.content.decode()


def test_imported_text_linking_the_old_guidelines_document_links_to_guidelines():
    page = meetups_services.directory_page()
    page.intro = (
        "Curious? [Check out our program guidelines](https://docs.google.com/document/d/"
        "1IHJzo1OEb9qMW96k2lnfQYhBWX7-oCiqFS29QOkvKYQ/edit?usp=sharing)."
    )
    page.save()
    html = Client().get("/meetups/").content.decode()
    assert '<a href="/guidelines/">Check out our program guidelines</a>' in html
    assert "docs.google.com" not in html


def summary_links(response) -> list[str]:
    html = response.content.decode()
    summary = html[html.index('id="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    return re.findall(r'<a href="#([\w-]+)"', summary)


def test_the_error_summary_follows_the_page_and_says_each_problem_once():
    response = Client().post(
        "/propose/",
        form_data(
            name="",
            **{"organizers-1-email": "PERSON0@example.org"},
            activities="",
            agrees_to_guidelines=None,
        ),
    )
    assert summary_links(response) == [
        "id_name",
        "id_organizers-1-email",
        "id_activities",
        "id_agrees_to_guidelines",
    ]
    html = response.content.decode()
    assert html.count("already given for another organizer") == 2  # summary and the field
