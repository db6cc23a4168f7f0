"""The home page, the guidelines and the empty proposal form are served from meetups.cache
(shared_page, shared_form_page), keyed on the directory's version; an edit of a program page
or of a staff-managed question (in the admin, a shell, a migration) moves that version, so
it shows at once in this process and within a second in others."""

from django.db.models.signals import post_delete, post_save

from meetups.cache import mark_directory_changed

from .models import ProgramPage, Question


def page_content_changed(sender, **kwargs):
    mark_directory_changed()


def connect() -> None:
    for model in (ProgramPage, Question):
        label = model._meta.label_lower
        post_save.connect(page_content_changed, sender=model, dispatch_uid=f"{label}-saved")
        post_delete.connect(page_content_changed, sender=model, dispatch_uid=f"{label}-deleted")
