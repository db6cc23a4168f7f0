"""A NUL or another control character in a public address's filter (the directory's
topic, format, words and soon; /meetups.json's; the report's year and basis) is an unknown
value: the directory says so (the JSON answers 400 with it), never a 500 (PostgreSQL cannot
hold NUL in a query). Run on SQLite and, with DATABASE_URL, on PostgreSQL."""

import pytest

from meetups.models import Topic
from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE = ["%00", "a%00b", "%01", "zines%0D%0Abcc", "%7F"]


def _check_directory(client):
    Topic.objects.create(name="Zines", slug="zines")
    factories.meetup(is_listed=True)
    for value in HOSTILE:
        response = client.get(f"/meetups/?topic={value}")
        assert response.status_code == 200, value
        assert "There is no topic called" in response.content.decode(), value
        response = client.get(f"/meetups.json?topic={value}")
        assert response.status_code == 400, value
        assert "There is no topic called" in response.json()["error"], value
        response = client.get(f"/meetups/?format={value}")
        assert response.status_code == 200, value
        assert "is not a way of meeting here" in response.content.decode(), value
        assert client.get(f"/meetups.json?format={value}").status_code == 400, value
        for param in ("q", "soon", "page"):
            assert client.get(f"/meetups/?{param}={value}").status_code == 200, (param, value)
            assert client.get(f"/meetups.json?{param}={value}").status_code == 200, (param, value)


def _check_report(client):
    for value in [*HOSTILE, "%C2%B2", "%E2%91%A0"]:  # ² and ① are "digits" to str.isdigit
        for path in ("/report/", "/report/dictionary/"):
            for param in ("year", "basis"):
                response = client.get(f"{path}?{param}={value}")
                assert response.status_code in (200, 400), (path, param, value)
        for path in ("/report/data.csv", "/report/data.json"):
            response = client.get(f"{path}?year={value}")
            assert response.status_code in (200, 400, 404), (path, value)
            response = client.get(f"{path}?basis={value}")
            assert response.status_code in (200, 400, 404), (path, value)
        query = f"name={value}&description={value}&exclude={value}"
        assert client.get(f"/propose/overlap/?{query}").status_code == 200, value


def test_control_characters_in_public_filters_are_unknown_values(client):
    _check_directory(client)
    _check_report(client)


@pytest.mark.postgres
def test_control_characters_in_public_filters_on_postgresql(client):
    _check_directory(client)
    _check_report(client)
