"""The organizer's side: the proposal form, check answers, the private status page, withdraw,
and finding lost links (the site's own pages: intake.page_views). Views parse requests; intake.services decides."""

from django.conf import settings
from django.contrib import messages
from django.forms.utils import ErrorDict, ErrorList
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common import throttle
from common.actors import Actor
from common.forms import error_summary
from common.transitions import Refused
from meetups.cache import shared_form_page
from meetups.models import Meetup

from . import overlap, services, tasks
from .access import with_proposal
from .form_cache import empty_form_body, form_body_context, page_key
from .forms import FindProposalsForm, ProposalForm, WithdrawForm
from .link_request_views import ask_for_links
from .models import State
from .organizer_forms import MAX_ORGANIZERS, organizer_formset
from .progress import how_it_ended, organizer_timeline, step_tracker
from .workflow import Transition


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


def _form_page(request, *, form, formset, proposal=None, status=200, notice=""):
    meetup_names = list(Meetup.objects.listed().values_list("name", flat=True))
    return render(
        request,
        "intake/propose.html",
        {
            **form_body_context(form=form, formset=formset, meetup_names=meetup_names),
            "proposal": proposal,
            "notice": notice,
            "errors": _errors_in_page_order(form, formset),
            "staff_request": _staff_request(proposal),
        },
        status=status,
    )


def _errors_in_page_order(form, formset) -> list[dict]:
    """The error summary in the order of the page: the form's fields as laid out (errors
    found by clean() come last in form.errors), with the organizers between "Groups already
    listed" and "Meetings"."""
    names = list(form.fields)

    def place(item) -> int:
        name = item["anchor"].removeprefix("id_")
        if name not in names and name.endswith("_0"):
            name = name[:-2]  # the first radio button of a choice
        return names.index(name) if name in names else -1

    items = sorted(error_summary(form), key=place)
    meetings = names.index("activities")
    before = [i for i in items if place(i) < meetings]
    after = [i for i in items if place(i) >= meetings]
    return before + error_summary(formset) + after


def _staff_request(proposal) -> str:
    """What staff asked for, while the organizers are making the changes."""
    if proposal is None or proposal.state != State.CHANGES_REQUESTED:
        return ""
    last = proposal.transitions.filter(transition=Transition.REQUEST_CHANGES).last()
    return last.note if last else ""


def _new_form_page(request):
    """The empty form for a new proposal: its body from the cache (form_cache), and for a
    visitor not signed in the whole page, kept per directory version and form_cache.page_key
    (code, month, settings), with each visitor's CSRF token put in."""

    def render_page(csrf_token):
        meetup_names = list(Meetup.objects.listed().values_list("name", flat=True))
        context = {"proposal": None, "errors": [], "form_body": empty_form_body(meetup_names)}
        if csrf_token is not None:
            context["csrf_token"] = csrf_token  # above the context processor's
        return render(request, "intake/propose.html", context)

    return shared_form_page(request, name=page_key(), render_page=render_page)


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

    def limited_page():
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

    if proposal is None and throttle.is_limited(
        "propose", address, limit=settings.PROPOSALS_PER_HOUR, window=3600
    ):
        return limited_page()
    form_ok = form.is_valid()
    formset_ok = formset.is_valid()
    if form.is_bot:
        return HttpResponse("Your proposal could not be accepted.", status=400)
    if not (form_ok and formset_ok):
        return _form_page(request, form=form, formset=formset, proposal=proposal)

    if proposal is None:
        # Counted and checked in one step: simultaneous requests cannot all slip under the
        # limit (the check above only spares a limited client the validation).
        if not throttle.take("propose", address, limit=settings.PROPOSALS_PER_HOUR, window=3600):
            return limited_page()
        proposal, token = services.create_draft(
            content=form.content(),
            organizers=formset.organizers(),
            answers=form.answers(),
            send_link=True,
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
        except Refused as exc:
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
            "is_resubmission": proposal.transitions.filter(transition=Transition.RESUBMIT).exists(),
            "status_url": request.build_absolute_uri(
                reverse("intake:status", kwargs={"token": token})
            ),
            "token": token,
        },
    )


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
            "ended": how_it_ended(proposal),
            "timeline": organizer_timeline(proposal),
            "can_withdraw": Transition.WITHDRAW in actions,
            "organizers": proposal.organizers.all(),
        },
    )


@with_proposal
@require_http_methods(["POST"])
def group_page(request, proposal, token):
    """From an approved proposal's page to its group's private page: the people who keep the
    group are each emailed their own link (a proposal's link is shared by everyone it named,
    so it opens no group page itself); a few times an hour at most."""
    if not throttle.take(f"group-links:{proposal.pk}", "proposal", limit=3, window=3600):
        messages.error(
            request,
            _("The group's links were emailed a short while ago: please check your inbox."),
        )
        return redirect("intake:status", token=token)
    sent = services.email_group_page_links(proposal=proposal)
    if sent is None:
        messages.error(request, _("This proposal has no group page."))
    else:
        messages.success(
            request,
            _("We have emailed each of the group's organizers their own link to its private page."),
        )
    return redirect("intake:status", token=token)


@with_proposal
@require_http_methods(["GET", "POST"])
def withdraw(request, proposal, token):
    form = WithdrawForm(request.POST or None, draft=proposal.state == State.DRAFT)
    if request.method == "POST" and form.is_valid():
        try:
            services.run_transition(
                proposal=proposal,
                name=Transition.WITHDRAW,
                actor=Actor.organizer_link(),
                note=form.cleaned_data["reason"],
                expected_state=request.POST.get("expected_state") or None,
            )
        except Refused as exc:
            # The page it came from is gone: keep what they wrote in the message instead.
            reason = form.cleaned_data["reason"].strip()
            unsent = f" Your reason was not sent: {reason}" if reason else ""
            messages.error(request, f"{exc}{unsent}")
        else:
            done = "discarded" if proposal.state == State.DRAFT else "withdrawn"
            messages.success(request, f"{proposal.reference} has been {done}.")
        return redirect("intake:status", token=token)
    return render(
        request,
        "intake/withdraw.html",
        {
            "proposal": proposal,
            "token": token,
            "form": form,
            "can_withdraw": proposal.state in State.OPEN,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def find(request):
    return ask_for_links(
        request,
        form=FindProposalsForm(request.POST or None),
        kind="find",
        template="intake/find.html",
        sent_template="intake/find_sent.html",
        queue=tasks.queue_access_links,
    )
