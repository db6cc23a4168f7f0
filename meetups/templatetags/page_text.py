"""The `page_text` filter: staff-edited text as safe HTML, through the one renderer
(common.text) that every page with such text uses."""

from django import template

from common.text import render_page_text

register = template.Library()
register.filter("page_text", render_page_text)
