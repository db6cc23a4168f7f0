"""The public proposal form: validation rules, the error summary, nothing typed lost,
the honeypot and the rate limit."""

import datetime
import re

import pytest
from django.utils import timezone

from intake.models import Organizer, Proposal
from meetups.models import Meetup

from .forms_data import form_data


def summary_messages(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="alert-link">([^<]*)</a>', html)


@pytest.mark.django_db
def test_empty_form_is_offered_with_existing_groups(client):
    Meetup.objects.create(name="Code4LibNYC", slug="code4libnyc")
    response = client.get("/propose/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Code4LibNYC" in html
    assert 'name="organizers-0-email"' in html
    assert "The address is never shown publicly." in html


@pytest.mark.django_db
def test_valid_form_saves_a_draft_and_goes_to_check_answers(client):
    response = client.post("/propose/", form_data())
    assert response.status_code == 302
    assert response["Location"].endswith("/check/")
    proposal = Proposal.objects.get()
    assert proposal.state == "draft"
    assert proposal.name == "Zine Librarians"
    assert [o.email for o in proposal.organizers.all()] == [
        "person0@example.org",
        "person1@example.org",
    ]
    assert proposal.organizers.first().role_label == "Primary contact"


REQUIRED = [
    ("name", "Enter a name for the group."),
    ("description", "Describe the group's purpose and scope."),
    ("audience", "Say who the group is for."),
    ("differs_from_existing", "Say how the group differs from the groups already listed."),
    ("activities", "Describe the planned activities."),
    ("meeting_frequency", "Choose how often you plan to meet."),
    ("meeting_format", "Choose a meeting format."),
    ("open_to_all", "Groups in the program must be free and open to all"),
    ("agrees_to_guidelines", "Tick this box to agree to the program guidelines."),
    ("agrees_to_code_of_conduct", "Tick this box to agree to the code of conduct."),
    ("organizers-0-name", "Enter this person's name."),
    ("organizers-1-email", "Enter this person's email address."),
    ("organizers-1-institution", "Enter this person's institution"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "message"), REQUIRED)
def test_each_required_field_has_a_clear_message(client, field, message):
    response = client.post("/propose/", form_data(**{field: None}))
    assert response.status_code == 200
    assert any(message.replace("'", "&#x27;") in m for m in summary_messages(response))
    assert Proposal.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "x" * 121}, "at most 120 characters"),
        ({"description": "x" * 4001}, "at most 4000 characters"),
        ({"organizers-1-email": "not-an-email"}, "Enter an email address like name@example.org."),
        ({"existing_url": "not a web address"}, "Enter a full web address"),
        ({"organizers-1-email": "PERSON0@example.org"}, "already given for another organizer"),
        ({"first_meeting": "2001-01"}, "The first meeting must be in a future month."),
        ({"first_meeting": "soon"}, "Choose a month from the list."),
        ({"meeting_frequency": "other"}, "Say how often you plan to meet, as you chose Other."),
    ],
)
def test_validation_rules(client, overrides, message):
    response = client.post("/propose/", form_data(**overrides))
    assert response.status_code == 200
    assert any(message in m for m in summary_messages(response)), summary_messages(response)
    assert Proposal.objects.count() == 0


@pytest.mark.django_db
def test_first_meeting_in_the_current_month_is_too_soon_but_next_month_is_fine(client):
    today = timezone.localdate()
    this_month = today.strftime("%Y-%m")
    response = client.post("/propose/", form_data(first_meeting=this_month))
    assert any("future month" in m for m in summary_messages(response))
    next_month = (today.replace(day=28) + datetime.timedelta(days=7)).strftime("%Y-%m")
    response = client.post("/propose/", form_data(first_meeting=next_month))
    assert response.status_code == 302
    assert Proposal.objects.get().first_meeting.strftime("%Y-%m") == next_month


@pytest.mark.django_db
def test_fewer_organizers_than_the_minimum(client, settings):
    response = client.post("/propose/", form_data(organizers=1))
    assert response.status_code == 200
    assert any("Enter this person" in m for m in summary_messages(response))
    settings.MIN_ORGANIZERS = 1
    assert client.post("/propose/", form_data(organizers=1)).status_code == 302


@pytest.mark.django_db
def test_too_few_organizers_when_the_minimum_is_three(client, settings):
    settings.MIN_ORGANIZERS = 3
    response = client.post("/propose/", form_data(organizers=2, **{"organizers-TOTAL_FORMS": "4"}))
    assert response.status_code == 200
    assert Proposal.objects.count() == 0


@pytest.mark.django_db
def test_name_of_a_listed_group_is_refused_but_an_archived_one_is_free(client):
    Meetup.objects.create(name="Zine Librarians", slug="zine-librarians")
    response = client.post("/propose/", form_data(name="  zine   LIBRARIANS "))
    assert any("A listed group already has this name" in m for m in summary_messages(response))
    Meetup.objects.update(is_listed=False)
    assert client.post("/propose/", form_data()).status_code == 302


@pytest.mark.django_db
def test_nothing_typed_is_lost_on_an_error(client):
    data = form_data(name=None, support_notes="We need a projector.", first_meeting="2001-01")
    data["organizers-2-name"] = "Third Person"
    data["organizers-2-email"] = "third@example.org"
    data["organizers-2-institution"] = "NYPL"
    response = client.post("/propose/", data)
    html = response.content.decode()
    for value in (
        "We share how libraries collect",
        "We need a projector.",
        "Third Person",
        "third@example.org",
        "person1@example.org",
    ):
        assert value in html
    assert (
        'value="quarterly" checked' in html
        or 'value="quarterly"\n' in html
        or (re.search(r'value="quarterly"[^>]*checked', html))
    )


@pytest.mark.django_db
def test_error_summary_links_to_each_field(client):
    response = client.post("/propose/", form_data(name=None, **{"organizers-1-email": "bad"}))
    html = response.content.decode()
    assert 'role="alert"' in html and "autofocus" in html
    assert 'href="#id_name"' in html
    assert 'href="#id_organizers-1-email"' in html
    assert 'id="id_organizers-1-email"' in html
    assert "Co-organizer 1, email" in html
    # the error text is tied to its field for screen readers
    assert re.search(r'id="id_name"[^>]*aria-invalid="true"', html) or re.search(
        r'aria-invalid="true"[^>]*id="id_name"', html
    )


@pytest.mark.django_db
def test_add_another_organizer_row_keeps_answers_without_errors(client):
    data = form_data(name=None)
    data["add_organizer"] = "1"
    response = client.post("/propose/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="organizers-3-name"' in html
    assert "person1@example.org" in html
    assert "There is a problem" not in html and "problems with your answers" not in html
    assert Proposal.objects.count() == 0


@pytest.mark.django_db
def test_honeypot_stops_simple_bots(client):
    response = client.post("/propose/", form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert Proposal.objects.count() == 0


@pytest.mark.django_db
def test_submissions_per_client_address_are_rate_limited(client, settings):
    settings.PROPOSALS_PER_HOUR = 3
    for i in range(3):
        assert client.post("/propose/", form_data(name=f"Group {i}")).status_code == 302
    response = client.post("/propose/", form_data(name="Group 4"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many proposals" in html
    assert "Group 4" in html  # what was typed is still there
    assert Proposal.objects.count() == 3
    other = client.post("/propose/", form_data(name="Group 5"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


@pytest.mark.django_db
def test_organizer_rows_are_stored_in_order_with_flags(client):
    data = form_data()
    data["organizers-1-institution_is_member"] = "on"
    del data["organizers-1-listed_publicly"]
    client.post("/propose/", data)
    second = Organizer.objects.get(email="person1@example.org")
    assert second.institution_is_member and not second.listed_publicly
    assert second.position == 1


def field_markup(html: str, name: str) -> str:
    """One field's wrapper as rendered: its label, input and help text."""
    match = re.search(rf'<div id="div_id_{name}".*?</div>', html, re.S)
    assert match, name
    return match.group(0)


def marked_required(markup: str) -> bool:
    marks = (
        "asteriskField" in markup,
        "requiredField" in markup,
        bool(re.search(r"<input[^>]*\srequired[\s>]", markup)),
        "aria-required" in markup,
    )
    assert len(set(marks[:3])) == 1, markup  # marked all ways or none, never half
    return any(marks)


PERSON = ("name", "email", "institution")


@pytest.mark.django_db
def test_only_the_needed_organizer_rows_are_marked_required(client, settings):
    html = client.get("/propose/").content.decode()
    for row in (0, 1):
        assert all(marked_required(field_markup(html, f"organizers-{row}-{f}")) for f in PERSON)
    assert not any(marked_required(field_markup(html, f"organizers-2-{f}")) for f in PERSON)
    assert "Co-organizer 2 (optional)" in html

    data = form_data()
    data["add_organizer"] = "1"
    added = client.post("/propose/", data).content.decode()
    assert not any(marked_required(field_markup(added, f"organizers-3-{f}")) for f in PERSON)

    settings.MIN_ORGANIZERS = 3
    html = client.get("/propose/").content.decode()
    assert all(marked_required(field_markup(html, f"organizers-2-{f}")) for f in PERSON)
    assert not any(marked_required(field_markup(html, f"organizers-3-{f}")) for f in PERSON)


@pytest.mark.django_db
def test_a_partly_filled_optional_row_says_what_else_it_needs(client):
    data = form_data(**{"organizers-2-name": "Third Person"})
    response = client.post("/propose/", data)
    assert response.status_code == 200
    assert Proposal.objects.count() == 0
    messages = summary_messages(response)
    assert (
        "Co-organizer 2, email: Enter this person&#x27;s email address as well, or clear this "
        "co-organizer&#x27;s other details to leave them out." in messages
    )
    assert any(m.startswith("Co-organizer 2, institution: Enter this person") for m in messages)
    assert not any("Co-organizer 2, name" in m for m in messages)
    html = response.content.decode()
    assert 'value="Third Person"' in html
    email = field_markup(html, "organizers-2-email")
    assert 'aria-invalid="true"' in email and "as well, or clear" in html
    assert 'href="#id_organizers-2-email"' in html
    assert not marked_required(email)


@pytest.mark.django_db
def test_an_optional_row_with_a_bad_email_only_asks_for_the_rest(client):
    response = client.post("/propose/", form_data(**{"organizers-2-email": "nope"}))
    messages = summary_messages(response)
    assert "Co-organizer 2, email: Enter an email address like name@example.org." in messages
    assert any(
        m.startswith("Co-organizer 2, name: Enter this person&#x27;s name as well")
        for m in messages
    )
    assert any(m.startswith("Co-organizer 2, institution:") for m in messages)


@pytest.mark.django_db
def test_a_fully_filled_optional_row_is_saved_and_a_blank_one_ignored(client):
    data = form_data(**{"organizers-TOTAL_FORMS": "4"})
    data.update(
        {
            "organizers-2-name": "Third Person",
            "organizers-2-email": "third@example.org",
            "organizers-2-institution": "NYPL",
            "organizers-3-listed_publicly": "on",
        }
    )
    assert client.post("/propose/", data).status_code == 302
    emails = [o.email for o in Proposal.objects.get().organizers.all()]
    assert emails == ["person0@example.org", "person1@example.org", "third@example.org"]


@pytest.mark.django_db
def test_a_refused_null_character_is_left_out_of_the_answer_shown_again(client):
    response = client.post("/propose/", form_data(description="Zines\x00 and more"))
    html = response.content.decode()
    assert "hidden null character" in html
    assert "\x00" not in html
    assert re.search(r'<textarea name="description"[^>]*>\nZines and more</textarea>', html)
    assert Proposal.objects.count() == 0
