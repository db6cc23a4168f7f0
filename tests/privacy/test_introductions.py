"""Introduction requests ("pass my details to staff"): the person who asked finds them in
their own data download, and program managers keep track of them in the staff workspace
(newest first, with the proposal they concern, marked done once passed on)."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from intake.introductions import ask_introduction
from intake.models import IntroductionRequest, State
from tests import factories

pytestmark = pytest.mark.django_db

MY_DATA_LINK = re.compile(r"https?://[^/\s]+(/privacy/my-data/[A-Za-z0-9_:.-]+/)")


def test_an_introduction_request_is_in_the_askers_own_data_download(
    django_capture_on_commit_callbacks,
):
    hidden, _ = factories.proposal_in_state(State.SUBMITTED, name="Secret Zine Circle")
    ask_introduction(
        proposal=hidden, name="Ada Asker", email="Ada@Example.org", message="Zines too!"
    )
    mail.outbox.clear()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/privacy/my-data/", {"email": "ada@example.org"})
    (message,) = [m for m in mail.outbox if "ada@example.org" in m.to]
    path = MY_DATA_LINK.search(message.body).group(1)

    data = json.loads(client.get(f"{path}data.json").content)
    (asked,) = data["introductions_asked"]
    assert (asked["name"], asked["email"], asked["message"]) == (
        "Ada Asker",
        "ada@example.org",
        "Zines too!",
    )
    # Which proposal it concerns stays its proposers' to tell.
    assert "Secret Zine Circle" not in json.dumps(data)
    assert hidden.reference not in json.dumps(data)


def test_program_managers_see_introductions_newest_first_and_mark_them_done():
    first, _ = factories.proposal_in_state(State.SUBMITTED, name="Zine Circle")
    second, _ = factories.proposal_in_state(State.SUBMITTED, name="Chess Club")
    older = ask_introduction(
        proposal=first, name="Ada Asker", email="ada@example.org", message="Zines too!"
    )
    IntroductionRequest.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    ask_introduction(
        proposal=second, name="Bo Asker", email="bo@example.org", message="I play chess"
    )
    client = Client()
    client.force_login(factories.staff_user(role="reviewer"))
    assert client.get("/reviews/introductions/").status_code in (302, 403)

    client.force_login(factories.staff_user(role="manager"))
    assert "/reviews/introductions/" in client.get("/reviews/").content.decode()
    page = client.get("/reviews/introductions/").content.decode()
    assert "Introductions asked" in page
    assert page.index("Bo Asker") < page.index("Ada Asker")  # newest first
    assert "Chess Club" in page and f"/reviews/{second.reference}/" in page
    assert "Zines too!" in page and "ada@example.org" in page

    response = client.post(f"/reviews/introductions/{older.pk}/done/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    older.refresh_from_db()
    assert older.done_at is not None
    assert "marked done" in page
    ada = page[page.index(f'id="introduction-{older.pk}"') :]
    assert "Done" in ada[: ada.index("</li>")]
    # Undone again, in case of a slip.
    client.post(f"/reviews/introductions/{older.pk}/done/", {"undo": "1"})
    older.refresh_from_db()
    assert older.done_at is None
