from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save

from common import jobs as timed_jobs


class MeetupsConfig(AppConfig):
    name = "meetups"
    verbose_name = "Listed groups"

    def ready(self):
        # Models are loaded only once the apps are ready (Django's rule for ready()).
        from . import jobs, signals, tasks  # noqa: F401  (tasks: the beat tasks)
        from .models import (
            DirectoryPage,
            GroupContact,
            Meeting,
            MeetingChange,
            Meetup,
            MeetupOrganizer,
            Topic,
        )

        post_save.connect(
            signals.directory_changed, sender=DirectoryPage, dispatch_uid="meetups.page-saved"
        )
        for model in (Meetup, MeetupOrganizer, Meeting, MeetingChange, Topic):
            label = model._meta.model_name
            post_save.connect(
                signals.directory_changed, sender=model, dispatch_uid=f"meetups.{label}-saved"
            )
            post_delete.connect(
                signals.directory_changed, sender=model, dispatch_uid=f"meetups.{label}-deleted"
            )
        m2m_changed.connect(
            signals.directory_changed,
            sender=Meetup.topics.through,
            dispatch_uid="meetups.topics-changed",
        )
        post_save.connect(
            signals.contacts_changed, sender=GroupContact, dispatch_uid="meetups.contact-saved"
        )
        post_delete.connect(
            signals.contacts_changed, sender=GroupContact, dispatch_uid="meetups.contact-deleted"
        )
        timed_jobs.register(*jobs.JOBS)
