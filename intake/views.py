"""The organizer's side: home, guidelines, the proposal form, check answers, the private
status page, withdraw, and finding lost links. Views parse requests; intake.services decides."""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from meetups.models import Meetup

from . import overlap, questions, services, throttle
from .actors import Actor
from .forms import (
    MAX_ORGANIZERS,
    FindProposalsForm,
    ProposalForm,
    WithdrawForm,
    error_summary,
    organizer_formset,
)
from .models import ProgramPage, State
from .text import render_page_text

TOKEN_FAILURES_LIMIT = 30
TOKEN_FAILURES_WINDOW = 600


def home(request):
    return render(
        request,
        "intake/home.html",
        {
            "intro": ProgramPage.objects.filter(slug="home").first(),
            "meetups": Meetup.objects.listed().only("name", "slug"),
        },
    )


def guidelines(request):
    page = ProgramPage.objects.filter(slug="guidelines").first()
    if page is None:
        raise Http404("The guidelines have not been written yet.")
    return render(
        request, "intake/guidelines.html", {"page": page, "body": render_page_text(page.body)}
    )


def accessibility(request):
    return render(request, "intake/accessibility.html")


def _silence_errors(*forms) -> None:
    """Show what was typed without judging it yet (after "Add another organizer")."""
    for form in forms:
        if hasattr(form, "forms"):
            form._errors = [ErrorDict() for _ in form.forms]
            form._non_form_errors = ErrorList()
            _silence_errors(*form.forms)
        else:
            form._errors = ErrorDict()


def _add_organizer_row(data):
    """A copy of the posted data with one more organizer row."""
    data = data.copy()
    try:
        total = int(data.get("organizers-TOTAL_FORMS", "0") or 0)
    except ValueError:  # tampered with: the formset reports it once the page is sent
        total = 0
    data["organizers-TOTAL_FORMS"] = str(min(max(total, 0) + 1, MAX_ORGANIZERS))
    return data


# Bump when the form or its template changes in a way the key below does not see (a shared
# cache could otherwise outlive a deploy).
EMPTY_FORM_VERSION = 3
EMPTY_FORM_TIMEOUT = 24 * 3600


def _form_body_context(*, form, formset, meetup_names) -> dict:
    return {
        "form": form,
        "formset": formset,
        "meetup_names": meetup_names,
        "min_organizers": settings.MIN_ORGANIZERS,
        "ORGANIZATION_NAME": settings.ORGANIZATION_NAME,
    }


def _empty_form_body(meetup_names: list[str]) -> str:
    """The empty form's HTML, rendered once and then served from the cache. Rendering ~40
        crispy fields is most of the page's cost and the same for every visitor. Everything the
        HTML depends on is in the key: the listed names shown beside the form, the month (the
        first-meeting choices start next month), the settings the form reads and the last change
    to the staff-managed questions (intake.questions.form_version). The CSRF token
        is not in it: propose.html adds each visitor's token outside the cached part."""
    month = timezone.localdate().strftime("%Y-%m")
    parts = [
        str(EMPTY_FORM_VERSION),
        month,
        str(settings.MIN_ORGANIZERS),
        settings.ORGANIZATION_NAME,
        questions.form_version(),
        *meetup_names,
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    key = f"intake:empty-form:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "intake/_propose_form_body.html",
            _form_body_context(
                form=ProposalForm(), formset=organizer_formset(), meetup_names=meetup_names
            ),
        )
        cache.set(key, str(html), EMPTY_FORM_TIMEOUT)
    return mark_safe(html)  # our own template's output, escaped when it was rendered


def _form_page(request, *, form, formset, proposal=None, status=200, notice=""):
    meetup_names = list(Meetup.objects.listed().values_list("name", flat=True))
    return render(
        request,
        "intake/propose.html",
        {
            **_form_body_context(form=form, formset=formset, meetup_names=meetup_names),
            "proposal": proposal,
            "notice": notice,
            "errors": error_summary(form, formset),
        },
        status=status,
    )


def _new_form_page(request):
    """The empty form for a new proposal, with its body from the cache."""
    meetup_names = list(Meetup.objects.listed().values_list("name", flat=True))
    return render(
        request,
        "intake/propose.html",
        {
            "proposal": None,
            "errors": [],
            "form_body": _empty_form_body(meetup_names),
        },
    )


def _handle_form(request, *, proposal=None, token=None):
    """GET and POST of the proposal form, for a new proposal or an organizer's edit."""
    if request.method != "POST":
        if proposal is None:
            return _new_form_page(request)
        initial = [o.snapshot() for o in proposal.organizers.all()]
        return _form_page(
            request,
            form=ProposalForm(instance=proposal),
            formset=organizer_formset(initial=initial),
            proposal=proposal,
        )

    data = request.POST
    if "add_organizer" in data:
        data = _add_organizer_row(data)
        form = ProposalForm(data, instance=proposal)
        formset = organizer_formset(data=data)
        _silence_errors(form, formset)
        return _form_page(request, form=form, formset=formset, proposal=proposal)

    form = ProposalForm(data, instance=proposal)
    formset = organizer_formset(data=data)
    address = throttle.client_address(request)
    if proposal is None and throttle.is_limited(
        "propose", address, limit=settings.PROPOSALS_PER_HOUR, window=3600
    ):
        return _form_page(
            request,
            form=form,
            formset=formset,
            status=429,
            notice=(
                "Too many proposals have been started from your connection in the last hour. "
                "Your answers are still below: please wait an hour and send them again, or "
                "write to the program staff."
            ),
        )
    form_ok = form.is_valid()
    formset_ok = formset.is_valid()
    if form.is_bot:
        return HttpResponse("Your proposal could not be accepted.", status=400)
    if not (form_ok and formset_ok):
        return _form_page(request, form=form, formset=formset, proposal=proposal)

    if proposal is None:
        throttle.record("propose", address, window=3600)
        proposal, token = services.create_draft(
            content=form.content(), organizers=formset.organizers(), answers=form.answers()
        )
    else:
        try:
            services.update_draft(
                proposal=proposal,
                content=form.content(),
                organizers=formset.organizers(),
                answers=form.answers(),
            )
        except services.NotEditable as exc:
            messages.error(request, str(exc))
            return redirect("intake:status", token=token)
    return redirect("intake:check", token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def propose(request):
    return _handle_form(request)


def with_proposal(view):
    """Resolve the private token in the URL, or 404. Repeated misses from one address are
    throttled, so guessing tokens is slow as well as hopeless."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        address = throttle.client_address(request)
        if throttle.is_limited(
            "token", address, limit=TOKEN_FAILURES_LIMIT, window=TOKEN_FAILURES_WINDOW
        ):
            return render(request, "429.html", status=429)
        proposal = services.proposal_for_token(token)
        if proposal is None:
            throttle.record("token", address, window=TOKEN_FAILURES_WINDOW)
            raise Http404("No proposal has this link.")
        return view(request, proposal, token, *args, **kwargs)

    return never_cache(wrapper)


@with_proposal
@require_http_methods(["GET", "POST"])
def edit(request, proposal, token):
    if not proposal.is_editable_by_organizer:
        messages.info(
            request,
            f"{proposal.reference} is {proposal.get_state_display().lower()}, so its answers "
            "cannot be changed now.",
        )
        return redirect("intake:status", token=token)
    return _handle_form(request, proposal=proposal, token=token)


@with_proposal
@require_http_methods(["GET", "POST"])
def check_answers(request, proposal, token):
    if not proposal.is_editable_by_organizer:
        return redirect("intake:status", token=token)
    error = ""
    if request.method == "POST":
        try:
            services.submit_for_review(proposal=proposal)
        except services.TransitionError as exc:
            error = str(exc)
        else:
            return redirect("intake:submitted", token=token)
    return render(
        request,
        "intake/check_answers.html",
        {
            "proposal": proposal,
            "token": token,
            "error": error,
            "organizers": proposal.organizers.all(),
            "is_resubmission": proposal.state == State.CHANGES_REQUESTED,
            "overlaps": overlap.find_overlaps(
                name=proposal.name,
                description=proposal.description,
                exclude_reference=proposal.reference,
            ),
        },
        status=409 if error else 200,
    )


@with_proposal
def submitted(request, proposal, token):
    if proposal.state != State.SUBMITTED:
        return redirect("intake:status", token=token)
    return render(
        request,
        "intake/submitted.html",
        {
            "proposal": proposal,
            "status_url": request.build_absolute_uri(
                reverse("intake:status", kwargs={"token": token})
            ),
            "token": token,
        },
    )


STEPS = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("reviewed", "Reviewed"),
    ("decision", "Decision"),
]


def step_tracker(proposal) -> list[dict]:
    """The four steps with their status as words (done, current, to come)."""
    order = {
        State.DRAFT: 0,
        State.SUBMITTED: 1,
        State.CHANGES_REQUESTED: 1,
        State.REVIEWED: 2,
        State.APPROVED: 3,
        State.DECLINED: 3,
        State.WITHDRAWN: 3,
    }
    current = order[proposal.state]
    steps = []
    for index, (key, label) in enumerate(STEPS):
        if key == "decision" and current == 3:
            label = proposal.get_state_display()
        if key == "submitted" and proposal.state == State.CHANGES_REQUESTED:
            label = "Changes requested"
        status = "done" if index < current else "current" if index == current else "to come"
        if index == current and proposal.state in (State.APPROVED, State.DECLINED, State.WITHDRAWN):
            status = "done"
        steps.append({"label": label, "status": status, "number": index + 1})
    return steps


def organizer_timeline(proposal) -> list[dict]:
    """The history as organizers see it: staff appear as "Program staff"."""
    entries = []
    for record in proposal.transitions.all():
        entries.append(
            {
                "when": record.created_at,
                "what": services.transition_meta(record.transition)["past"].capitalize(),
                "who": "You" if record.actor_label == "Organizer" else "Program staff",
                "note": record.note,
                "to_state": record.to_state,
            }
        )
    return entries


@with_proposal
def status(request, proposal, token):
    actions = services.available_transitions(proposal=proposal, actor=Actor.organizer_link())
    return render(
        request,
        "intake/status.html",
        {
            "proposal": proposal,
            "token": token,
            "steps": step_tracker(proposal),
            "timeline": organizer_timeline(proposal),
            "can_withdraw": "withdraw" in actions,
            "organizers": proposal.organizers.all(),
        },
    )


@with_proposal
@require_http_methods(["GET", "POST"])
def withdraw(request, proposal, token):
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.perform_transition(
                proposal=proposal,
                name="withdraw",
                actor=Actor.organizer_link(),
                note=form.cleaned_data["reason"],
                expected_state=request.POST.get("expected_state") or None,
            )
        except services.TransitionError as exc:
            # The page it came from is gone: keep what they wrote in the message instead.
            reason = form.cleaned_data["reason"].strip()
            unsent = f" Your reason was not sent: {reason}" if reason else ""
            messages.error(request, f"{exc}{unsent}")
        else:
            messages.success(request, f"{proposal.reference} has been withdrawn.")
        return redirect("intake:status", token=token)
    return render(
        request, "intake/withdraw.html", {"proposal": proposal, "token": token, "form": form}
    )


FIND_LIMIT_PER_ADDRESS = 10
FIND_LIMIT_PER_EMAIL = 3


@never_cache
@require_http_methods(["GET", "POST"])
def find(request):
    form = FindProposalsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        address = throttle.client_address(request)
        limited = throttle.is_limited(
            "find", address, limit=FIND_LIMIT_PER_ADDRESS, window=3600
        ) or throttle.is_limited("find-email", email, limit=FIND_LIMIT_PER_EMAIL, window=3600)
        if limited:
            return render(
                request,
                "intake/find.html",
                {"form": form, "limited": True},
                status=429,
            )
        throttle.record("find", address, window=3600)
        throttle.record("find-email", email, window=3600)
        services.email_access_links(email=email)
        return render(request, "intake/find_sent.html", {"email": email})
    return render(request, "intake/find.html", {"form": form})
