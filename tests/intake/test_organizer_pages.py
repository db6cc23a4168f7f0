"""The organizer's journey: from an empty form to submitted, the private status page,
withdrawing, and finding lost links."""

import http.cookiejar
import re
import urllib.parse
import urllib.request

import pytest
from django.core import mail
from django.utils.html import escape

from common.forms import NULL_CHARACTER_MESSAGE
from intake import services
from intake.models import Proposal, State
from tests import factories

from .forms_data import form_data


@pytest.mark.django_db
def test_from_empty_form_to_submitted_with_the_test_client(client):
    assert client.get("/").status_code == 200
    assert "Propose a group" in client.get("/").content.decode()
    assert client.get("/propose/").status_code == 200
    check_url = client.post("/propose/", form_data())["Location"]
    page = client.get(check_url)
    assert page.status_code == 200
    assert "Check your answers" in page.content.decode()
    assert "Zine Librarians" in page.content.decode()
    done = client.post(check_url)
    assert done.status_code == 302
    confirmation = client.get(done["Location"])
    html = confirmation.content.decode()
    proposal = Proposal.objects.get()
    assert proposal.state == State.SUBMITTED
    assert proposal.reference in html
    assert "What happens next" in html
    token = check_url.split("/")[2]
    assert f"/proposals/{token}/" in html
    status = client.get(f"/proposals/{token}/")
    assert "Submitted" in status.content.decode()


@pytest.mark.django_db(transaction=True)
def test_from_empty_form_to_submitted_with_a_plain_http_client(live_server):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path, data, referer):
        token = next(c.value for c in jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(live_server.url + path, data=body)
        request.add_header("Referer", live_server.url + referer)
        return opener.open(request)

    opener.open(live_server.url + "/propose/").read()
    response = post("/propose/", form_data(), "/propose/")
    check_path = urllib.parse.urlparse(response.url).path
    assert check_path.endswith("/check/")
    assert "Check your answers" in response.read().decode()
    response = post(check_path, {}, check_path)
    html = response.read().decode()
    assert "Proposal submitted" in html
    reference = re.search(r"MTG-\d{4}-\d{4}", html).group(0)
    assert Proposal.objects.get(reference=reference).state == State.SUBMITTED


@pytest.mark.django_db
def test_status_page_shows_steps_as_text_and_history(client):
    proposal, token = factories.proposal_in_state(State.CHANGES_REQUESTED)
    response = client.get(f"/proposals/{token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Step 1: Draft" in html and "Done" in html
    assert "Step 3: Changes requested" in html and 'aria-current="step"' in html
    assert "Please say more about your audience." in html
    assert "Program staff" in html
    assert "Change your answers" in html


@pytest.mark.django_db
def test_wrong_or_altered_token_is_a_404(client):
    proposal, token = factories.draft()
    assert client.get(f"/proposals/{token}/").status_code == 200
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (altered, token[:-5], "x", token + "x", "a" * 500):
        assert client.get(f"/proposals/{bad}/").status_code == 404
        assert client.get(f"/proposals/{bad}/check/").status_code == 404


@pytest.mark.django_db
def test_one_proposals_token_never_opens_another(client):
    first, first_token = factories.draft(name="First group")
    second, _ = factories.draft(name="Second group")
    html = client.get(f"/proposals/{first_token}/").content.decode()
    assert "First group" in html and "Second group" not in html


@pytest.mark.django_db
def test_repeated_token_failures_are_throttled(client):
    for _ in range(30):
        assert client.get("/proposals/guess-guess-guess/").status_code == 404
    assert client.get("/proposals/guess-again/").status_code == 429
    _, token = factories.draft()
    assert client.get(f"/proposals/{token}/").status_code == 429  # even a good one, for now
    assert client.get(f"/proposals/{token}/", REMOTE_ADDR="10.9.9.9").status_code == 200


@pytest.mark.django_db
def test_organizer_edits_a_draft_and_sees_the_change(client):
    proposal, token = factories.draft()
    page = client.get(f"/proposals/{token}/edit/")
    assert page.status_code == 200
    assert proposal.name in page.content.decode()
    data = form_data(name="Renamed group")
    response = client.post(f"/proposals/{token}/edit/", data)
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).name == "Renamed group"


@pytest.mark.django_db
def test_submitted_proposals_cannot_be_edited(client):
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    response = client.post(f"/proposals/{token}/edit/", form_data(name="Sneaky"))
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).name != "Sneaky"


@pytest.mark.django_db
def test_resubmit_after_changes_requested(client):
    proposal, token = factories.proposal_in_state(State.CHANGES_REQUESTED)
    client.post(f"/proposals/{token}/edit/", form_data(name="Better group"))
    page = client.get(f"/proposals/{token}/check/")
    assert "Resubmit proposal" in page.content.decode()
    client.post(f"/proposals/{token}/check/")
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.state == State.SUBMITTED
    assert proposal.transitions.last().transition == "resubmit"


@pytest.mark.django_db
def test_withdraw_needs_confirmation_then_is_final(client):
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    page = client.get(f"/proposals/{token}/withdraw/")
    assert "cannot undo" in page.content.decode()
    response = client.post(f"/proposals/{token}/withdraw/", {"reason": "Merged with another"})
    assert response.status_code == 200
    assert "Tick the box to confirm" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED
    response = client.post(
        f"/proposals/{token}/withdraw/",
        {"confirm": "on", "reason": "Merged with another", "expected_state": "submitted"},
        follow=True,
    )
    assert "has been withdrawn" in response.content.decode()
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.state == State.WITHDRAWN
    assert proposal.transitions.last().note == "Merged with another"
    assert "withdraw the proposal" not in client.get(f"/proposals/{token}/").content.decode()


@pytest.mark.django_db
def test_a_withdraw_that_comes_too_late_says_why_and_keeps_the_reason(client):
    """The program approved the proposal while the organizer was typing: nothing is
    withdrawn, and the reason they wrote comes back in the message rather than vanishing."""
    proposal, token = factories.proposal_in_state(State.APPROVED)
    response = client.post(
        f"/proposals/{token}/withdraw/",
        {"confirm": "on", "reason": "We <merged> groups", "expected_state": "submitted"},
        follow=True,
    )
    html = response.content.decode()
    assert "Your reason was not sent: We &lt;merged&gt; groups" in html
    assert Proposal.objects.get(pk=proposal.pk).state == State.APPROVED


@pytest.mark.django_db
def test_a_null_character_in_the_withdraw_reason_gets_the_plain_message(client):
    """The reason is typed text, so WithdrawForm explains a pasted NUL like every other form
    and keeps the rest of the reason in the box."""
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    response = client.post(
        f"/proposals/{token}/withdraw/",
        {"confirm": "on", "reason": "Merged\x00 with another", "expected_state": "submitted"},
    )
    html = response.content.decode()
    assert escape(NULL_CHARACTER_MESSAGE) in html
    assert "\x00" not in html and "Merged with another</textarea>" in html
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED


@pytest.mark.django_db
def test_check_answers_reports_a_failed_submit_clearly(client, settings):
    proposal, token = factories.draft()
    settings.MIN_ORGANIZERS = 3
    response = client.post(f"/proposals/{token}/check/")
    assert response.status_code == 409
    assert "at least 3 organizers" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).state == State.DRAFT


@pytest.mark.django_db(transaction=True)
def test_find_answers_the_same_for_known_and_unknown_addresses(client):
    proposal, _ = factories.draft(organizer_emails=["kim@example.org", "lee@example.org"])
    known = client.post("/proposals/find/", {"email": "KIM@example.org"})
    unknown = client.post("/proposals/find/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200

    def without_addresses(response):
        html = response.content.decode()
        for address in ("KIM@example.org", "kim@example.org", "nobody@example.org"):
            html = html.replace(address, "")
        return re.sub(r'value="[^"]+"', "", html)

    assert without_addresses(known) == without_addresses(unknown)
    sent = [m for m in mail.outbox if "kim@example.org" in m.to]
    assert len(sent) == 1
    link = re.search(r"/proposals/([\w-]+)/", sent[0].body).group(1)
    assert services.proposal_for_token(link) == proposal
    assert not [m for m in mail.outbox if "nobody@example.org" in m.to]


@pytest.mark.django_db
def test_find_is_rate_limited_per_address(client):
    for _ in range(3):
        client.post("/proposals/find/", {"email": "kim@example.org"})
    response = client.post("/proposals/find/", {"email": "kim@example.org"})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()


@pytest.mark.django_db
def test_find_rejects_a_bad_email_with_a_message(client):
    response = client.post("/proposals/find/", {"email": "kim"})
    assert "Enter an email address like name@example.org." in response.content.decode()


@pytest.mark.django_db
def test_public_pages_answer(client):
    for path in ("/", "/guidelines/", "/accessibility/", "/propose/", "/proposals/find/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Skip to main content" in response.content.decode()
    guidelines = client.get("/guidelines/").content.decode()
    assert "<h2>Who can propose a group</h2>" in guidelines


@pytest.mark.django_db
def test_guidelines_text_is_edited_without_a_deploy(client):
    from intake.models import ProgramPage

    page = ProgramPage.objects.get(slug="guidelines")
    page.body = "## New rules\n\n- Meet <monthly>\n- Be kind"
    page.save()
    html = client.get("/guidelines/").content.decode()
    assert "<h2>New rules</h2>" in html
    assert "<li>Meet &lt;monthly&gt;</li>" in html


@pytest.mark.django_db
def test_finding_links_says_it_sends_group_links_too(client):
    """Issue 23: the page sends links to proposals and to groups' own pages, and says so."""
    page = client.get("/proposals/find/").content.decode()
    assert "Find my proposal or group" in page and "every listed group it keeps" in page
    assert ">My private links</a>" in page
    sent = client.post("/proposals/find/", {"email": "kim@example.org"}).content.decode()
    assert "If any proposal or listed group names kim@example.org" in sent
