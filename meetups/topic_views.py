"""Topics, kept by program managers (/reviews/topics/), and a group's topics set by staff
on its staff page (organizers set them on their private page)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.roles import program_manager_required
from common.forms import ExplainsNullCharacters, error_summary, one_line

from . import meetings
from .meeting_forms import plain_text
from .models import Meetup, Topic


class TopicForm(ExplainsNullCharacters, forms.Form):
    name = forms.CharField(label=gettext_lazy("New topic"), max_length=60, validators=[plain_text])

    def clean_name(self):
        name = one_line(self.cleaned_data["name"])
        slug = slugify(name)
        if not slug:
            raise forms.ValidationError(_("Use some letters or digits in a topic's name."))
        if Topic.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("That topic exists already."))
        return name


class GroupTopicsForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@program_manager_required
@require_http_methods(["GET", "POST"])
def topics(request):
    form = TopicForm(request.POST or None)
    if request.method == "POST":
        if "delete" in request.POST:
            pk = request.POST["delete"]
            Topic.objects.filter(pk=int(pk) if pk.isdigit() and len(pk) < 12 else 0).delete()
            messages.success(request, _("The topic is removed from every group."))
            return redirect("meetups:topics")
        if form.is_valid():
            name = form.cleaned_data["name"]
            Topic.objects.create(name=name, slug=slugify(name))
            messages.success(request, _("Topic added."))
            return redirect("meetups:topics")
    return render(
        request,
        "meetups/staff_topics.html",
        {
            "form": form,
            "topics": Topic.objects.all(),
            "errors": error_summary(form) if form.is_bound else [],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@program_manager_required
@require_http_methods(["POST"])
def group_topics(request, slug):
    meetup = get_object_or_404(Meetup, slug=slug)
    form = GroupTopicsForm(request.POST)
    if form.is_valid():
        meetings.update_group_settings(
            meetup=meetup,
            topics=form.cleaned_data["topics"],
            accepts_messages=meetup.accepts_messages,
        )
        messages.success(request, _("Topics saved."))
    else:
        messages.error(request, _("Those topics could not be saved; nothing changed."))
    return redirect("meetups:staff_group", slug=slug)
