"""Recording emails: every email is a record of (kind, audience, recipients, context),
rendered by notifications.rendering.render and written to the outbox as one row per
recipient, inside the transaction of the change that causes it; delivery is arranged for
after commit, so a rolled-back change leaves no row and sends nothing.

`messages(kind, ...)` lists a kind's audiences with their recipients, as its entry in
notifications.kinds says; `record` writes them."""

from collections.abc import Callable
from dataclasses import dataclass

from .kinds import KINDS
from .models import Notification, Status
from .outbox import enqueue_after_commit
from .recipients import resolve
from .rendering import render


@dataclass
class Message:
    """An email of one kind to one audience: who gets it (addresses)."""

    kind: str
    audience: str
    addresses: list[str]


def messages(kind: str, *, audiences=None, **about) -> list[Message]:
    """A kind's messages, one per audience (all of its entry's, or those of `audiences`),
    each to the recipients its rule finds for what the email is `about` (the proposal,
    the group, the addresses named, an AddressBook: recipients.resolve)."""
    rules = KINDS[kind].audiences
    return [
        Message(kind, audience, resolve(rule, **about))
        for audience, rule in rules.items()
        if audiences is None or audience in audiences
    ]


def build_rows(
    *,
    event_key: str,
    messages: list[Message],
    context: dict,
    proposal=None,
    personal: Callable[[str], dict] | None = None,
    reply_to: str = "",
) -> list[Notification]:
    """Unsaved outbox rows for one event's messages, the first message naming an address
    winning (one event gives one email per address). `personal(address)` is what the email
    says to that person alone (their name, whether they are the one concerned): one
    rendering per distinct one."""
    rows, taken = [], set()
    for message in messages:
        rendered = {}
        for address in message.addresses:
            if address in taken:
                continue
            taken.add(address)
            extra = personal(address) if personal else {}
            key = tuple(sorted(extra.items()))
            if key not in rendered:
                rendered[key] = render(
                    kind=message.kind, audience=message.audience, context={**context, **extra}
                )
            subject, text, html = rendered[key]
            rows.append(
                Notification(
                    event_key=event_key,
                    kind=message.kind,
                    proposal=proposal,
                    recipient=address,
                    audience=message.audience,
                    subject=subject,
                    body_text=text,
                    body_html=html,
                    reply_to=reply_to,
                )
            )
    return rows


def save_rows(rows: list[Notification], *, not_before=None) -> list[Notification]:
    """Write the rows of one event or of many (in one INSERT) and arrange for their delivery
    after commit. `not_before`: held until then (the outbox sweep sends it once the time has
    come; neither its task nor another's batch takes it before)."""
    if not rows:
        return []
    if not_before is not None:
        for row in rows:
            row.next_attempt_at = not_before
    keys = {row.event_key for row in rows}
    # ignore_conflicts keeps an event from ever yielding a second row for a recipient; the
    # rows are read back because bulk_create cannot return their ids then.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    saved = list(
        Notification.objects.filter(event_key__in=keys, status=Status.PENDING).order_by("pk")
    )
    enqueue_after_commit([n.pk for n in saved])
    return saved


def record(*, event_key: str, messages: list[Message], context: dict, **options):
    """Render and write one event's emails (build_rows' options, and save_rows'
    not_before)."""
    not_before = options.pop("not_before", None)
    return save_rows(
        build_rows(event_key=event_key, messages=messages, context=context, **options),
        not_before=not_before,
    )
