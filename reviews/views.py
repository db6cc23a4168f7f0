"""The reviewer workspace (queue, one proposal, reviews, comments, decisions). Views parse
requests; reviews.services and reviews.decisions decide. The organizers' reply from their
private page is reply_views."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import staff_required
from common import transitions
from common.transitions import NoteRequired
from intake import overlap
from intake import services as intake_services
from intake.models import State
from intake.services import PROPOSAL_REVIEW, ProposalChanged
from meetups.models import Meetup

from . import decisions, queue_scope, services, timeline
from . import queue as listing  # the module; `queue` is the page's view below
from .forms import CommentForm, DecisionForm, QueueFilterForm, ReviewForm
from .models import Visibility

PAGE_SIZE = 25


def _proposal_or_404(reference: str):
    # The page reads the organizers several times (conflict check, transition permissions,
    # the list): one query for all of them.
    proposal = (
        listing.visible_to_staff()
        .filter(reference=reference)
        .prefetch_related("organizers")
        .first()
    )
    if proposal is None:
        raise Http404("No submitted proposal has this reference.")
    return proposal


# The queue


def _cursor(value) -> int | None:
    """A paging link's row id; anything else (edited by hand) means the first page."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None


@staff_required
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else listing.QueueFilters(view=queue_scope.ACTION)
    found = listing.queue_page(
        user=request.user,
        filters=filters,
        size=PAGE_SIZE,
        after=_cursor(request.GET.get("after")),
        before=_cursor(request.GET.get("before")),
        last=request.GET.get("page") == "last",
    )
    counts, view_counts = found.by_state, found.by_view
    query = request.GET.copy()
    download = query.pop("download", None) == ["csv"]  # back from a fresh sign-in
    for name in ("page", "after", "before"):
        query.pop(name, None)
    tabs = []
    for value, label in queue_scope.VIEWS:
        # Each tab keeps the search, status and order, whose matches its count is, and starts
        # at page 1 of its own view.
        tab_query = query.copy()
        tab_query["view"] = value
        tabs.append(
            {
                "label": label,
                "count": view_counts[value],
                "query": tab_query.urlencode(),
                "current": filters.view == value,
            }
        )
    # Where the matches are when the open tab has none (a search looks everywhere).
    elsewhere = [
        tab for tab in tabs if listing.narrows(filters) and tab["count"] and not tab["current"]
    ]
    return render(
        request,
        "reviews/queue.html",
        {
            "form": form if form.is_bound else QueueFilterForm(),
            "filters": filters,
            "filter_problems": form.problems(),
            "page": found.page,
            "counts": [
                {"state": state, "label": label, "count": counts[state]}
                for state, label in State.choices
                if state in counts
            ],
            "total": sum(counts.values()),
            "private_drafts": found.private_drafts,
            "query": query.urlencode(),
            "reviews_required": settings.REVIEWS_REQUIRED,
            "tabs": tabs,
            "elsewhere": elsewhere,
            "action_words": queue_scope.action_words(request.user),
            "download": download,
        },
    )


# One proposal


def _decisions(allowed: list[str]) -> list[dict]:
    decisions = []
    for name in allowed:
        facts = PROPOSAL_REVIEW.facts(name)
        decisions.append(
            {
                "name": name,
                "label": facts["label"],
                "note_required": bool(facts.get("note_required")),
                "style": facts.get("style", "btn-secondary"),
            }
        )
    return decisions


def _detail_page(
    request,
    proposal,
    *,
    review_form=None,
    comment_form=None,
    decision_form=None,
    error="",
    unsent_note="",
    status=200,
):
    user = request.user
    conflicted = services.is_conflicted(proposal=proposal, user=user)
    allowed = [] if conflicted else decisions.staff_transitions(proposal=proposal, user=user)
    reviews = list(proposal.reviews.select_related("reviewer"))
    my_review = next((r for r in reviews if r.reviewer_id == user.pk), None)
    if review_form is None:
        initial = (
            {"recommendation": my_review.recommendation, "notes": my_review.notes}
            if my_review
            else None
        )
        review_form = ReviewForm(initial=initial)
    comments = proposal.comments.select_related("author")
    listed_group = (
        Meetup.objects.filter(proposal=proposal).first()
        if proposal.state == State.APPROVED
        else None
    )
    if conflicted:
        # Staff who organize this proposal see only what the organizers see.
        comments = comments.filter(visibility=Visibility.SHARED)
        reviews = []
    return render(
        request,
        "reviews/detail.html",
        {
            "proposal": proposal,
            "organizers": proposal.organizers.all(),
            "timeline": timeline.staff_timeline(proposal=proposal),
            "reviews": reviews,
            "my_review": my_review,
            "current_reviews": services.current_review_count(proposal=proposal),
            "reviews_required": settings.REVIEWS_REQUIRED,
            "comments": comments,
            "changes": timeline.changes_for_reviewers(proposal=proposal),
            # What the organizers were shown as they submitted, as it was then; and, apart,
            # what is similar now. Once approved, its own listed group is not "similar".
            "overlaps_shown": intake_services.overlaps_shown_at_submission(proposal=proposal),
            "overlaps": [
                match
                for match in overlap.find_overlaps(
                    name=proposal.name,
                    description=proposal.description,
                    exclude_reference=proposal.reference,
                )
                if not (listed_group and match.url == listed_group.get_absolute_url())
            ],
            "conflicted": conflicted,
            "listed_group": listed_group,
            "can_review": not conflicted and proposal.state in State.UNDER_REVIEW,
            "decisions": _decisions(allowed),
            "review_form": review_form,
            "comment_form": comment_form or CommentForm(),
            "decision_form": decision_form or DecisionForm(),
            "error": error,
            # A message typed for a decision that did not happen, shown if the form is gone.
            "unsent_note": unsent_note if not allowed else "",
        },
        status=status,
    )


@staff_required
def detail(request, reference):
    return _detail_page(request, _proposal_or_404(reference))


@staff_required
@require_POST
def review(request, reference):
    proposal = _proposal_or_404(reference)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, proposal, review_form=form, status=400)
    try:
        services.save_review(
            proposal=proposal,
            reviewer=request.user,
            recommendation=form.cleaned_data["recommendation"],
            notes=form.cleaned_data["notes"],
        )
    except services.ReviewError as exc:
        return _detail_page(request, proposal, review_form=form, error=str(exc), status=409)
    now = listing.visible_to_staff().get(pk=proposal.pk)
    if proposal.state == State.SUBMITTED and now.state == State.REVIEWED:
        messages.success(
            request,
            f"Your review is saved. It was the last one needed, so {now.reference} is now "
            "reviewed and ready for a decision.",
        )
    else:
        messages.success(request, "Your review is saved.")
    return redirect("reviews:detail", reference=reference)


@staff_required
@require_POST
def comment(request, reference):
    proposal = _proposal_or_404(reference)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, proposal, comment_form=form, status=400)
    try:
        created = services.add_comment(
            proposal=proposal,
            author=request.user,
            body=form.cleaned_data["body"],
            visibility=form.cleaned_data["visibility"],
        )
    except services.ReviewError as exc:
        return _detail_page(request, proposal, comment_form=form, error=str(exc), status=409)
    messages.success(
        request,
        "Your comment is posted. The organizers can read it."
        if created.is_shared
        else "Your comment is posted, for staff only.",
    )
    return redirect(proposal.staff_url() + "#comments")


def _confirm_page(request, proposal, form, *, status=200):
    """The step between pressing a decision and taking it: what will happen, and the
    message, which can still be changed. Confirming posts confirm=1; going back posts
    cancel=1 and returns to the review page with the message kept."""
    name = form.data.get("transition", "")
    words = decisions.confirmation(proposal=proposal, name=name)
    return render(
        request,
        "reviews/confirm.html",
        {
            "proposal": proposal,
            "name": name,
            "facts": PROPOSAL_REVIEW.facts(name),
            "words": words,
            "form": _with_hint(form, words),
            "expected_state": form.data.get("expected_state") or proposal.state,
        },
        status=status,
    )


def _with_hint(form, words):
    """The message box's hint on the confirmation step, for the one decision there. The
    bound field copied the hint when the form was validated, so it is set there too."""
    form.fields["note"].help_text = words["hint"]
    form["note"].help_text = words["hint"]
    return form


def _refused(request, proposal, form, refusal, *, confirming: bool):
    """The page for a decision refused (services' own words): the review page with the
    reason, or, for a message emptied on the confirmation step, that step again. The
    message typed is kept."""
    typed = request.POST.get("note", "")
    if isinstance(refusal, ProposalChanged):
        # Someone acted since this page was loaded: say so, keep the message typed.
        return _detail_page(
            request,
            refusal.proposal,
            decision_form=DecisionForm(initial={"note": typed}),
            error=str(refusal),
            unsent_note=typed,
            status=409,
        )
    if isinstance(refusal, decisions.OrganizerOfIt):
        return _detail_page(request, proposal, error=str(refusal), status=403)
    if isinstance(refusal, NoteRequired):
        form.add_error("note", str(refusal))
        if confirming:
            return _confirm_page(request, proposal, form, status=400)
        return _detail_page(request, proposal, decision_form=form, status=400)
    return _detail_page(
        request, proposal, decision_form=form, error=str(refusal), unsent_note=typed, status=400
    )


@staff_required
@require_POST
def decide(request, reference):
    proposal = _proposal_or_404(reference)
    form = DecisionForm(request.POST)
    typed = request.POST.get("note", "")
    if request.POST.get("cancel"):
        # Back from the confirmation step: nothing done, the message as it was typed.
        return _detail_page(request, proposal, decision_form=DecisionForm(initial={"note": typed}))
    if not form.is_valid():
        # Problems with the choice itself show at the top: the buttons may be gone.
        problems = [*form.non_field_errors(), *form.errors.get("transition", [])]
        if request.POST.get("confirm") and not problems:
            return _confirm_page(request, proposal, form, status=400)
        return _detail_page(
            request,
            proposal,
            decision_form=form,
            error=" ".join(problems),
            unsent_note=typed,
            status=400,
        )
    confirming = bool(request.POST.get("confirm"))
    name = form.cleaned_data["transition"]
    try:
        # Before the confirmation step, a dry run: the same checks, nothing changed.
        updated = decisions.decide(
            proposal=proposal,
            user=request.user,
            name=name,
            note=form.cleaned_data["note"],
            expected_state=form.cleaned_data["expected_state"],
            dry_run=not confirming,
        )
    except transitions.Refused as refusal:
        return _refused(request, proposal, form, refusal, confirming=confirming)
    if not confirming:
        return _confirm_page(request, proposal, form)
    done = f"{updated.reference} is {PROPOSAL_REVIEW.facts(name)['past']}."
    if updated.state == State.APPROVED:
        done = f"{updated.reference} is approved, and {updated.name} is listed in the directory."
    messages.success(request, done)
    return redirect("reviews:detail", reference=reference)
