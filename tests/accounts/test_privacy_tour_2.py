"""Issue 27, the second fresh-eyes tour (priv27c): the staff accounts' side."""

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/admin/", "/reviews/export.csv"])
def test_item7_a_reviewer_refused_a_managers_page_is_told_it_is_for_program_managers(url):
    client = Client()
    client.force_login(factories.staff_user(role="reviewer"))
    response = client.get(url, follow=True)
    assert response.status_code == 403
    page = response.content.decode()
    assert "This page is for program managers." in page
    assert "ask a program manager to give you the" not in page


def test_item7_someone_with_no_role_is_still_told_to_ask_for_one():
    client = Client()
    client.force_login(factories.staff_user(role="none"))
    page = client.get("/reviews/").content.decode()
    assert "ask a program manager to give you the" in page
