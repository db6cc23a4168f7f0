"""Baseline views, served by the same gunicorn, settings and middleware as the application,
so every figure in the report can be given as a ratio to what bare Django costs here.

Included under /_bench/ by bench.urls, the URLconf of the benchmark's own settings
(bench.settings); never in production."""

from django import forms
from django.http import HttpResponse
from django.template import engines
from django.urls import path

BARE_BODY = b"ok\n"


def bare(request):
    """The cheapest response Django can give through the full middleware stack."""
    return HttpResponse(BARE_BODY, content_type="text/plain")


class TwentyFieldForm(forms.Form):
    """A plain form of 20 ordinary fields, the size of a typical call-for-proposals form."""

    name = forms.CharField(max_length=120)
    email = forms.EmailField()
    institution = forms.CharField(max_length=200)
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea)
    audience = forms.CharField(widget=forms.Textarea)
    outline = forms.CharField(widget=forms.Textarea)
    website = forms.URLField(required=False, assume_scheme="https")
    phone = forms.CharField(max_length=40, required=False)
    attendees = forms.IntegerField(min_value=1, max_value=500)
    duration = forms.ChoiceField(
        choices=[("30", "30 minutes"), ("60", "1 hour"), ("90", "90 minutes")]
    )
    level = forms.ChoiceField(
        choices=[("intro", "Introductory"), ("mid", "Intermediate"), ("adv", "Advanced")],
        widget=forms.RadioSelect,
    )
    format = forms.ChoiceField(
        choices=[("talk", "Talk"), ("workshop", "Workshop"), ("panel", "Panel")]
    )
    first_date = forms.DateField(required=False)
    co_speaker = forms.CharField(max_length=120, required=False)
    co_speaker_email = forms.EmailField(required=False)
    needs_projector = forms.BooleanField(required=False)
    needs_microphone = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    agrees = forms.BooleanField()


# Compiled once per process, as the cached template loader does for file templates.
FORM_PAGE = engines["django"].from_string(
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form</title></head>'
    '<body><main><h1>A plain form</h1><form method="post">{% csrf_token %}'
    '{{ form.as_div }}<button type="submit">Send</button></form></main></body></html>'
)


def form_page(request):
    """A page rendering an empty 20-field form with Django's own `{{ form.as_div }}`."""
    return HttpResponse(FORM_PAGE.render({"form": TwentyFieldForm()}, request))


app_name = "bench"

urlpatterns = [
    path("bare/", bare, name="bare"),
    path("form/", form_page, name="form"),
]
