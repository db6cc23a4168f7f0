"""Program managers' pages for what the public side says without a deploy: the proposal
form's extra questions (list, add, change, reorder, retire) and the program pages (home,
guidelines). Views parse the request and call intake.question_editing; each question's
wording is frozen once answered (a change makes a new version)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import program_manager_required
from common.forms import error_summary

from . import introductions as introduction_requests
from . import question_editing
from .models import Answer, FormSection, IntroductionRequest, ProgramPage, Question
from .staff_forms import ProgramPageForm, QuestionForm


def _answer_counts() -> dict[int, int]:
    """Answers given to each question, all its versions together (by lineage)."""
    counts: dict[int, int] = {}
    rows = (
        Answer.objects.exclude(value="")
        .values("question_id", "question__root_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        lineage = row["question__root_id"] or row["question_id"]
        counts[lineage] = counts.get(lineage, 0) + row["n"]
    return counts


@program_manager_required
@require_http_methods(["GET", "HEAD"])
def questions(request):
    counts = _answer_counts()
    by_section = {value: [] for value in FormSection.values}
    for question in Question.objects.current():
        question.answer_count = counts.get(question.lineage_id, 0)
        by_section[question.section].append(question)
    # After "Move up"/"Move down" the moved question's button has the focus again.
    moved = request.GET.get("moved", "")
    return render(
        request,
        "intake/staff_questions.html",
        {
            "sections": [(label, by_section[value]) for value, label in FormSection.choices],
            "pages": ProgramPage.objects.order_by("title"),
            "moved": int(moved) if moved.isascii() and moved.isdigit() else None,
            "moved_earlier": request.GET.get("direction") == "earlier",
        },
    )


def _question_page(request, *, form, question=None, status=200):
    answered = question is not None and question.is_answered
    return render(
        request,
        "intake/staff_question_form.html",
        {
            "form": form,
            "question": question,
            "answered": answered,
            "answers": question.answers.exclude(value="").count() if answered else 0,
            "errors": error_summary(form),
        },
        status=status,
    )


@program_manager_required
@require_http_methods(["GET", "POST"])
def add_question(request):
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            question = question_editing.add_question(data=form.cleaned_data)
            messages.success(request, _("Added: the form asks “%s” now.") % question.label)
            return redirect("intake:staff_questions")
        return _question_page(request, form=form, status=400)
    return _question_page(request, form=QuestionForm())


@program_manager_required
@require_http_methods(["GET", "POST"])
def edit_question(request, pk):
    question = get_object_or_404(Question.objects.current(), pk=pk)
    answered = question.is_answered
    if request.method == "POST":
        form = QuestionForm(
            request.POST,
            answered=answered,
            initial=QuestionForm.initial_for(question),
        )
        if form.is_valid():
            try:
                saved = question_editing.change_question(question=question, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if saved.pk != question.pk:
                    message = _(
                        "Saved as version %(version)s: the form asks the new words now, and "
                        "earlier answers keep the words they answered."
                    ) % {"version": saved.version}
                else:
                    message = _("Saved: the form shows the change now.")
                messages.success(request, message)
                return redirect("intake:staff_questions")
        return _question_page(request, form=form, question=question, status=400)
    form = QuestionForm(initial=QuestionForm.initial_for(question), answered=answered)
    return _question_page(request, form=form, question=question)


@program_manager_required
@require_POST
def question_action(request, pk, action):
    question = get_object_or_404(Question.objects.current(), pk=pk)
    if action in ("earlier", "later"):
        question_editing.move_question(question=question, earlier=action == "earlier")
        back = reverse("intake:staff_questions")
        return redirect(f"{back}?moved={question.pk}&direction={action}")
    elif action in ("retire", "ask"):
        question_editing.set_retired(question=question, retired=action == "retire")
        messages.success(
            request,
            _("“%s” is no longer asked; its answers are kept.") % question.label
            if action == "retire"
            else _("The form asks “%s” again.") % question.label,
        )
    else:
        raise Http404("No such action.")
    return redirect("intake:staff_questions")


@program_manager_required
@require_http_methods(["GET", "POST"])
def edit_page(request, slug):
    page = get_object_or_404(ProgramPage, slug=slug)
    form = ProgramPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved: “%s” shows the change now.") % page.name)
        return redirect("intake:staff_questions")
    return render(
        request,
        "intake/staff_page_form.html",
        {"form": form, "page": page, "errors": error_summary(form)},
        status=400 if form.is_bound and form.errors else 200,
    )


@program_manager_required
@require_http_methods(["GET", "HEAD"])
def introductions(request):
    """The "pass my details to staff" requests, newest first, to pass on and mark done."""
    return render(
        request,
        "intake/staff_introductions.html",
        {"requests": introduction_requests.newest_first()},
    )


@program_manager_required
@require_POST
def introduction_done(request, pk):
    asked = get_object_or_404(IntroductionRequest, pk=pk)
    done = not request.POST.get("undo")
    introduction_requests.mark_done(request=asked, done=done)
    messages.success(
        request,
        _("%s\u2019s request is marked done.") % asked.name
        if done
        else _("%s\u2019s request is to do again.") % asked.name,
    )
    return redirect(f"{reverse('intake:staff_introductions')}#introduction-{asked.pk}")
