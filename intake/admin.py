from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from accounts.roles import is_staff_member, staff_actor
from common.admin import ReadOnlyAdminMixin
from common.transitions import Refused
from meetups.fields import WebAddressField

from . import question_editing, services
from .models import (
    Answer,
    Organizer,
    ProgramPage,
    Proposal,
    ProposalTransition,
    Question,
)


@admin.register(ProgramPage)
class ProgramPageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    readonly_fields = ["slug", "updated_at"]


@admin.register(ProposalTransition)
class ProposalTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """History is read-only: it can be read here, never changed."""

    list_display = ["proposal", "transition", "from_state", "to_state", "actor_label", "created_at"]
    list_filter = ["transition", "to_state"]

    def get_queryset(self, request):
        # A draft's history is as private as the draft.
        return super().get_queryset(request).filter(proposal__in=Proposal.objects.seen_by_staff())


class TransitionInline(admin.TabularInline):
    model = ProposalTransition
    fields = ["created_at", "transition", "from_state", "to_state", "actor_label", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "history entry"
    verbose_name_plural = "History (read-only)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrganizerInline(admin.TabularInline):
    model = Organizer
    fields = ["position", "name", "email", "institution", "institution_is_member"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AnswerInline(admin.TabularInline):
    """Answers to the staff-managed questions, read-only like the rest of the content."""

    model = Answer
    fields = ["question", "value"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Read-only: the answers are the organizers' (changed from their private page, with a
    history entry on resubmission) and the state is never edited. The page offers only the
    transitions this user may take now, run through intake.services.run_transition.
    Drafts are private to their organizers, here as in the workspace."""

    list_display = ["reference", "name", "state", "submitted_at"]
    list_filter = ["state"]
    search_fields = ["reference", "name", "organizers__name", "organizers__email"]
    readonly_fields = ["reference", "state", "created_at", "submitted_at", "decided_at"]
    inlines = [OrganizerInline, AnswerInline, TransitionInline]
    change_form_template = "admin/intake/proposal/change_form.html"
    formfield_overrides = {models.URLField: {"form_class": WebAddressField}}

    def has_add_permission(self, request):
        return False  # proposals come from the public form

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # View only: a change form would rewrite answers outside the services and history.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).seen_by_staff()

    def get_urls(self):
        return [
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(require_POST(self.transition_view)),
                name="intake_proposal_transition",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if proposal is not None:
            # The state machine's own answer, as on the reviewer pages: a staff Actor is
            # never permitted the organizers' transitions, nor is anyone without a role.
            extra_context["staff_transitions"] = [
                {"name": name, **services.PROPOSAL_REVIEW.facts(name)}
                for name in services.available_transitions(
                    proposal=proposal, actor=staff_actor(request.user)
                )
            ]
            extra_context["transition_url"] = reverse(
                "admin:intake_proposal_transition", args=[proposal.pk]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id):
        proposal = get_object_or_404(Proposal.objects.seen_by_staff(), pk=object_id)
        # Deciding is what change_proposal grants (program managers); the form is read-only.
        if not request.user.has_perm("intake.change_proposal") or not is_staff_member(request.user):
            raise PermissionDenied
        name = request.POST.get("transition", "")
        try:
            services.run_transition(
                proposal=proposal,
                name=name,
                actor=staff_actor(request.user),
                note=request.POST.get("note", ""),
                expected_state=request.POST.get("expected_state") or None,
            )
        except Refused as exc:
            note = request.POST.get("note", "").strip()
            # The page reloads after this: give back the message typed for the organizers.
            unsent = f" Your message was not sent: {note}" if note else ""
            messages.error(request, f"{exc}{unsent}")
        else:
            messages.success(
                request,
                f"{proposal.reference} {services.PROPOSAL_REVIEW.facts(name)['past']}.",
            )
        return redirect("admin:intake_proposal_change", proposal.pk)


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "label",
            "kind",
            "required",
            "help_text",
            "choices",
            "section",
            "order",
            "retired",
        ]

    def clean_choices(self):
        question_editing.check_choices(self.cleaned_data.get("choices") or "")
        return self.cleaned_data.get("choices")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Questions from the guidelines, asked on the public form in their section. Once a
    proposal has answered one it can be retired (no longer asked) but not deleted, and its
    kind is fixed, so every proposal keeps its answers and their meaning."""

    form = QuestionAdminForm
    list_display = ["label", "kind", "section", "order", "required", "retired", "answer_count"]
    list_filter = ["retired", "section", "kind"]
    search_fields = ["label"]
    fields = ["label", "kind", "required", "help_text", "choices", "section", "order", "retired"]

    @admin.display(description="Answers", ordering="_answers")
    def answer_count(self, obj):
        return obj._answers

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_answers=models.Count("answers"))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_superseded:
            return self.fields  # an earlier wording, kept for its answers
        if obj is not None and obj.is_answered:
            return ["kind"]
        return []

    def save_model(self, request, obj, form, change):
        """Through intake.question_editing, as on the staff pages: a change to an answered
        question's words saves a new version, and the admin then shows that one."""
        data = {
            f: form.cleaned_data[f]
            for f in question_editing.EDITABLE_FIELDS
            if f in form.cleaned_data
        }
        if change:
            saved = question_editing.change_question(question=Question(pk=obj.pk), data=data)
        else:
            saved = question_editing.add_question(data=data)
        saved = question_editing.set_retired(question=saved, retired=form.cleaned_data["retired"])
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_answered:
            return False
        return super().has_delete_permission(request, obj)
