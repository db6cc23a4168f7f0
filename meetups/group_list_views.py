"""Program managers' page of every group, with a state filter, a name search and "nobody
keeps its page" (meetups.group_lists decides what is listed)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.roles import program_manager_required

from . import group_lists
from .models import Lifecycle

PAGE_SIZE = 50


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
