"""Every sentence the report writes about its figures, in one place: the sections' titles
and summaries. Each count is said with ngettext, so one is "1 time", not "1 times"; a
hidden count ("fewer than 5", "withheld") or a missing one is said in the plural; and a
single year is named once ("In 2026"), never "from 2026 to 2026"."""

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .measures import SUPPRESSED, WITHHELD


def shown(value) -> str:
    """A figure as the page writes it."""
    if value is None:
        return "–"
    if value == SUPPRESSED:
        return _("fewer than 5")
    if value == WITHHELD:
        return _("withheld")
    return number_format(value)


def _n(value) -> int:
    """The number ngettext chooses the form by: the count itself when it is a whole number,
    the plural's (2) for a fraction, a hidden count or none."""
    if isinstance(value, bool):
        return 2
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return 2


def _say(singular: str, plural: str, value) -> str:
    return ngettext(singular, plural, _n(value)) % {"n": shown(value)}


def proposals_title(label: str) -> str:
    return _("Proposals received in %(year)s, by outcome") % {"year": label}


def withheld_note() -> str:
    """What a sentence says instead of a withheld figure."""
    return _(
        "some figures are withheld so that small numbers of declined proposals cannot be worked out"
    )


def _listed(parts: list[str], withheld: bool) -> str:
    """ "a, b and c", then the note when a figure was left out for being withheld."""
    if not parts:
        text = ""
    elif len(parts) == 1:
        text = parts[0]
    else:
        text = _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}
    if withheld:
        return (
            _("%(parts)s (%(note)s)") % {"parts": text, "note": withheld_note()}
            if text
            else (withheld_note())
        )
    return text


def _parts(year: dict, words: list[tuple[str, str]]) -> tuple[list[str], bool]:
    """The parts shown ("1 approved"), leaving out the withheld ones (then True)."""
    parts, withheld = [], False
    for measure, word in words:
        value = year.get(measure)
        if value == WITHHELD:
            withheld = True
        else:
            parts.append(word % {"n": shown(value)})
    return parts, withheld


def proposals_summary(label: str, year: dict) -> str:
    received = year["proposals_received"]
    if received == 0:
        return _("No proposals were received in %(year)s.") % {"year": label}
    parts, withheld = _parts(
        year,
        [
            ("proposals_approved", _("%(n)s approved")),
            ("proposals_declined", _("%(n)s declined")),
            ("proposals_withdrawn", _("%(n)s withdrawn")),
            ("proposals_open", _("%(n)s still under consideration")),
        ],
    )
    if received == WITHHELD:
        return _("In %(year)s the program received proposals: %(parts)s.") % {
            "year": label,
            "parts": _listed(parts, True),
        }
    return ngettext(
        "In %(year)s the program received %(n)s proposal: %(parts)s.",
        "In %(year)s the program received %(n)s proposals: %(parts)s.",
        _n(received),
    ) % {"year": label, "n": shown(received), "parts": _listed(parts, withheld)}


def decisions_title(label: str) -> str:
    return _("Decisions made in %(year)s, by outcome") % {"year": label}


def decisions_summary(label: str, year: dict) -> str:
    made = year["decisions_made"]
    if made == 0:
        return _("Staff made no decisions in %(year)s.") % {"year": label}
    parts, withheld = _parts(
        year,
        [
            (
                "decisions_approved",
                ngettext("%(n)s approval", "%(n)s approvals", _n(year["decisions_approved"])),
            ),
            (
                "decisions_declined",
                ngettext("%(n)s decline", "%(n)s declines", _n(year["decisions_declined"])),
            ),
        ],
    )
    if made == WITHHELD:
        return _(
            "In %(year)s staff made decisions: %(parts)s, whenever the proposals were received."
        ) % {
            "year": label,
            "parts": _listed(parts, True),
        }
    return _(
        "In %(year)s staff made %(made)s: %(parts)s, whenever the proposals were received."
    ) % {
        "year": label,
        "made": _say("%(n)s decision", "%(n)s decisions", made),
        "parts": _listed(parts, withheld),
    }


def replies_title(label: str) -> str:
    return _("Days from submission to first reply and to decision, %(year)s") % {"year": label}


def replies_summary(label: str, year: dict) -> str:
    promised = _say(
        "%(n)s business day", "%(n)s business days", year["promised_reply_business_days"]
    )
    if year.get("proposals_received") == 0:
        return _("No proposals were received in %(year)s.") % {"year": label}
    if year["first_reply_days_median"] is None:
        return _(
            "No proposal received in %(year)s has had a first reply yet; the reply is "
            "promised within %(promised)s."
        ) % {"year": label, "promised": promised}
    share = year["answered_by_promised_date_percent"]
    text = _(
        "Half the proposals received in %(year)s had a first reply within %(median)s "
        "(nine in ten within %(p90)s); the reply is promised within %(promised)s"
    ) % {
        "year": label,
        "median": _say("%(n)s day", "%(n)s days", year["first_reply_days_median"]),
        "p90": _say("%(n)s day", "%(n)s days", year["first_reply_days_p90"]),
        "promised": promised,
    }
    if isinstance(share, int):
        return _("%(text)s, and %(share)s%% were answered by that date.") % {
            "text": text,
            "share": number_format(share),
        }
    return text + "."


def promised_reply_line(promised, calendar_days: int | None = None) -> str:
    """The words of the reply-time chart's line at the promised reply, drawn on an axis of
    calendar days: "Reply promised within about 21 calendar days (15 business days)"."""
    business = _say("%(n)s business day", "%(n)s business days", promised)
    if calendar_days is None:
        return _("Reply promised within %(business)s") % {"business": business}
    return ngettext(
        "Reply promised within about %(n)s calendar day (%(business)s)",
        "Reply promised within about %(n)s calendar days (%(business)s)",
        calendar_days,
    ) % {"n": number_format(calendar_days), "business": business}


def groups_title(label: str) -> str:
    return _("Listed groups at the end of each quarter, %(year)s") % {"year": label}


def groups_summary(label: str, year: dict, today=None) -> str:
    """`today` (a date) for the current year: its figures are today's, not the year's end."""
    when = (
        _("Today (%(day)s)") % {"day": date_format(today, "j F Y")}
        if today
        else _("At the end of %(year)s") % {"year": label}
    )
    return _("%(when)s %(active)s, %(lapsed)s and %(archived)s.") % {
        "when": when,
        "active": _say("%(n)s group was active", "%(n)s groups were active", year["groups_active"]),
        "lapsed": _say(
            "%(n)s not confirmed recently", "%(n)s not confirmed recently", year["groups_lapsed"]
        ),
        "archived": _say("%(n)s archived", "%(n)s archived", year["groups_archived"]),
    }


def nothing_to_show(label: str) -> str:
    """What stands instead of a chart with no figure above 0."""
    return _("Nothing to show for %(year)s.") % {"year": label}


def upkeep_title(label: str) -> str:
    return _("Check-ins and web addresses, %(year)s") % {"year": label}


def upkeep_summary(label: str, year: dict) -> str:
    return _(
        "In %(year)s groups were asked to check in %(opened)s and answered %(answered)s; "
        "the weekly check found %(broken)s broken and %(mended)s working again."
    ) % {
        "year": label,
        "opened": _say("%(n)s time", "%(n)s times", year["check_ins_opened"]),
        "answered": _say("%(n)s time", "%(n)s times", year["check_ins_answered"]),
        "broken": _say("%(n)s web address", "%(n)s web addresses", year["links_found_broken"]),
        "mended": shown(year["links_mended"]),
    }


def years_title(first: str, last: str) -> str:
    if first == last:
        return _("Proposals received and approved in %(year)s") % {"year": last}
    return _("Proposals received and approved each year, %(first)s to %(last)s") % {
        "first": first,
        "last": last,
    }


def years_summary(first: str, last: str, received: list) -> str:
    if not all(isinstance(n, int) for n in received):
        shown_total = sum(n for n in received if isinstance(n, int))
        return _(
            "From %(first)s to %(last)s the program received at least %(total)s proposals "
            "(%(note)s)."
        ) % {
            "first": first,
            "last": last,
            "total": number_format(shown_total),
            "note": withheld_note(),
        }
    total, latest = sum(received), received[-1]
    if first == last:
        return ngettext(
            "In %(year)s the program received %(total)s proposal.",
            "In %(year)s the program received %(total)s proposals.",
            total,
        ) % {"year": last, "total": number_format(total)}
    return ngettext(
        "From %(first)s to %(last)s the program received %(total)s proposal in all, "
        "%(latest)s of them in %(last)s.",
        "From %(first)s to %(last)s the program received %(total)s proposals in all, "
        "%(latest)s of them in %(last)s.",
        total,
    ) % {
        "first": first,
        "last": last,
        "total": number_format(total),
        "latest": number_format(latest),
    }
