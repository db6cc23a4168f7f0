"""Forms for a group's meetings (the organizers' private page) and for writing to a group's
organizers (its public page)."""

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import ExplainsNullCharacters, no_control_characters, one_line, single_line

from .fields import WebAddressField
from .group_forms import TOO_LONG
from .models import Meeting, MeetingChange, Place, Repeat
from .schedule import MAX_INTERVAL, past_problem, schedule_problem

MARKUP = re.compile(r"[<>{}]|&#|javascript:", re.IGNORECASE)
MARKUP_MESSAGE = _(
    "Write plain words here: <, >, { and } cannot be part of it (it is shown on public "
    "pages and in calendars as written)."
)


def plain_text(value: str) -> None:
    no_control_characters(value)
    if MARKUP.search(value):
        raise ValidationError(MARKUP_MESSAGE, code="markup")


JOIN_URL_MESSAGE = _(
    "Enter the video call's full link as your browser shows it, starting with https:// "
    "(or http://), like https://meet.example.org/zines."
)
INTERVAL_MESSAGE = _("Repeat every 1 to 12 weeks or months: write a whole number from 1 to 12.")
WEEKS = [(1, _("first")), (2, _("second")), (3, _("third")), (4, _("fourth")), (-1, _("last"))]
PLAIN_FIELDS = ("title", "venue", "address", "note")


def zone_words() -> str:
    """ "Times are New York time (America/New_York)": the program's zone, named."""
    zone = settings.TIME_ZONE
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return _("Times are %(city)s time (%(zone)s).") % {"city": city, "zone": zone}


class MeetingForm(ExplainsNullCharacters, forms.ModelForm):
    join_url = WebAddressField(
        label=_("Joining link (online and hybrid meetings)"),
        required=False,
        help_text=_("An https:// address, like the video call's link."),
        error_messages={
            "invalid": JOIN_URL_MESSAGE,
            "not_in_a_web_address": JOIN_URL_MESSAGE,
            "no_host": JOIN_URL_MESSAGE,
            "internal_address": _(
                "This joining link points inside a private network or to this server, which "
                "members cannot reach. Enter the video call's public link."
            ),
        },
    )
    interval = forms.IntegerField(
        label=_("Every how many weeks or months"),
        required=False,
        min_value=1,
        max_value=MAX_INTERVAL,
        error_messages={
            "min_value": INTERVAL_MESSAGE,
            "max_value": INTERVAL_MESSAGE,
            "invalid": INTERVAL_MESSAGE,
        },
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_INTERVAL}),
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Which weekday of the month (monthly on a weekday)"),
        choices=WEEKS,
        coerce=int,
        required=False,
        empty_value=None,
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "starts_on",
            "start_time",
            "end_time",
            "repeat",
            "interval",
            "week_of_month",
            "repeat_until",
            "place",
            "venue",
            "address",
            "join_url",
            "join_url_public",
            "note",
        ]
        labels = {
            "title": _("Title (optional; the group's name if empty)"),
            "repeat": _("Repeats"),
            "repeat_until": _("Repeats until (at most two years after the first date)"),
            "place": _("Where"),
            "join_url_public": _("Show the joining link on the public page and in calendars"),
        }
        help_texts = {
            "starts_on": _("Pick it in the calendar, or type it as your browser shows."),
            "join_url_public": _(
                "If not, people ask for it by writing to you (members must be able to write "
                "to you: “Topics and messages” on your meetings page)."
            ),
        }
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "repeat_until": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
            "place": forms.RadioSelect,
        }
        error_messages = {name: TOO_LONG for name in PLAIN_FIELDS}

    def __init__(self, *args, meetup, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meetup = meetup
        self.fields["start_time"].help_text = zone_words()
        for name in PLAIN_FIELDS:
            self.fields[name].validators.append(plain_text)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for name in PLAIN_FIELDS:
            data[name] = one_line(data.get(name, ""))
        data["interval"] = data.get("interval") or 1
        online = data["place"] in (Place.ONLINE, Place.HYBRID)
        in_person = data["place"] in (Place.IN_PERSON, Place.HYBRID)
        if online and not data.get("join_url"):
            self.add_error("join_url", _("An online or hybrid meeting needs its joining link."))
        if in_person and not (data.get("venue") or data.get("address")):
            self.add_error("venue", _("Say where people meet: a venue, an address or both."))
        if data["repeat"] == Repeat.MONTHLY_WEEKDAY and data.get("week_of_month") is None:
            self.add_error("week_of_month", _("Choose which weekday of the month."))
        # The schedule's bounds, checked on an unsaved copy (nothing changes if refused).
        candidate = Meeting(
            **{
                k: data.get(k)
                for k in ("starts_on", "start_time", "end_time", "repeat", "repeat_until")
            },
            interval=data.get("interval") or 1,
            week_of_month=data.get("week_of_month"),
        )
        if not self.errors and (problem := schedule_problem(candidate)):
            raise ValidationError(problem, code="schedule")
        if not self.errors and (problem := past_problem(candidate)):
            self.add_error("starts_on", problem)
        return data


class MeetingChangeForm(ExplainsNullCharacters, forms.Form):
    original_date = forms.DateField(
        label=_("The date to change"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("What happens"), choices=MeetingChange.Kind.choices, widget=forms.RadioSelect
    )
    new_date = forms.DateField(
        label=_("New date (moved)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("New start (moved)"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("New end (moved)"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    venue = forms.CharField(
        label=_("New venue (moved)"), max_length=200, required=False, validators=[plain_text]
    )
    address = forms.CharField(
        label=_("New address (moved)"),
        max_length=300,
        required=False,
        validators=[plain_text],
        help_text=_(
            "A new venue or address replaces both: leave the address empty if the new venue "
            "needs none. Empty both to keep the usual place."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, validators=[plain_text])
    replace = forms.BooleanField(
        label=_("Replace the earlier change of this date (if it has one)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_time"].help_text = zone_words()

    def clean(self):
        data = super().clean()
        if data.get("kind") == MeetingChange.Kind.MOVED and not (
            data.get("new_date")
            or data.get("start_time")
            or data.get("venue")
            or data.get("address")
        ):
            raise ValidationError(_("Say where or when the moved meeting takes place."))
        if (
            data.get("start_time")
            and data.get("end_time")
            and data["end_time"] <= data["start_time"]
        ):
            self.add_error("end_time", _("The meeting must end after it starts (on the same day)."))
        return data


class CancelMeetingForm(ExplainsNullCharacters, forms.Form):
    note = forms.CharField(
        label=_("Note for members (why, what instead)"),
        max_length=500,
        required=False,
        validators=[plain_text],
    )


# Writing to the organizers: a bot check without a CAPTCHA. A hidden field people leave
# empty, and a signed time the form was shown: a submission sooner than MIN_SECONDS after
# it, or with a token older than MAX_SECONDS, is refused.
MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600
TOKEN_SALT = "meetups.contact-form"


def form_token(*, slug: str) -> str:
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(slug)


def no_encoded_words(value: str) -> None:
    """The name goes into the email's Subject, where mail programs decode "=?utf-8?q?…?="
    (an encoded word): a name holding one could show other text than was typed."""
    if "=?" in value:
        raise ValidationError(
            _("Your name cannot hold “=?”: mail programs would read what follows as code."),
            code="encoded_word",
        )


class ContactForm(ExplainsNullCharacters, forms.Form):
    # One line: a line break would forge a line ("Bcc: …") in the organizers' email.
    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        strip=True,
        validators=[single_line, plain_text, no_encoded_words],
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_(
            "The organizers get your message with this address to reply to (Reply-To). "
            "Their own addresses are not shown to you."
        ),
    )
    message = forms.CharField(
        label=_("Your message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6})
    )
    # The honeypot: hidden from people by the style sheet and from screen readers.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, slug: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.slug = slug

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(_("Your message looks automated and was not sent."), code="bot")
        try:
            slug = signing.TimestampSigner(salt=TOKEN_SALT).unsign(
                data.get("token", ""), max_age=MAX_SECONDS
            )
            age_ok = slug == self.slug
        except signing.SignatureExpired:
            raise ValidationError(
                _("This form was open too long. Your text is kept below: send it again."),
                code="expired",
            ) from None
        except signing.BadSignature:
            age_ok = False
        if not age_ok:
            raise ValidationError(_("Your message looks automated and was not sent."), code="bot")
        if _age(data["token"]) < MIN_SECONDS:
            raise ValidationError(
                _("That was quicker than people type. Wait a moment and send it again."),
                code="too_fast",
            )
        return data


def _age(token: str) -> float:
    """Seconds since the token was signed."""
    # A TimestampSigner token is value:timestamp:signature (checked before this is called).
    _value, stamp, _signature = token.rsplit(":", 2)
    return time.time() - signing.b62_decode(stamp)
