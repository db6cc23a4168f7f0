"""Templates ask the object (`proposal.is_draft`, `group.is_lapsed`, `event.is_detail_change`)
instead of comparing a state or a kind to a string: the values live in the choices, and the
questions on the model, so a renamed or regrouped state cannot leave a page silently wrong.

The scanner reads every template (the project's templates/ and each project app's own) and
flags, in any {% ... %} tag, a state- or kind-like name compared with ==, !=, in or not in
to a string literal, or to a name a {% with %} (or an include's `with`) set to one."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# Names whose values are choices: a proposal's state, a group's lifecycle, a history or
# meeting change kind, an email's status, a review's recommendation, a comment's
# visibility, why a private link ended, a meeting's repeat rule. Any part of a dotted
# name counts (`event.kind`, `proposal.get_state_display`, `kind`).
CHOICE_LIKE = re.compile(r"state|lifecycle|kind|status|recommendation|visibility|ended|repeat")

TAG = re.compile(r"\{%(.*?)%\}", re.S)
LITERAL = r"(?:\"[^\"]*\"|'[^']*')"
# A variable, with any filters (`event.kind|lower`, `x|default:"y"`).
VARIABLE = rf"[A-Za-z_][\w.]*(?:\|\w+(?::(?:{LITERAL}|[\w.]+))?)*"
OPERATOR = r"(?:==|!=|\bnot\s+in\b|\bin\b)"
VARIABLE_THEN_LITERAL = re.compile(
    rf"(?<![\w.\"'])(?P<variable>{VARIABLE})\s*(?P<operator>{OPERATOR})\s*(?P<other>{LITERAL})"
)
LITERAL_THEN_VARIABLE = re.compile(
    rf"(?P<other>{LITERAL})\s*(?P<operator>{OPERATOR})\s*(?P<variable>{VARIABLE})"
)
VARIABLE_THEN_NAME = re.compile(
    rf"(?<![\w.\"'])(?P<variable>{VARIABLE})\s*(?P<operator>{OPERATOR})\s*(?P<other>\w+)\b(?![.|])"
)
NAME_THEN_VARIABLE = re.compile(
    rf"(?<![\w.\"'])(?P<other>\w+)\s*(?P<operator>{OPERATOR})\s*(?P<variable>{VARIABLE})"
)
# `{% with draft="draft" %}`, `{% include "x.html" with kind='edit' %}`
WITH_LITERAL = re.compile(rf"(\w+)\s*=\s*{LITERAL}")


def _choice_like(variable: str) -> bool:
    return any(CHOICE_LIKE.search(part) for part in variable.split("|")[0].split("."))


def comparisons(text: str) -> list[tuple[int, str]]:
    """(line, tag) of each comparison of a choice-like name to a string in a template."""
    tags = [(match.start(), match.group(1)) for match in TAG.finditer(text)]
    literal_names = {
        name
        for _start, tag in tags
        if re.match(r"\s*(with|include)\b", tag)
        for name in WITH_LITERAL.findall(tag)
    }
    found = []
    for start, tag in tags:
        if not re.match(r"\s*(if|elif)\b", tag):
            continue
        hits = [
            match
            for pattern in (VARIABLE_THEN_LITERAL, LITERAL_THEN_VARIABLE)
            for match in pattern.finditer(tag)
        ] + [
            match
            for pattern in (VARIABLE_THEN_NAME, NAME_THEN_VARIABLE)
            for match in pattern.finditer(tag)
            if match.group("other") in literal_names
        ]
        if any(_choice_like(match.group("variable")) for match in hits):
            found.append((text.count("\n", 0, start) + 1, "{%" + tag + "%}"))
    return found


def template_dirs() -> list[Path]:
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    dirs += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
    ]
    return sorted({d.resolve() for d in dirs if d.is_dir()})


def template_files() -> list[Path]:
    return sorted(path for d in template_dirs() for path in d.rglob("*") if path.is_file())


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_template_compares_a_state_or_kind_to_a_string():
    found = [
        f"{_name(path)}:{line}: {tag}"
        for path in template_files()
        for line, tag in comparisons(path.read_text(encoding="utf-8"))
    ]
    assert not found, (
        "Ask the object instead (a property on the model, from the choices' groups):\n"
        + "\n".join(found)
    )


def test_the_scan_reads_every_app_template():
    names = {_name(path) for path in template_files()}
    assert "templates/intake/status.html" in names
    assert "templates/notifications/email/group_archived_manager.txt" in names
    assert len(names) > 100


PLANTED = [
    '{% if proposal.state == "draft" %}',
    "{% if event.kind == 'edit' or event.kind == 'revert' %}",
    '{% elif meetup.lifecycle != "archived" %}',
    '{% if group.lifecycle in "lapsed check_in_due" %}',
    '{% if change.kind not in "moved" %}',
    '{% if "approved" == proposal.state %}',
    '{% if n.status|lower == "failed" %}',
    '{% if proposal.get_state_display == "Draft" %}',
    '{% if review.recommendation == "approve" %}',
    '{% if comment.visibility != "shared" %}',
    '{% if kind == "group_check_in" %}',
    '{% if link.ended == "erased" %}',
    '{% with edit="edit" %}{% if event.kind == edit %}x{% endif %}{% endwith %}',
    '{% include "x.html" with wanted="lapsed" %}{% if wanted == group.lifecycle %}{% endif %}',
]


@pytest.mark.parametrize("template", PLANTED)
def test_the_scan_catches_a_planted_comparison(template):
    comparing = next(tag for tag in TAG.findall(template) if re.match(r"\s*(if|elif)", tag))
    assert comparisons("<p>\n" + template) == [(2, "{%" + comparing + "%}")]


NOT_COMPARISONS = [
    "{% if proposal.is_draft %}",
    "{% if event.is_detail_change %}",
    '{% if request.path == "/guidelines/" %}',
    "{% if filters.state == row.state %}",
    "{% if state == value %}",
    "{% if entry.kind %}{{ entry.kind }}: {% endif %}",
    '{% if proposal.is_draft %}{{ "draft" }}{% endif %}',
    '{% with label="Draft" %}{% if label == heading %}{% endif %}{% endwith %}',
    '{% url "meetups:staff_transition" slug=meetup.slug name="extend" %}',
]


@pytest.mark.parametrize("template", NOT_COMPARISONS)
def test_the_scan_lets_other_comparisons_be(template):
    assert comparisons(template) == []
