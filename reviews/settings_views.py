"""A staff member's own settings: for now, whether to get the weekly digest."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.roles import staff_required

from . import digests


class DigestSettingsForm(forms.Form):
    wants_digest = forms.BooleanField(
        label="Email me a weekly digest",
        required=False,
        help_text=(
            "Once a week, one email listing the proposals waiting for your review or your "
            "decision, the most overdue first. It is not sent when nothing is waiting."
        ),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    if request.method == "POST":
        form = DigestSettingsForm(request.POST)
        if form.is_valid():
            wants = form.cleaned_data["wants_digest"]
            digests.set_digest_preference(user=request.user, wants_digest=wants)
            messages.success(
                request,
                "Saved: you will get the weekly digest."
                if wants
                else "Saved: you will not get the weekly digest.",
            )
            return redirect("reviews:settings")
    else:
        form = DigestSettingsForm(initial={"wants_digest": digests.wants_digest(request.user)})
    return render(request, "reviews/settings.html", {"form": form})
