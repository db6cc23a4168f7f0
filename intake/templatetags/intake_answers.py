"""The answers to staff-managed questions, for templates that show a proposal's answers."""

from django import template

from intake.questions import answers_for_display

register = template.Library()


@register.simple_tag
def proposal_answers(proposal):
    """{% proposal_answers proposal as answers %}: answers.about, answers.meetings, ..."""
    return answers_for_display(proposal)
