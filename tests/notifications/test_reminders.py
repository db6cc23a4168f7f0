"""Nudges, automatic withdrawal and draft deletion, with a controlled clock: each happens on
its day, with its warning a week before, once however often beat fires, and all of it is in
the history and the outbox."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from intake import services as intake_services
from intake.models import AccessLink, Organizer, Proposal, Reminder, ReminderKind, State
from notifications.delivery import build_email
from notifications.models import Kind, Notification, Status
from notifications.recording import record_access_links
from reviews import jobs as review_jobs
from reviews.models import Comment, Visibility
from tests import factories

DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)


def run(at):
    """One beat run at time `at`."""
    return review_jobs.send_reminders(now=at)


def kinds(proposal_or_reference) -> list[str]:
    reference = getattr(proposal_or_reference, "reference", proposal_or_reference)
    return list(Reminder.objects.filter(reference=reference).values_list("kind", flat=True))


def emails(proposal, kind) -> list[Notification]:
    return list(Notification.objects.filter(proposal=proposal, kind=kind).order_by("pk"))


def read(notification) -> str:
    """The email as the recipient gets it (private links made), text part."""
    return build_email(notification).body


@pytest.fixture
def reminder_settings(settings):
    settings.NUDGE_DAYS = 14
    settings.STALE_WITHDRAW_DAYS = 60
    settings.DRAFT_REMINDER_DAYS = 30
    settings.DRAFT_RETENTION_DAYS = 90
    settings.PROGRAM_NAME = "METRO Meetups"
    settings.PROGRAM_CONTACT_EMAIL = "meetups@metro.example.org"
    return settings


# Proposals waiting for changes


@pytest.mark.django_db
def test_nudge_warning_and_withdrawal_each_on_their_day_once(reminder_settings):
    staff = factories.staff_user(role="reviewer")
    proposal, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    organizers = list(proposal.organizers.all())
    t0 = proposal.updated_at

    assert run(t0 + 14 * DAY - MINUTE)[ReminderKind.NUDGE] == 0
    assert kinds(proposal) == []

    run(t0 + 14 * DAY + MINUTE)
    run(t0 + 14 * DAY + 2 * MINUTE)  # beat fires twice: nothing more
    assert kinds(proposal) == [ReminderKind.NUDGE]
    nudges = emails(proposal, Kind.NUDGE)
    assert sorted(n.recipient for n in nudges) == sorted(o.email for o in organizers)
    first = next(n for n in nudges if n.recipient == organizers[0].email)
    text = read(first)
    assert text.startswith(f"Hello {organizers[0].name},")
    assert proposal.reference in first.subject and first.subject.startswith("METRO Meetups: ")
    assert "/proposals/" in text and "/edit/" in text  # a working private link to act on
    withdraw_on = timezone.localdate(t0 + 60 * DAY)
    assert f"If we hear nothing by {withdraw_on:%A %-d %B %Y}" in text
    assert "meetups@metro.example.org" in text and "METRO Meetups" in text

    run(t0 + 52 * DAY)
    assert kinds(proposal) == [ReminderKind.NUDGE]

    run(t0 + 53 * DAY + MINUTE)
    run(t0 + 53 * DAY + MINUTE)
    assert kinds(proposal) == [ReminderKind.NUDGE, ReminderKind.STALE_WARNING]
    warnings = emails(proposal, Kind.STALE_WARNING)
    assert len(warnings) == len(organizers)
    assert f"On {withdraw_on:%A %-d %B %Y} the proposal will be withdrawn" in read(warnings[0])
    assert Proposal.objects.get(pk=proposal.pk).state == State.CHANGES_REQUESTED

    run(t0 + 60 * DAY - MINUTE)
    assert Proposal.objects.get(pk=proposal.pk).state == State.CHANGES_REQUESTED

    done = run(t0 + 60 * DAY + MINUTE)
    assert done["withdrawn"] == 1
    assert run(t0 + 60 * DAY + 2 * MINUTE)["withdrawn"] == 0
    proposal.refresh_from_db()
    assert proposal.state == State.WITHDRAWN
    # The history: one automatic withdrawal, with the reason.
    record = proposal.transitions.get(transition="withdraw")
    assert record.actor_label == "Automatic" and record.actor is None
    assert "did not answer the request for changes in 60 days" in record.note
    assert kinds(proposal) == [
        ReminderKind.NUDGE,
        ReminderKind.STALE_WARNING,
        ReminderKind.STALE_WITHDRAWN,
    ]
    # The outbox: the organizers are told, and the reviewers get the usual withdrawal email.
    told = emails(proposal, Kind.STALE_WITHDRAWN)
    assert sorted(n.recipient for n in told) == sorted(o.email for o in organizers)
    assert "was withdrawn, because we had no answer" in read(told[0])
    usual = emails(proposal, Kind.WITHDRAWN)
    assert staff.email in [n.recipient for n in usual]
    assert "withdrawn automatically" in usual[0].body_text
    assert "The organizers withdrew" not in usual[0].body_text


@pytest.mark.django_db
def test_no_withdrawal_without_a_weeks_warning(reminder_settings):
    """Beat was stopped for months: the first run only warns; the withdrawal waits a week."""
    proposal, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    t0 = proposal.updated_at
    late = t0 + 100 * DAY
    run(late)
    assert kinds(proposal) == [ReminderKind.STALE_WARNING]
    warning = Reminder.objects.get(reference=proposal.reference)
    assert warning.action_on == timezone.localdate(late + 7 * DAY)
    run(late + 7 * DAY - MINUTE)
    assert Proposal.objects.get(pk=proposal.pk).state == State.CHANGES_REQUESTED
    run(late + 7 * DAY)
    assert Proposal.objects.get(pk=proposal.pk).state == State.WITHDRAWN


@pytest.mark.django_db
def test_an_organizers_message_restarts_the_clock(reminder_settings):
    proposal, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    t0 = proposal.updated_at
    Comment.objects.create(
        proposal=proposal,
        by_organizers=True,
        visibility=Visibility.SHARED,
        body="We are asking our director; give us a few weeks.",
        created_at=t0 + 10 * DAY,
    )
    run(t0 + 15 * DAY)
    assert kinds(proposal) == []
    run(t0 + 24 * DAY + MINUTE)
    assert kinds(proposal) == [ReminderKind.NUDGE]
    run(t0 + 61 * DAY)  # 60 days from the request, 51 from their message: not yet
    assert Proposal.objects.get(pk=proposal.pk).state == State.CHANGES_REQUESTED


@pytest.mark.django_db
def test_resubmitted_or_other_proposals_are_left_alone(reminder_settings):
    resubmitted, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    intake_services.submit_for_review(proposal=resubmitted)
    others = [factories.proposal_in_state(s)[0] for s in (State.SUBMITTED, State.REVIEWED)]
    run(timezone.now() + 200 * DAY)
    for proposal in (resubmitted, *others):
        assert kinds(proposal) == []
        assert Proposal.objects.get(pk=proposal.pk).state != State.WITHDRAWN


# Drafts


@pytest.mark.django_db
def test_draft_reminder_warning_and_deletion_on_their_days(reminder_settings):
    draft, _ = factories.draft()
    organizers = list(draft.organizers.all())
    t0 = draft.updated_at

    run(t0 + 30 * DAY - MINUTE)
    assert kinds(draft) == []
    run(t0 + 30 * DAY + MINUTE)
    run(t0 + 30 * DAY + MINUTE)
    assert kinds(draft) == [ReminderKind.DRAFT_REMINDER]
    reminder = emails(draft, Kind.DRAFT_REMINDER)
    assert len(reminder) == len(organizers)
    text = read(reminder[0])
    assert text.startswith(f"Hello {organizers[0].name},")
    assert "/edit/" in text and "not been submitted" in text
    delete_on = timezone.localdate(t0 + 90 * DAY)
    assert f"this one will be deleted on {delete_on:%A %-d %B %Y}" in text
    assert "meetups@metro.example.org" in text

    run(t0 + 83 * DAY + MINUTE)
    run(t0 + 83 * DAY + MINUTE)
    assert kinds(draft) == [ReminderKind.DRAFT_REMINDER, ReminderKind.DRAFT_WARNING]
    warning = emails(draft, Kind.DRAFT_WARNING)
    assert len(warning) == len(organizers)
    assert f"On {delete_on:%A %-d %B %Y} it will be deleted" in read(warning[0])

    run(t0 + 90 * DAY - MINUTE)
    assert Proposal.objects.filter(pk=draft.pk).exists()
    assert run(t0 + 90 * DAY + MINUTE)["deleted"] == 1
    assert not Proposal.objects.filter(pk=draft.pk).exists()
    assert run(t0 + 90 * DAY + 2 * MINUTE)["deleted"] == 0
    # The history keeps what happened, by reference only.
    assert kinds(draft.reference) == [
        ReminderKind.DRAFT_REMINDER,
        ReminderKind.DRAFT_WARNING,
        ReminderKind.DRAFT_DELETED,
    ]
    assert not Reminder.objects.filter(reference=draft.reference, proposal__isnull=False).exists()


@pytest.mark.django_db
def test_deleting_a_draft_leaves_none_of_its_personal_data(reminder_settings):
    draft, token = factories.draft(
        organizer_emails=["ines.alvarez@example.org", "kofi@example.org"],
        description="Our members share notes on a very particular project (unique text).",
    )
    names = [o.name for o in draft.organizers.all()]
    t0 = draft.updated_at
    run(t0 + 30 * DAY)  # reminder emails, marked sent
    Notification.objects.filter(proposal=draft).update(status=Status.SENT)
    run(t0 + 83 * DAY)  # warning emails: one pending, one failed
    failed = Notification.objects.filter(proposal=draft, kind=Kind.DRAFT_WARNING).first()
    Notification.objects.filter(pk=failed.pk).update(status=Status.FAILED)
    # "Find my proposals" emails name the draft by its link: one sent, one pending.
    sent_links = record_access_links(email="ines.alvarez@example.org", proposals=[draft])[0]
    Notification.objects.filter(pk=sent_links.pk).update(status=Status.SENT)
    record_access_links(email="ines.alvarez@example.org", proposals=[draft])
    other, _ = factories.draft(organizer_emails=["someone@example.org", "else@example.org"])
    sent_before = Notification.objects.filter(status=Status.SENT).count()

    run(t0 + 90 * DAY + MINUTE)

    assert not Proposal.objects.filter(pk=draft.pk).exists()
    assert not Organizer.objects.filter(proposal_id=draft.pk).exists()
    assert not AccessLink.objects.filter(proposal_id=draft.pk).exists()
    assert intake_services.proposal_for_token(token) is None
    # Sent emails stay counted, blanked; unsent ones are gone.
    assert Notification.objects.filter(status=Status.SENT).count() == sent_before
    assert not Notification.objects.filter(
        recipient__in=["ines.alvarez@example.org", "kofi@example.org"]
    ).exists()
    blanked = Notification.objects.filter(recipient="")
    assert blanked.count() == 3  # two reminders and one "find my proposals" email
    assert all(n.body_text == n.body_html == "" and n.proposal_id is None for n in blanked)
    # Nowhere in the database: not the addresses, names, answers or private links.
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    dump = dump.getvalue()
    for value in ("ines.alvarez@example.org", "kofi@example.org", *names, draft.description):
        assert value not in dump
    assert f"@@private-link:{draft.pk}:" not in dump
    assert draft.reference in dump  # the history, by reference
    # Someone else's draft is untouched.
    assert Proposal.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_editing_a_draft_restarts_its_clock(reminder_settings):
    draft, _ = factories.draft()
    t0 = draft.updated_at
    run(t0 + 83 * DAY)
    assert kinds(draft) == [ReminderKind.DRAFT_WARNING]
    # The organizers open it and save it (after the warning, in real time: now).
    intake_services.update_draft(
        proposal=draft,
        content=factories.proposal_content(name=draft.name),
        organizers=factories.organizers(),
    )
    # ... on day 85 of the test's clock (the save stamped the real time).
    edited = t0 + 85 * DAY
    Proposal.objects.filter(pk=draft.pk).update(updated_at=edited)
    run(t0 + 95 * DAY)
    assert Proposal.objects.filter(pk=draft.pk).exists()
    run(edited + 30 * DAY + MINUTE)
    assert sorted(kinds(draft)) == [ReminderKind.DRAFT_REMINDER, ReminderKind.DRAFT_WARNING]


@pytest.mark.django_db
def test_submitted_and_withdrawn_drafts_are_never_deleted(reminder_settings):
    submitted, _ = factories.proposal_in_state(State.SUBMITTED)
    withdrawn, _ = factories.proposal_in_state(State.WITHDRAWN)
    much_later = timezone.now() + 400 * DAY
    run(much_later)
    run(much_later + 8 * DAY)
    assert Proposal.objects.filter(pk__in=[submitted.pk, withdrawn.pk]).count() == 2


@pytest.mark.django_db
def test_staff_see_the_reminders_in_the_proposals_history(reminder_settings, client):
    proposal, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    t0 = proposal.updated_at
    run(t0 + 15 * DAY)
    run(t0 + 54 * DAY)
    run(t0 + 61 * DAY + MINUTE)
    client.force_login(factories.staff_user(role="reviewer"))
    html = client.get(f"/reviews/{proposal.reference}/").content.decode()
    history = html[html.index('id="history"') :]
    assert "<strong>Withdrawn automatically</strong>:" in history  # a sentence (issue 13)
    assert "did not answer the request for changes in 60 days" in history
    for label in (
        "Reminder to answer a request for changes",
        "Warning before automatic withdrawal",
        "Withdrawn after no answer",
    ):
        assert f"<strong>{label}</strong>" in history


@pytest.mark.django_db
def test_organizers_see_the_automatic_withdrawal_on_their_page(reminder_settings, client):
    proposal, token = factories.proposal_in_state(State.CHANGES_REQUESTED)
    t0 = proposal.updated_at
    run(t0 + 54 * DAY)
    run(t0 + 61 * DAY + MINUTE)
    html = client.get(f"/proposals/{token}/").content.decode()
    assert "<strong>Withdrawn</strong> by the system" in html
    assert "did not answer the request for changes in 60 days" in html
