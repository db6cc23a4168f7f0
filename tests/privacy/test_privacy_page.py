"""The privacy notice says what is true today: the real settings' values, and how to ask."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_notice_gives_the_real_periods_and_the_ways_to_ask(settings):
    settings.DRAFT_RETENTION_DAYS = 45
    settings.ENDED_RETENTION_DAYS = 400
    settings.STALE_WITHDRAW_DAYS = 33
    page = Client().get("/privacy/").content.decode()
    assert "untouched for 45 days is deleted" in page
    assert "erased 400 days after it ended" in page
    assert "withdrawn after 33 days without an answer" in page
    # How to ask: once for everything, from the proposal's page, from a group's page.
    assert 'href="/privacy/my-data/"' in page
    assert "from your group's private page" in page
    # What an imported group keeps.
    assert "imported from the council's page" in page
