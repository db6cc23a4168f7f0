"""How program managers change the form's extra questions (their staff pages and the admin
both call these): add one, change one, put it earlier or later in its section, retire it or
ask it again. The wording people answered is frozen: a change to the label, help text or
choices of a question that has answers makes a new version, which the form asks from then
on, while the old version is retired and keeps its answers, so reviewers and the export
show each answer under the words it answered."""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import FormSection, Question

# What a person answering reads: changing any of these once answered makes a new version.
WORDING_FIELDS = ("label", "help_text", "choices")
EDITABLE_FIELDS = ("label", "kind", "required", "help_text", "choices", "section", "order")


# A choice list is read by every visitor of the public form: bounded like every other text
# staff publish (an attack run's 20,000 choices made /propose/ 7.5 MB).
MAX_CHOICES = 50
MAX_CHOICE_LENGTH = 200


# Letters that show as nothing (Hangul fillers), beside the format characters (Cf).
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def _is_invisible(character: str) -> bool:
    if character.isspace():
        return False  # a tab or a no-break space is a space (spaces are folded)
    return (
        unicodedata.category(character) in ("Cf", "Cc", "Co", "Cn")
        or character in _INVISIBLE_LETTERS
    )


def check_choices(text: str) -> None:
    """Raise ValidationError when a choice list is longer than the form can show."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_CHOICES:
        raise ValidationError(
            _("Offer at most %(limit)s answers to choose from: this list has %(count)s.")
            % {"limit": MAX_CHOICES, "count": len(lines)}
        )
    if any(len(line) > MAX_CHOICE_LENGTH for line in lines):
        raise ValidationError(
            _("Keep each answer to %(limit)s characters or fewer.") % {"limit": MAX_CHOICE_LENGTH}
        )
    if any(_is_invisible(c) for line in lines for c in line):
        # A choice that looks like another but is stored differently.
        raise ValidationError(
            _(
                "An answer holds an invisible character (a zero-width space, a joiner, a soft "
                "hyphen or the like): type each answer again without it."
            )
        )
    seen = set()
    for line in lines:
        # Fullwidth letters and an accent written as one character or two look the same.
        key = " ".join(unicodedata.normalize("NFKC", line).casefold().split())
        if key in seen:
            # Two radios with one value: an answer could not say which was meant.
            raise ValidationError(
                _(
                    "“%(answer)s” is offered more than once (capitals do not make a "
                    "different answer): keep each answer once."
                )
                % {"answer": line}
            )
        seen.add(key)


def _normalized(data: dict) -> dict:
    clean = {field: data[field] for field in EDITABLE_FIELDS if field in data}
    if "choices" in clean:
        try:
            check_choices(clean["choices"])
        except ValidationError as error:
            raise ValidationError({"choices": error.messages}) from None
        lines = [line.strip() for line in (clean["choices"] or "").splitlines()]
        clean["choices"] = "\n".join(line for line in lines if line)
    return clean


def add_question(*, data: dict) -> Question:
    """A new question, asked at once (last in its section unless given an order)."""
    data = _normalized(data)
    if "order" not in data or data["order"] is None:
        section = data.get("section", FormSection.ABOUT)
        last = Question.objects.current().filter(section=section).order_by("-order").first()
        data["order"] = last.order + 1 if last else 0
    question = Question(**data)
    question.full_clean()
    question.save()
    return question


def change_question(*, question: Question, data: dict) -> Question:
    """Apply a change. Returns the question as asked from now on: the same row, or, when
    answered wording changed, its new version. Raises ValidationError (by field)."""
    data = _normalized(data)
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.is_superseded:
            raise ValidationError(
                _("This is an earlier wording of a question; change its newest version.")
            )
        answered = locked.is_answered
        if answered and data.get("kind", locked.kind) != locked.kind:
            raise ValidationError(
                {"kind": _("This question has answers, so its kind cannot change.")}
            )
        reworded = any(
            field in data and data[field] != getattr(locked, field) for field in WORDING_FIELDS
        )
        if answered and reworded:
            return _new_version(locked, data)
        for field, value in data.items():
            setattr(locked, field, value)
        locked.full_clean()
        locked.save()
        return locked


def _new_version(old: Question, data: dict) -> Question:
    fields = {field: getattr(old, field) for field in (*EDITABLE_FIELDS, "retired")}
    fields.update(data)
    new = Question(**fields, previous=old, root_id=old.lineage_id, version=old.version + 1)
    new.full_clean()
    # The old wording is no longer asked; its answers stay with it (save(), not update(),
    # so the cached form hears of it).
    old.retired = True
    old.save(update_fields=["retired", "updated_at"])
    new.save()
    return new


def set_retired(*, question: Question, retired: bool) -> Question:
    """Stop asking a question, or ask it again. Its answers stay either way."""
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.is_superseded:
            raise ValidationError(
                _("This is an earlier wording of a question; it is not asked again.")
            )
        if locked.retired != retired:
            locked.retired = retired
            locked.save(update_fields=["retired", "updated_at"])
        return locked


def move_question(*, question: Question, earlier: bool) -> None:
    """One place earlier or later among its section's questions (the newest versions)."""
    with transaction.atomic():
        siblings = list(
            Question.objects.current()
            # Only the questions' rows: current() joins the next version, which PostgreSQL
            # cannot lock on the outer side of the join.
            .select_for_update(of=("self",))
            .filter(section=question.section)
            .order_by("order", "pk")
        )
        index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
        other = index - 1 if earlier else index + 1
        if not 0 <= other < len(siblings):
            return
        siblings[index], siblings[other] = siblings[other], siblings[index]
        # Numbered afresh, so equal orders (the default 0) move too.
        for position, sibling in enumerate(siblings):
            if sibling.order != position:
                sibling.order = position
                sibling.save(update_fields=["order", "updated_at"])
