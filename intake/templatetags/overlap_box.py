"""The overlap box while proposing (intake/_overlap_list.html): listed groups, proposals under
review named with their proposers' agreement, and the unnamed ones said once together, with
one "pass my details to staff" link for all of them."""

from django import template

from ..overlap import introduction_token

register = template.Library()


@register.simple_tag
def overlap_box(matches) -> dict:
    groups = [m for m in matches if m.is_group]
    named = [m for m in matches if not m.is_group and m.named]
    unnamed = [m for m in matches if not m.is_group and not m.named]
    return {
        "groups": groups,
        "named": named,
        "unnamed": unnamed,
        "unnamed_token": introduction_token([m.reference for m in unnamed]) if unnamed else "",
    }
