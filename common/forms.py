"""Form helpers every app uses: plain-words refusals of NUL and control characters, and the
error summary shown above a form that was sent back."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

# Django's text fields already refuse the NUL character (PostgreSQL cannot store it); this
# says so in plain words. It usually arrives by pasting from another program.
NULL_CHARACTER_MESSAGE = (
    "This answer contains a hidden null character, which cannot be saved. It often comes "
    "from pasting: type the answer again or paste it as plain text."
)


CONTROL_CHARACTER_MESSAGE = (
    "This answer contains invisible control characters, which a name cannot hold. Type it "
    "again, or paste it as plain text."
)


def no_control_characters(value: str) -> None:
    """For one-line answers (names): control characters other than whitespace have no place
    there, and would come back changed (or as a new group) from the directory's page."""
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\x00" for c in value):
        raise ValidationError(CONTROL_CHARACTER_MESSAGE, code="control_characters")


LINE_BREAK_MESSAGE = gettext_lazy(
    "This answer is one line: take out the line break (or tab) and send it again."
)
LINE_BREAKS = "\r\n\t\v\f\x85\u2028\u2029"


def single_line(value: str) -> None:
    """For one-line answers that go into an email's header or first lines (a sender's name,
    a topic's name): no control character at all, line breaks and tabs included, which
    could forge a line of their own."""
    no_control_characters(value)
    if any(c in LINE_BREAKS for c in value):
        raise ValidationError(LINE_BREAK_MESSAGE, code="line_break")


def has_control_characters(value: str) -> bool:
    """Whether a value from an address holds NUL or another control character: a filter
    with one names nothing (PostgreSQL cannot even look a NUL up), so it is unknown."""
    return any(unicodedata.category(c) == "Cc" for c in value)


def printable(value: str) -> str:
    """The value with its control characters shown as �, to quote it back safely."""
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in value)


def one_line(value: str) -> str:
    """Runs of whitespace, line breaks included, become one space."""
    return " ".join(value.split())


def without_null_characters(data):
    """A copy of submitted form data with every NUL character taken out."""
    if hasattr(data, "lists"):  # a QueryDict: keep every value of repeated keys
        copy = data.copy()
        for key, values in data.lists():
            copy.setlist(key, [v.replace("\x00", "") if isinstance(v, str) else v for v in values])
        return copy
    return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in data.items()}


class ExplainsNullCharacters:
    """Mixed into every form people type text into (the public ones and the reviewer
    workspace's), before forms.Form. `one_line_fields` also refuse control characters."""

    one_line_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["null_characters_not_allowed"] = NULL_CHARACTER_MESSAGE
        for name in self.one_line_fields:
            self.fields[name].validators.append(no_control_characters)

    def full_clean(self):
        super().full_clean()
        refused = any(
            error.code == "null_characters_not_allowed"
            for errors in self._errors.as_data().values()
            for error in errors
        )
        if refused:
            # Shown again without the NUL (a raw one in the page is an HTML parse error and
            # reaches the browser as a replacement character): the rest of what was typed
            # stays in the box, ready to send again.
            self.data = without_null_characters(self.data)


def error_summary(*forms_or_formsets) -> list[dict]:
    """Every error, in page order, with the id of the field it belongs to (for links)."""
    items = []
    for obj in forms_or_formsets:
        if hasattr(obj, "forms"):
            if obj.is_bound:
                for message in obj.non_form_errors():
                    items.append({"anchor": "organizers", "message": message})
            items.extend(error_summary(*obj.forms))
            continue
        if not obj.is_bound:
            continue
        for name, errors in obj.errors.items():
            if name == "__all__":
                anchor = "main"
            else:
                bound = obj[name]
                anchor = bound.id_for_label or bound.auto_id
                if getattr(bound.field.widget, "input_type", "") == "radio":
                    anchor = f"{bound.auto_id}_0"
            label = obj[name].label if name in obj.fields else ""
            if getattr(obj, "row_label", "") and label:
                label = f"{obj.row_label}, {label.lower()}"
            for message in errors:
                items.append({"anchor": anchor, "message": message, "label": label})
    return items
