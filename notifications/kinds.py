"""Every email the program sends, one entry per kind: who may get it (its audiences, in
priority order: someone in two of them gets the first one's version), how each audience's
recipients are found (a rule of notifications.recipients.resolve), which templates say it
and what context they need beyond the shared one (notifications.rendering).

Templates: templates/notifications/email/<template>_<audience>.txt, .html and
_subject.txt; where every audience reads the same words, one file without the audience
(<template>_subject.txt, say) serves them all. The most specific file wins.

Adding an email: an entry here, its templates, and the receiver that records it
(notifications.emails.record) where the change happens; see docs/architecture.md."""

from dataclasses import dataclass

from intake.services import PROPOSAL_REVIEW
from intake.workflow import Transition

from .models import Kind
from .recipients import (
    GROUP_ORGANIZERS,
    MANAGER,
    MANAGERS,
    NAMED,
    ORGANIZER,
    PARTICIPANTS,
    PRIMARY_CONTACT,
    PROPOSAL_ORGANIZERS,
    REVIEWER,
    REVIEWERS,
    STAFF,
)


@dataclass(frozen=True)
class EmailKind:
    # {audience: recipients rule}, in priority order.
    audiences: dict[str, str]
    # What the templates read beyond the shared context (rendering.shared_context).
    context: tuple[str, ...] = ()
    # The templates' name, when it is not the kind's.
    template: str = ""
    # Sent once the hold is over (settings.REVIEWED_EMAIL_HOLD_MINUTES), unless replaced.
    held: bool = False


def _transition(name: str, **rules: str) -> dict[str, str]:
    """The audiences a proposal's transition declares (its "emails"), with their rules."""
    defaults = {ORGANIZER: PROPOSAL_ORGANIZERS, REVIEWER: REVIEWERS, MANAGER: MANAGERS}
    return {a: rules.get(a, defaults[a]) for a in PROPOSAL_REVIEW.facts(name)["emails"]}


# What every email about a proposal can say (rendering.proposal_context adds them).
ABOUT_A_PROPOSAL = ("reference", "name", "status_link", "edit_link", "review_link", "reply_due")
GROUP_EVENT = (
    "name",
    "note",
    "note_by",
    "event",
    "details",
    "automatic",
    "page_link",
    "staff_link",
    "manage_link",
    "check_in_link",
    "accept_link",
    "write_link",
    "due_on",
    "lapses_on",
    "archived_on",
)
PERSONAL = ("greeting_name", "former", "is_subject", "is_actor")
REMINDER = ("reference", "name", "status_link", "edit_link", "action_on", "created_on")
ALERT = ("since", "noticed_at", "outbox_link")

KINDS: dict[str, EmailKind] = {
    # A proposal's transitions (notifications.recording.record_transition)
    Kind.SUBMITTED: EmailKind(_transition(Transition.SUBMIT), ABOUT_A_PROPOSAL),
    Kind.REVIEWED: EmailKind(_transition(Transition.COMPLETE_REVIEW), ABOUT_A_PROPOSAL, held=True),
    Kind.CHANGES_REQUESTED: EmailKind(
        _transition(Transition.REQUEST_CHANGES), (*ABOUT_A_PROPOSAL, "note", "withdraw_on")
    ),
    # Any organizer may resubmit from the shared link: the others are told too.
    Kind.RESUBMITTED: EmailKind(
        {**_transition(Transition.RESUBMIT, reviewer=PARTICIPANTS), ORGANIZER: PROPOSAL_ORGANIZERS},
        ABOUT_A_PROPOSAL,
    ),
    Kind.APPROVED: EmailKind(
        _transition(Transition.APPROVE),
        (*ABOUT_A_PROPOSAL, "group_link", "group_manage_link", "first_check_in"),
    ),
    Kind.DECLINED: EmailKind(_transition(Transition.DECLINE), (*ABOUT_A_PROPOSAL, "note")),
    Kind.WITHDRAWN: EmailKind(
        _transition(Transition.WITHDRAW), (*ABOUT_A_PROPOSAL, "automatic", "was_draft")
    ),
    # Comments (recording.record_comment)
    Kind.COMMENT_SHARED: EmailKind(
        {ORGANIZER: PROPOSAL_ORGANIZERS}, (*ABOUT_A_PROPOSAL, "comment")
    ),
    Kind.ORGANIZER_REPLY: EmailKind(
        {REVIEWER: PARTICIPANTS, ORGANIZER: PROPOSAL_ORGANIZERS}, (*ABOUT_A_PROPOSAL, "comment")
    ),
    # Asked for on public forms (recording)
    Kind.ACCESS_LINKS: EmailKind({ORGANIZER: NAMED}, ("links",)),
    Kind.DRAFT_SAVED: EmailKind({ORGANIZER: PRIMARY_CONTACT}, ABOUT_A_PROPOSAL),
    Kind.MY_DATA_LINK: EmailKind({ORGANIZER: NAMED}, ("my_data_link",)),
    Kind.INTRODUCTION: EmailKind(
        {MANAGER: MANAGERS}, (*ABOUT_A_PROPOSAL, "asker_name", "asker_email", "asker_message")
    ),
    Kind.SIGN_IN_GUESSED: EmailKind({STAFF: NAMED}, ("failures", "address", "minutes")),
    Kind.DATA_ERASED: EmailKind({ORGANIZER: NAMED}, ("reference", "erased_at")),
    # Reminders claimed by intake and reviews (notifications.reminders)
    Kind.NUDGE: EmailKind({ORGANIZER: PROPOSAL_ORGANIZERS}, (*REMINDER, "nudge_days")),
    Kind.STALE_WARNING: EmailKind({ORGANIZER: PROPOSAL_ORGANIZERS}, (*REMINDER, "stale_days")),
    Kind.STALE_WITHDRAWN: EmailKind({ORGANIZER: PROPOSAL_ORGANIZERS}, (*REMINDER, "propose_link")),
    Kind.DRAFT_REMINDER: EmailKind({ORGANIZER: PROPOSAL_ORGANIZERS}, (*REMINDER, "retention_days")),
    Kind.DRAFT_WARNING: EmailKind({ORGANIZER: PROPOSAL_ORGANIZERS}, (*REMINDER, "retention_days")),
    Kind.ENDED_WARNING: EmailKind({ORGANIZER: PROPOSAL_ORGANIZERS}, REMINDER),
    Kind.DIGEST: EmailKind(
        {REVIEWER: NAMED}, ("to_review", "to_decide", "queue_link", "decide_link", "settings_link")
    ),
    # A listed group's history (notifications.group_plan says which event sends which)
    Kind.GROUP_CHECK_IN: EmailKind({ORGANIZER: GROUP_ORGANIZERS}, (*GROUP_EVENT, *PERSONAL)),
    Kind.GROUP_REMINDER: EmailKind({ORGANIZER: GROUP_ORGANIZERS}, (*GROUP_EVENT, *PERSONAL)),
    Kind.GROUP_LAPSED: EmailKind(
        {ORGANIZER: GROUP_ORGANIZERS, MANAGER: MANAGERS}, (*GROUP_EVENT, *PERSONAL)
    ),
    Kind.GROUP_LAPSED_WARNING: EmailKind({ORGANIZER: GROUP_ORGANIZERS}, (*GROUP_EVENT, *PERSONAL)),
    Kind.GROUP_ARCHIVED: EmailKind(
        {ORGANIZER: GROUP_ORGANIZERS, MANAGER: MANAGERS}, (*GROUP_EVENT, *PERSONAL)
    ),
    Kind.GROUP_ACTIVE: EmailKind(
        {ORGANIZER: GROUP_ORGANIZERS, MANAGER: MANAGERS}, (*GROUP_EVENT, *PERSONAL)
    ),
    Kind.GROUP_HANDOVER: EmailKind({ORGANIZER: NAMED}, (*GROUP_EVENT, *PERSONAL)),
    Kind.GROUP_HANDED_OVER: EmailKind(
        {ORGANIZER: GROUP_ORGANIZERS, MANAGER: MANAGERS}, (*GROUP_EVENT, *PERSONAL)
    ),
    Kind.GROUP_HANDOVER_CANCELLED: EmailKind({ORGANIZER: NAMED}, (*GROUP_EVENT, *PERSONAL)),
    Kind.GROUP_INVITATION: EmailKind({ORGANIZER: NAMED}, (*GROUP_EVENT, *PERSONAL)),
    Kind.GROUP_WELCOME: EmailKind({ORGANIZER: NAMED}, (*GROUP_EVENT, *PERSONAL)),
    Kind.GROUP_ORGANIZER_ADDED: EmailKind({ORGANIZER: GROUP_ORGANIZERS}, (*GROUP_EVENT, *PERSONAL)),
    Kind.GROUP_ORGANIZER_REMOVED: EmailKind(
        {ORGANIZER: GROUP_ORGANIZERS}, (*GROUP_EVENT, *PERSONAL)
    ),
    Kind.GROUP_EDITED: EmailKind({ORGANIZER: GROUP_ORGANIZERS}, (*GROUP_EVENT, *PERSONAL)),
    Kind.GROUP_LINK_BROKEN: EmailKind(
        {ORGANIZER: GROUP_ORGANIZERS, MANAGER: MANAGERS}, (*GROUP_EVENT, *PERSONAL)
    ),
    Kind.GROUP_LINKS: EmailKind({ORGANIZER: NAMED}, ("links", "greeting_name")),
    Kind.GROUP_MESSAGE: EmailKind(
        {ORGANIZER: GROUP_ORGANIZERS}, ("group_name", "sender_name", "sender_email", "message")
    ),
    # Program managers' summaries of groups (notifications.groups)
    Kind.GROUP_DIGEST: EmailKind({MANAGER: MANAGERS}, ("name", "events", "staff_link")),
    Kind.GROUP_NIGHTLY_SUMMARY: EmailKind({MANAGER: MANAGERS}, ("day", "sections", "staff_link")),
    # The system itself (notifications.beat_watch)
    Kind.BEAT_STOPPED: EmailKind({MANAGER: MANAGERS}, ALERT),
    Kind.BEAT_RESUMED: EmailKind({MANAGER: MANAGERS}, ALERT),
}


def email_kind(kind: str) -> EmailKind:
    return KINDS[kind]


def template_name(kind: str) -> str:
    return KINDS[kind].template or str(kind)
