"""The admin names a group by the same rules as the other forms (no markup characters),
and links written in page text or descriptions obey the web-address rules: an unsafe
target is shown as plain text, never as a link (issue 22, third run)."""

import pytest
from django.template import Context, Template
from django.test import Client

from meetups.forms import MeetupForm
from meetups.models import Meetup
from tests import factories

pytestmark = pytest.mark.django_db

MARKUP_NAMES = ["<script>alert(1)</script>", "Zines <b>", "Zines {x}", "Zines &#60;"]


@pytest.mark.parametrize("name", MARKUP_NAMES)
def test_the_admin_refuses_markup_in_a_group_name(name):
    group = factories.meetup(name="Zine Club")
    client = Client()
    client.force_login(factories.superuser())
    page = client.get(f"/admin/meetups/meetup/{group.pk}/change/")
    assert page.status_code == 200
    form = MeetupForm(data={"name": name, "url": "", "description": ""}, instance=group)
    assert not form.is_valid()
    assert "name" in form.errors
    group.refresh_from_db()
    assert group.name == "Zine Club"


def test_the_admin_form_itself_refuses_markup():
    group = factories.meetup(name="Zine Club")
    client = Client()
    client.force_login(factories.superuser())
    page = client.get(f"/admin/meetups/meetup/{group.pk}/change/").content.decode()
    assert 'name="name"' in page
    data = {
        "name": "<script>alert(1)</script>",
        "slug": group.slug,
        "url": "",
        "description": "",
        "position": group.position,
        "accepts_messages": "on",
        "organizers-TOTAL_FORMS": "0",
        "organizers-INITIAL_FORMS": "0",
        "organizers-MIN_NUM_FORMS": "0",
        "organizers-MAX_NUM_FORMS": "1000",
    }
    client.post(f"/admin/meetups/meetup/{group.pk}/change/", data)
    group.refresh_from_db()
    assert group.name == "Zine Club"


def _render(filter_name: str, text: str) -> str:
    template = Template("{% load page_text %}{{ text|" + filter_name + " }}")
    return template.render(Context({"text": text}))


def page_text_filter(text: str) -> str:
    return _render("page_text", text)


def directory_text(text: str) -> str:
    return _render("directory_text", text)


UNSAFE = [
    '[q](https://a.example/"onclick=alert(1))',
    "[q](https://a.example/x'onclick)",
    "[q](https://user:pw@a.example/)",
    "[q](http://127.0.0.1/admin/)",
    "[q](https://localhost/)",
    "[q](https://a.example/&#60;x)",
    "[q](https://a.example/<x>)",
]


@pytest.mark.parametrize("text", UNSAFE)
@pytest.mark.parametrize("render", [page_text_filter, directory_text], ids=["page", "dir"])
def test_an_unsafe_link_target_is_plain_text(text, render):
    html = render(text)
    assert "<a " not in html
    assert "onclick=" not in html or "&quot;onclick" in html or "&#x27;onclick" in html


def test_a_safe_link_stays_a_link_and_a_group_page_shows_it(client):
    assert '<a href="https://example.org/x">ok</a>' in page_text_filter(
        "[ok](https://example.org/x)"
    )
    group = factories.meetup(
        is_listed=True,
        description='See [q](https://a.example/"onclick=alert(1)) and [ok](https://example.org/)',
    )
    body = client.get(group.get_absolute_url()).content.decode()
    assert '<a href="https://example.org/">ok</a>' in body
    assert 'href="https://a.example/' not in body
    assert Meetup.objects.filter(pk=group.pk).exists()
