"""The empty proposal form's HTML, rendered once and then served from the cache.

Rendering ~40 crispy fields is most of the page's cost and the same for every visitor.
Everything the HTML depends on is in the cache key, so nothing needs clearing by hand:
- the code that shapes it: the template's source, the form and model modules' source and
  the versions of Django and crispy-forms (a deploy that changes any of them changes the key);
- what changes while the site runs: the listed names shown beside the form, the month (the
  first-meeting choices start next month), the settings the form reads and the last change
  to the staff-managed questions (intake.questions.form_version).
The CSRF token is not in it: propose.html adds each visitor's token outside the cached part.
"""

import functools
import hashlib
import inspect

import crispy_forms
import django
from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import forms, organizer_forms, questions
from .models import proposals as proposal_models
from .models import questions as question_models

FORM_BODY_TEMPLATE = "intake/_propose_form_body.html"
TIMEOUT = 24 * 3600


def form_body_context(*, form, formset, meetup_names) -> dict:
    return {
        "form": form,
        "formset": formset,
        "meetup_names": meetup_names,
        "min_organizers": settings.MIN_ORGANIZERS,
        "ORGANIZATION_NAME": settings.ORGANIZATION_NAME,
    }


@functools.cache
def _code_version() -> str:
    """A digest of the code that shapes the form's HTML; computed once per process."""
    parts = [
        get_template(FORM_BODY_TEMPLATE).template.source,
        inspect.getsource(forms),
        inspect.getsource(questions),
        inspect.getsource(proposal_models),
        inspect.getsource(question_models),
        django.get_version(),
        crispy_forms.__version__,
    ]
    return _digest(parts)


def _digest(parts) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def page_key() -> str:
    """What the whole kept /propose/ page (meetups.cache.shared_form_page) depends on beyond
    the directory's version (listed names, questions): the code, the month and the settings
    the form reads. No query: the code digest is computed once per process."""
    month = timezone.localdate().strftime("%Y-%m")
    parts = [_code_version(), month, str(settings.MIN_ORGANIZERS), settings.ORGANIZATION_NAME]
    return "propose:" + _digest(parts)[:16]


def empty_form_body(meetup_names: list[str]) -> str:
    month = timezone.localdate().strftime("%Y-%m")
    key = "intake:empty-form:" + _digest(
        [
            _code_version(),
            month,
            str(settings.MIN_ORGANIZERS),
            settings.ORGANIZATION_NAME,
            questions.form_version(),
            *meetup_names,
        ]
    )
    html = caches["pages"].get(key)
    if html is None:
        html = render_to_string(
            FORM_BODY_TEMPLATE,
            form_body_context(
                form=forms.ProposalForm(),
                formset=organizer_forms.organizer_formset(),
                meetup_names=meetup_names,
            ),
        )
        caches["pages"].set(key, str(html), TIMEOUT)
    return mark_safe(html)  # our own template's output, escaped when it was rendered
