"""The site's own pages: home (with the coming weeks' meetings), the guidelines, accessibility
and privacy. Home and the guidelines are kept for visitors (meetups.cache.shared_page)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from meetups.cache import shared_page
from meetups.meeting_lists import coming_weeks

from .models import ProgramPage

HOME_MEETINGS = 12


def home(request):
    def render_page():
        return render(
            request,
            "intake/home.html",
            {
                "intro": ProgramPage.objects.filter(slug="home").first(),
                # The coming weeks' meetings across groups (lapsed and archived groups'
                # are not among them); kept for the day (meetups.cache.dated_state).
                "coming": coming_weeks()[:HOME_MEETINGS],
            },
        )

    return shared_page(request, name="home", render_page=render_page)


def guidelines(request):
    def render_page():
        page = ProgramPage.objects.filter(slug="guidelines").first()
        if page is None:
            raise Http404("The guidelines have not been written yet.")
        return render(request, "intake/guidelines.html", {"page": page})

    return shared_page(request, name="guidelines", render_page=render_page)


def accessibility(request):
    return render(request, "intake/accessibility.html")


def privacy(request):
    return render(
        request,
        "intake/privacy.html",
        {
            "DRAFT_RETENTION_DAYS": settings.DRAFT_RETENTION_DAYS,
            "ENDED_RETENTION_DAYS": settings.ENDED_RETENTION_DAYS,
            "STALE_WITHDRAW_DAYS": settings.STALE_WITHDRAW_DAYS,
        },
    )
