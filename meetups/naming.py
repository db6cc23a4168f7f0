"""How groups and their people are named and written: comparing group names, the public
roles, and the organizers' line ("A and B, Co-organizers") that the directory shows and the
listing page holds. Models and the listing page both use it, so it imports neither."""

from django.db import models


def normalize_name(name: str) -> str:
    """Names compare without case, extra spaces or trailing punctuation."""
    return " ".join(name.casefold().split()).strip(" .")


class Role(models.TextChoices):
    """The public role of a person shown with a group. Stored singular; the directory and the
    exported page say "Co-organizers" when several people share the role, as the page does."""

    ORGANIZER = "Organizer", "Organizer"
    CO_ORGANIZER = "Co-organizer", "Co-organizer"
    CONVENER = "Convener", "Convener"


ROLE_PLURALS = {
    Role.ORGANIZER: "Organizers",
    Role.CO_ORGANIZER: "Co-organizers",
    Role.CONVENER: "Conveners",
}


def group_by_role(people: list[tuple[str, str]]) -> list[tuple[list[str], str]]:
    """Consecutive people with the same role, with the label as the page writes it:
    singular for one person, plural for several."""
    runs: list[tuple[list[str], str]] = []
    for name, role in people:
        if runs and runs[-1][1] == role:
            runs[-1][0].append(name)
        else:
            runs.append(([name], role))
    return [
        (names, role if len(names) == 1 else ROLE_PLURALS.get(role, role + "s"))
        for names, role in runs
    ]


def join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def format_organizers(people: list[tuple[str, str]]) -> str:
    """[(name, role)] back into the page's line: "Lisa Chow and Sandra Sajonas, Co-organizers"."""
    return "; ".join(f"{join_names(names)}, {label}" for names, label in group_by_role(people))
