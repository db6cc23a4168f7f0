"""Issue 23, bug 11: every email, proposal or group, greets its reader by name and ends with
the program's contact address, from the one shared greeting and sign-off (text:
_greeting.txt and _signoff.txt; HTML: base.html and _contact.html)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from notifications.models import Kind

EMAILS = Path(settings.BASE_DIR) / "templates" / "notifications" / "email"
BODIES = sorted(
    p.stem
    for p in EMAILS.glob("*.txt")
    if not p.name.startswith("_") and not p.stem.endswith("_subject")
)


@pytest.mark.parametrize("template", BODIES)
def test_every_email_greets_by_name_and_ends_with_the_contact_address(template):
    context = {
        "greeting_name": "Ada Lovelace",
        "contact_email": "meetups@council.example.org",
        "program_name": "METRO Meetups",
        "organization_name": "METRO",
        "name": "Zine Makers",
    }
    text = render_to_string(f"notifications/email/{template}.txt", context).strip()
    assert text.startswith("Hello Ada Lovelace,"), text[:80]
    assert "meetups@council.example.org" in text[-200:], text[-200:]
    html = render_to_string(f"notifications/email/{template}.html", context)
    assert "<p>Hello Ada Lovelace,</p>" in html
    assert 'href="mailto:meetups@council.example.org"' in html


@pytest.mark.parametrize("template", BODIES)
def test_every_plain_text_email_has_one_blank_line_after_the_greeting(template):
    # Each kind the template writes (the group templates write many), else its one kind.
    source = (EMAILS / f"{template}.txt").read_text()
    kinds = [k.value for k in Kind if f'"{k.value}"' in source] or [template.split("_")[0]]
    for kind in kinds:
        for is_subject, former in ((False, False), (True, True)):
            context = {
                "greeting_name": "Ada Lovelace",
                "program_name": "METRO Meetups",
                "name": "Zine Makers",
                "kind": kind,
                "is_subject": is_subject,
                "former": former,
            }
            text = render_to_string(f"notifications/email/{template}.txt", context)
            assert text.startswith("Hello Ada Lovelace,\n\n"), (kind, text[:80])
            assert not text.startswith("Hello Ada Lovelace,\n\n\n"), (kind, text[:80])
