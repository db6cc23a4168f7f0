"""A scripted history with a controlled clock, across a year boundary and a daylight-saving
change (America/New_York: clocks go forward on 2025-03-09, back on 2025-11-02), and the
figures of calendar year 2025 computed from it by hand (test_figures.py)."""

from accounts.roles import Actor, staff_actor
from common.actors import ORGANIZER
from intake import services as intake
from meetups import lifecycle, linkcheck, nightly
from meetups.linkcheck import Outcome
from tests import factories
from tests.meetups.helpers import set_lifecycle_days

from .clock import install, local

MANAGER_NOTE = "Please say more about your audience."


def _step(proposal, name, clock, when):
    clock.set(when)
    manager = factories.staff_user(role="manager")
    actor = {
        "submit": Actor.organizer_link(),
        "resubmit": Actor.organizer_link(),
        "withdraw": Actor.organizer_link(),
        "complete_review": Actor.automatic(),
    }.get(name, staff_actor(manager))
    note = MANAGER_NOTE if name in ("request_changes", "decline") else ""
    return intake.run_transition(proposal=proposal, name=name, actor=actor, note=note)


def _proposal(clock, steps):
    clock.set(steps[0][1])
    proposal, _token = factories.draft()
    for name, when in steps:
        proposal = _step(proposal, name, clock, when)
    return proposal


def script(monkeypatch, settings):
    """Build the history; returns the clock, left at 2026-02-01 noon, and the named rows."""
    settings.TIME_ZONE = "America/New_York"
    settings.REVIEW_DAYS = 15
    settings.REVIEW_CLOSURE_DATES = []
    settings.LINK_CHECK_FAILURES = 1
    set_lifecycle_days(settings)
    clock = install(monkeypatch, local(2024, 6, 1))
    made = {}

    # Groups: G1 and G2 listed in 2024 (check-ins due 2025-06-01 and 2025-09-01).
    made["g1"] = factories.meetup(name="Group One", created_at=local(2024, 6, 1))
    clock.set(local(2024, 9, 1))
    made["g2"] = factories.meetup(name="Group Two", created_at=local(2024, 9, 1))

    # P1, Q1: changes asked after 2 days, resubmitted, approved after 21 days (lists G4).
    made["p1"] = _proposal(
        clock,
        [
            ("submit", local(2025, 1, 6, 10)),
            ("request_changes", local(2025, 1, 8, 10)),
            ("resubmit", local(2025, 1, 15, 10)),
            ("complete_review", local(2025, 1, 20, 10)),
            ("approve", local(2025, 1, 27, 10)),
        ],
    )
    clock.set(local(2025, 2, 1))
    made["g3"] = factories.meetup(name="Group Three", created_at=local(2025, 2, 1))
    # P3, Q1: declined after 25 days, past its promised date (2025-02-24).
    made["p3"] = _proposal(
        clock, [("submit", local(2025, 2, 3, 9)), ("decline", local(2025, 2, 28, 9))]
    )
    # P2, Q1: sent late on a Friday before the clocks go forward; answered 71 hours later,
    # on the third calendar day; declined 13 days after it was sent.
    made["p2"] = _proposal(
        clock,
        [
            ("submit", local(2025, 3, 7, 23, 30)),
            ("complete_review", local(2025, 3, 10, 0, 30)),
            ("decline", local(2025, 3, 20, 15)),
        ],
    )
    # Link check: G3's address breaks in April and works again in July.
    broken_url = made["g3"].url

    def fetch(url, *, timeout=None):
        return Outcome(status_code=404 if url == broken_url and broken[0] else 200)

    broken = [True]
    monkeypatch.setattr(linkcheck, "fetch", fetch)
    clock.set(local(2025, 4, 7, 4))
    linkcheck.check_links(now=clock())
    # The yearly check-ins: G1's opens in May (Q2) and lapses in August (Q3).
    clock.set(local(2025, 5, 2))
    nightly.run_pass(now=clock())
    # P4, Q2: withdrawn the next day, never answered.
    made["p4"] = _proposal(
        clock, [("submit", local(2025, 5, 5, 9)), ("withdraw", local(2025, 5, 6, 9))]
    )
    broken[0] = False
    clock.set(local(2025, 7, 7, 4))
    linkcheck.check_links(now=clock())
    # P6, Q3: never answered (due 2025-08-25).
    made["p6"] = _proposal(clock, [("submit", local(2025, 8, 4, 9))])
    clock.set(local(2025, 8, 1))
    nightly.run_pass(now=clock())  # G1 lapses
    clock.set(local(2025, 8, 5))
    nightly.run_pass(now=clock())  # G2's check-in opens
    # G1's organizers check in during Q4, after the clocks went back.
    clock.set(local(2025, 11, 3, 9))
    lifecycle.run_transition(meetup=made["g1"], name="check_in", actor=ORGANIZER)
    clock.set(local(2025, 11, 5))
    nightly.run_pass(now=clock())  # G2 lapses
    clock.set(local(2025, 11, 20))
    lifecycle.run_transition(
        meetup=made["g3"],
        name="archive",
        actor=staff_actor(factories.staff_user(role="manager")),
    )
    # P5, Q4: sent in the last days of 2025, answered and approved in January 2026.
    made["p5"] = _proposal(
        clock,
        [
            ("submit", local(2025, 12, 29, 9)),
            ("complete_review", local(2026, 1, 5, 9)),
            ("approve", local(2026, 1, 12, 9)),
        ],
    )
    # A draft never sent: in no figure.
    clock.set(local(2025, 12, 30))
    made["draft"], _token = factories.draft()
    clock.set(local(2026, 2, 1))
    return clock, made


# Calendar year 2025, by hand (see each proposal and group above):
# - received: Q1 P1, P2, P3; Q2 P4; Q3 P6; Q4 P5.
# - at the year's end: P1 approved, P2 and P3 declined, P4 withdrawn, P5 and P6 open.
# - first reply, days: P1 2, P2 3 (71 hours, across the change), P3 25: median 3, p90 25.
# - decision, days: P1 21, P2 13, P3 25: median 21, p90 25.
# - by the promised date (15 business days): P1 yes (due 01-27), P2 yes (due 03-28), P3 no
#   (due 02-24); P4 not counted (withdrawn unanswered); P6 no (due 08-25, unanswered);
#   P5 not counted (due 2026-01-19). Q1 2 of 3 = 67%; Q3 0 of 1; year 2 of 4 = 50%.
# - groups at each quarter's end: G1, G2, G3 and G4 (listed with P1's approval, 01-27):
#   Q1 4 active; Q2 4 active (G1's check-in open counts as active); Q3 G1 lapsed, 3 active;
#   Q4 G1 active again, G2 lapsed, G3 archived: 2 active.
# - check-ins asked: Q2 G1, Q3 G2; answered: Q4 G1. Links: broken Q2, working again Q3.
EXPECTED_2025 = {
    "proposals_received": [3, 1, 1, 1, 6],
    "proposals_approved": [1, 0, 0, 0, 1],
    "proposals_declined": [2, 0, 0, 0, 2],
    "proposals_withdrawn": [0, 1, 0, 0, 1],
    "proposals_open": [0, 0, 1, 1, 2],
    "first_reply_days_median": [3, None, None, None, 3],
    "first_reply_days_p90": [25, None, None, None, 25],
    "decision_days_median": [21, None, None, None, 21],
    "decision_days_p90": [25, None, None, None, 25],
    "promised_reply_business_days": [15, 15, 15, 15, 15],
    "answered_by_promised_date_percent": [67, None, 0, None, 50],
    "groups_active": [4, 4, 3, 2, 2],
    "groups_lapsed": [0, 0, 1, 1, 1],
    "groups_archived": [0, 0, 0, 1, 1],
    "check_ins_opened": [0, 1, 1, 0, 2],
    "check_ins_answered": [0, 0, 0, 1, 1],
    "links_found_broken": [0, 1, 0, 0, 1],
    "links_mended": [0, 0, 1, 0, 1],
    # Decisions made in the year, whenever the proposal was received: P1 approved, P3 and
    # P2 declined, all in Q1 (P5's approval, in January 2026, is 2026's).
    "decisions_made": [3, 0, 0, 0, 3],
    "decisions_approved": [1, 0, 0, 0, 1],
    "decisions_declined": [2, 0, 0, 0, 2],
}
QUARTERS = ["Q1", "Q2", "Q3", "Q4", "year"]
# Hidden in public (reports.suppression): the counts 1 to 4 that could point at a person
# read "fewer than 5" (Q1's two declined proposals, Q2's one withdrawn, the year's, Q1's two
# declines and the year's); every figure hidden with them reads "withheld", whatever it is.
# Q2 received 1 and every other outcome of Q2 is 0: only its total (and the year's, else the
# quarters would give it back) can hide that the one was withdrawn. Q1's declined take Q1's
# withdrawn (0) with them: approvals are hidden last. Q1's declines take the decisions
# made with them (less the approvals of the proposals received it would give them back).
HIDDEN_2025 = {
    ("Q1", "proposals_declined"): "fewer than 5",
    ("Q1", "proposals_withdrawn"): "withheld",
    ("Q2", "proposals_received"): "withheld",
    ("Q2", "proposals_withdrawn"): "fewer than 5",
    ("year", "proposals_declined"): "fewer than 5",
    ("year", "proposals_received"): "withheld",
    ("year", "proposals_withdrawn"): "fewer than 5",
    ("Q1", "decisions_declined"): "fewer than 5",
    ("Q1", "decisions_made"): "withheld",
    ("year", "decisions_declined"): "fewer than 5",
    ("year", "decisions_made"): "withheld",
}
