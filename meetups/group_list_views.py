"""Program managers' lists of groups: the directory's health (dashboard), every group (with a
state filter, a name search and "nobody keeps its page"; meetups.group_lists decides what is
listed), and the archived groups. One group's staff pages are meetups.staff_views."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.roles import program_manager_required

from . import group_lists
from .models import Lifecycle, Meetup

PAGE_SIZE = 50
DUE_SOON_DAYS = 30


@program_manager_required
@require_http_methods(["GET", "HEAD"])
def all_groups(request):
    state = request.GET.get("state", "")
    state = state if state in Lifecycle.values else ""
    search = request.GET.get("q", "").replace("\x00", "").strip()[: group_lists.SEARCH_MAX_LENGTH]
    nobody = request.GET.get("nobody") == "on"
    groups = group_lists.all_groups(state=state, search=search, nobody=nobody)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "meetups/staff_all_groups.html",
        {
            "page": page,
            "state": state,
            "search": search,
            "nobody": nobody,
            "states": Lifecycle.choices,
            "query": kept.urlencode(),
        },
    )


@program_manager_required
@require_http_methods(["GET", "HEAD"])
def dashboard(request):
    today = timezone.localdate()
    groups = Meetup.objects.select_related("link_check").order_by("check_in_due_on", "name")
    counts = dict(Meetup.objects.order_by().values_list("lifecycle").annotate(n=Count("pk")))
    not_archived = groups.exclude(lifecycle=Lifecycle.ARCHIVED)
    return render(
        request,
        "meetups/staff_dashboard.html",
        {
            "counts": [(label, value, counts.get(value, 0)) for value, label in Lifecycle.choices],
            "due_soon": not_archived.filter(
                check_in_due_on__gte=today,
                check_in_due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
            ),
            "overdue": not_archived.filter(
                lifecycle=Lifecycle.CHECK_IN_DUE, check_in_due_on__lt=today
            ),
            "lapsed": not_archived.filter(lifecycle=Lifecycle.LAPSED),
            "nobody_to_invite": group_lists.imported_without_people(),
            "broken": not_archived.filter(link_check__broken_since__isnull=False).order_by(
                "link_check__broken_since"
            ),
            "due_soon_days": DUE_SOON_DAYS,
            "today": today,
        },
    )


@program_manager_required
@require_http_methods(["GET", "HEAD"])
def archived(request):
    groups = Meetup.objects.filter(is_listed=False).prefetch_related("organizers")
    return render(request, "meetups/archived.html", {"groups": groups.order_by("name", "pk")})
