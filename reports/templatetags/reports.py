from django import template

from ..sentences import shown

register = template.Library()


@register.filter
def figure(value) -> str:
    """A figure as the report writes it: a number, "fewer than 5", or a dash for none."""
    return shown(value)


@register.filter
def add_year(columns: list, heading: str) -> list:
    """The quarters' headings and the year's."""
    return [*columns, heading]
