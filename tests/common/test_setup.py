"""Set-up that tells the truth (issue 13): `migrate` alone prepares the database, and a
database that lacks a table says the site is being set up, naming the table in the log."""

import logging

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tests.intake.forms_data import form_data

pytestmark = pytest.mark.django_db(transaction=True)


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def test_migrate_alone_creates_the_cache_table():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE throttle_cache")
    assert "throttle_cache" not in tables()
    call_command("migrate", verbosity=0)
    assert "throttle_cache" in tables()


def test_a_missing_table_is_named_in_the_log_and_the_page_says_the_site_is_being_set_up(caplog):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE throttle_cache")
    try:
        with caplog.at_level(logging.ERROR):
            response = Client(raise_request_exception=False).post("/propose/", form_data())
        html = response.content.decode()
        assert response.status_code == 503
        assert "The site is being set up" in html
        assert "cannot reach its database" not in html
        assert "throttle_cache is missing" in caplog.text
        assert "manage.py migrate" in caplog.text
    finally:
        call_command("createcachetable", verbosity=0)


def test_the_contact_address_is_in_the_footer_and_the_accessibility_statement(settings):
    settings.PROGRAM_CONTACT_EMAIL = "meetups@metro.example.org"
    for path in ("/", "/accessibility/"):
        html = Client().get(path).content.decode()
        footer = html[html.index("<footer") :]
        assert 'href="mailto:meetups@metro.example.org"' in footer
    statement = Client().get("/accessibility/").content.decode()
    main = statement[statement.index("<main") : statement.index("</main>")]
    assert "mailto:meetups@metro.example.org" in main
