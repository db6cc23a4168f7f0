"""The one runner of every state machine: a proposal's review (intake) and a listed group's
life (meetups). Each machine is a django-fsm field with @transition methods on its model,
each transition's facts in its `custom=` (label, past, note_required...), and a `Machine`
declared beside the service that runs it: what differs between machines (how to lock,
which history row, what to lock first, what to do after) is there, the rest is here.

`perform` takes one transition, in one database transaction: lock what the conditions read
and the row, check the source, permission, conditions and a required note (`refusal`), run
the @transition method, save, append the history row and announce it. `perform_many` takes
a timed step for many rows at once, with one UPDATE, one INSERT and one announcement.
Transitions are read through django-fsm's public API (the field's get_all_transitions and
the model's get_available_user_FIELD_transitions), never its private attributes."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone


class Refused(Exception):
    """A change that cannot happen. The message is written for the person who tried."""


class Forbidden(Refused):
    """This actor may not take the transition."""


class NotAvailable(Refused):
    """Not from the current state, or a condition is not met."""


class NoteRequired(Refused):
    """The transition needs a note (a message to the organizers), and none was written."""


@dataclass
class Step:
    """One transition being taken, as the machine's hooks see it."""

    obj: Any
    name: str
    actor: Any
    note: str
    facts: dict
    from_state: str
    # The machine's own arguments (a due date, a key, `now`) and what its hooks keep.
    options: dict = field(default_factory=dict)


def _nothing(*args, **kwargs) -> None:
    return None


@dataclass(frozen=True)
class Batch:
    """What `perform_many` needs beyond a Machine: the fields a transition may change (one
    UPDATE sets them), the history rows keyed so a timed step happens once, and what to do
    once the rows changed (a queryset update sends no post_save)."""

    fields: tuple[str, ...]
    keys_taken: Callable[[dict], set]  # {pk: key} -> the pks whose key is taken
    new_row: Callable[[Step], Any]  # an unsaved history row
    append_many: Callable[[list], None]  # one INSERT and one announcement
    after_update: Callable[[list], None] = _nothing


@dataclass(frozen=True)
class Machine:
    """One state machine, as the runner needs to know it."""

    model: type
    field: str  # the FSMField's name
    names: tuple[str, ...]  # its transitions, in the order pages offer them
    lock: Callable[[Any], Any]  # pk -> the row, locked until the transaction ends
    record: Callable[[Step], Any]  # append and announce the history row; None: key taken
    title: Callable[[Any], str]  # how a refusal names the row
    # What a person reads when a condition is not met; may name a setting, as
    # "{settings.MIN_ORGANIZERS}".
    condition_messages: dict = field(default_factory=dict)
    lock_first: Callable[[str], None] = _nothing  # name -> locks taken before the row's
    prepare: Callable[[Step], None] = _nothing  # after the checks (may refuse), before the change
    settle: Callable[[Step], None] = _nothing  # after the @transition method, before the save
    after: Callable[[Step, Any], None] = _nothing  # after the history row: side effects
    changed: Callable[[Any, str], Refused] | None = None  # (row, expected state) -> refusal
    unmet_words: str = "{title} cannot be {past}: {unmet}."
    note_missing: str = "Write a note: it is required for this."
    batch: Batch | None = None

    def facts(self, name: str) -> dict:
        """Transition `name`'s declared facts (its `custom`; empty for an unknown name)."""
        return facts(self.model, self.field, name)


def state(machine: Machine, obj) -> str:
    return getattr(obj, machine.field)


def declared(model, field_name: str, name: str, source: str | None = None):
    """django-fsm's declaration of transition `name` on `model`'s FSM field `field_name`
    (from `source`, if given), or None."""
    fsm_field = model._meta.get_field(field_name)
    for candidate in fsm_field.get_all_transitions(model):
        if candidate.name == name and source in (None, candidate.source, "*"):
            return candidate
    return None


def facts(model, field_name: str, name: str) -> dict:
    """The `custom` facts declared on transition `name` (label, past, note_required...; empty
    for an unknown name): the one way to read them, for every machine."""
    found = declared(model, field_name, name)
    return found.custom if found is not None else {}


def available(machine: Machine, *, obj, actor) -> list[str]:
    """The transitions this actor may take now (source, conditions and permission all met),
    in the machine's order."""
    allowed = getattr(obj, f"get_available_user_{machine.field}_transitions")(actor)
    names = {t.name for t in allowed}
    return [name for name in machine.names if name in names]


def _unmet(machine: Machine, found, obj) -> list[str]:
    return [
        machine.condition_messages.get(c, c.__name__.replace("_", " ")).format(settings=settings)
        for c in found.conditions
        if not c(obj)
    ]


def refusal(
    machine: Machine, *, obj, name: str, actor, note: str = "", expected_state=None
) -> Refused | None:
    """Why `actor` cannot take `name` on `obj` as it is now, or None when they can: the one
    place each refusal is written. `perform` asks it under the lock; a page may ask it first
    (a dry run, which changes nothing)."""
    if name not in machine.names:
        return NotAvailable(f"There is no action called {name!r}.")
    if expected_state is not None and state(machine, obj) != expected_state:
        return machine.changed(obj, expected_state)
    said = facts(machine.model, machine.field, name)
    title = machine.title(obj)
    found = declared(machine.model, machine.field, name, state(machine, obj))
    if found is None:
        now = getattr(obj, f"get_{machine.field}_display")().lower()
        return NotAvailable(f"{title} is {now}, so it cannot be {said['past']}.")
    if not found.has_perm(obj, actor):
        return Forbidden(f"You may not {said['label'].lower()} {title}.")
    unmet = _unmet(machine, found, obj)
    if unmet:
        return NotAvailable(
            machine.unmet_words.format(title=title, past=said["past"], unmet="; ".join(unmet))
        )
    if said.get("note_required") and not (note or "").strip():
        return NoteRequired(
            machine.note_missing.format(
                label=said["label"].lower(), asks=said.get("note_asks", "say why")
            )
        )
    return None


def perform(
    machine: Machine, *, obj, name: str, actor, note: str = "", expected_state=None, **options
):
    """Take transition `name` on `obj` for `actor`, in one database transaction. Raises
    Refused and changes nothing when it cannot happen. `options` are the machine's own
    (its hooks read them). Returns the saved row."""
    note = (note or "").strip()
    if name not in machine.names:
        raise NotAvailable(f"There is no action called {name!r}.")
    with transaction.atomic():
        machine.lock_first(name)
        locked = machine.lock(obj.pk)
        refused = refusal(
            machine, obj=locked, name=name, actor=actor, note=note, expected_state=expected_state
        )
        if refused is not None:
            raise refused
        said = facts(machine.model, machine.field, name)
        step = Step(locked, name, actor, note, said, state(machine, locked), options)
        machine.prepare(step)
        getattr(locked, name)()
        machine.settle(step)
        locked.save()
        row = machine.record(step)
        if row is None:
            # A timed step whose key is taken: another run did it. Nothing changes.
            transaction.set_rollback(True)
        else:
            machine.after(step, row)
    return locked


def perform_many(machine: Machine, *, objs: list, name: str, actor, keys: dict, **options):
    """`perform` for many rows at once, for the beat schedule's timed steps: in the caller's
    transaction, on rows it has locked. A row for which the step is not available now
    (source or conditions) is left out, not refused; `keys` ({pk: key}) name each row's
    step, and a row whose key is taken is left out too. One UPDATE, one INSERT and one
    announcement for all. Returns the rows changed."""
    batch, said = machine.batch, facts(machine.model, machine.field, name)
    if said.get("note_required"):
        raise Refused(f"{name} needs a note: use perform.")
    taken = batch.keys_taken(keys)
    changed, rows = [], []
    for obj in objs:
        found = declared(machine.model, machine.field, name, state(machine, obj))
        if obj.pk in taken or found is None:
            continue
        if not found.has_perm(obj, actor):
            raise Forbidden(f"You may not {said['label'].lower()}.")
        if _unmet(machine, found, obj):
            continue
        step = Step(
            obj, name, actor, "", said, state(machine, obj), {**options, "key": keys.get(obj.pk)}
        )
        getattr(obj, name)()
        machine.settle(step)
        changed.append(obj)
        rows.append(batch.new_row(step))
    if changed:
        _update_alike(machine, changed)
        batch.after_update(changed)
        batch.append_many(rows)  # their keys were checked above, before the rows changed
    return changed


def _update_alike(machine: Machine, changed: list) -> None:
    """A timed step leaves its rows alike (the same state, flags and dates changed the same
    way): one UPDATE per set of values, usually one in all, where bulk_update would build a
    CASE per field and row. The auto_now fields are stamped as save() would."""
    fields = machine.batch.fields
    stamped = {
        f.name: timezone.now()
        for f in machine.model._meta.concrete_fields
        if getattr(f, "auto_now", False)
    }
    alike = defaultdict(list)
    for obj in changed:
        alike[tuple(getattr(obj, f) for f in fields)].append(obj.pk)
    for values, pks in alike.items():
        machine.model.objects.filter(pk__in=pks).update(
            **dict(zip(fields, values, strict=True)), **stamped
        )
