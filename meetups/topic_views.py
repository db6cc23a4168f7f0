"""Topics, kept by program managers (/reviews/topics/), and a group's topics set by staff
on its staff page (organizers set them on their private page)."""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from accounts.roles import program_manager_required
from common.forms import ExplainsNullCharacters, error_summary, one_line, single_line

from . import meetings
from .meeting_forms import plain_text
from .models import Meetup, Topic
from .naming import same_name


class TopicForm(ExplainsNullCharacters, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("New topic"), max_length=60, validators=[single_line, plain_text]
    )

    def __init__(self, *args, topic: Topic | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic = topic
        if topic is not None:
            self.fields["name"].label = gettext_lazy("New name")

    def clean_name(self):
        name = one_line(self.cleaned_data["name"])
        slug = slugify(name)
        if not slug:
            raise forms.ValidationError(_("Use some letters or digits in a topic's name."))
        others = Topic.objects.exclude(pk=self.topic.pk) if self.topic else Topic.objects.all()
        if others.filter(slug=slug).exists():
            raise forms.ValidationError(_("That topic exists already."))
        # A look-alike (another script's letter, a digit for a letter, "&" for "and") is
        # the same topic to members, as for group names.
        for other in others:  # a handful, kept by program managers
            if same_name(name, other.name):
                raise forms.ValidationError(
                    _("That topic exists already, written differently: “%(name)s”.")
                    % {"name": other.name}
                )
        return name


def used_by(count: int) -> str:
    return ngettext("%(count)s group uses it.", "%(count)s groups use it.", count) % {
        "count": count
    }


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
    if request.method == "POST" and form.is_valid():
        meetings.add_topic(name=form.cleaned_data["name"])
        messages.success(request, _("Topic added."))
        return redirect("meetups:topics")
    return render(
        request,
        "meetups/staff_topics.html",
        {
            "form": form,
            "topics": Topic.objects.annotate(groups=Count("meetups")),
            "errors": error_summary(form) if form.is_bound else [],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@program_manager_required
@require_http_methods(["GET", "POST"])
def topic(request, pk):
    """Rename or remove one topic. Either, when groups use the topic, asks to confirm first
    and says how many groups it changes; nothing changes until the manager confirms."""
    topic = get_object_or_404(Topic, pk=pk)
    groups = topic.meetups.count()
    action = request.POST.get("action", "")
    form = TopicForm(request.POST if action == "rename" else None, topic=topic)
    confirm = ""
    if request.method == "POST":
        confirmed = request.POST.get("confirm") == "1" or groups == 0
        if action == "remove":
            if confirmed:
                name = topic.name
                meetings.remove_topic(topic=topic)
                messages.success(
                    request,
                    _("%(name)s is removed, from every group that had it.") % {"name": name},
                )
                return redirect("meetups:topics")
            confirm = "remove"
        elif action == "rename" and form.is_valid():
            if confirmed:
                meetings.rename_topic(topic=topic, name=form.cleaned_data["name"])
                messages.success(request, _("The topic is renamed on every group's page."))
                return redirect("meetups:topics")
            confirm = "rename"
    return render(
        request,
        "meetups/staff_topic.html",
        {
            "topic": topic,
            "groups": groups,
            "used_by": used_by(groups),
            "form": form,
            "confirm": confirm,
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
