"""Any change to a group, its organizers or the page, wherever it comes from (services, the
admin, a shell), makes cached directory pages stale: this is the one place that says so.
Queryset .update() and bulk_create() send no signals; a service that uses them also saves
the group itself."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .cache import mark_directory_changed
from .models import (
    DirectoryPage,
    GroupContact,
    Meeting,
    MeetingChange,
    Meetup,
    MeetupOrganizer,
    Topic,
)


@receiver(post_save, sender=DirectoryPage)
@receiver(post_save, sender=Meetup)
@receiver(post_delete, sender=Meetup)
@receiver(post_save, sender=MeetupOrganizer)
@receiver(post_delete, sender=MeetupOrganizer)
@receiver(post_save, sender=Meeting)
@receiver(post_delete, sender=Meeting)
@receiver(post_save, sender=MeetingChange)
@receiver(post_delete, sender=MeetingChange)
@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
@receiver(m2m_changed, sender=Meetup.topics.through)
def directory_changed(sender, **kwargs):
    mark_directory_changed()


@receiver(post_save, sender=GroupContact)
@receiver(post_delete, sender=GroupContact)
def contacts_changed(sender, created=False, update_fields=None, **kwargs):
    """A group gaining or losing the people who keep it changes whether its page offers
    "Write to the organizers"; a contact's own bookkeeping (when a link was last sent) does
    not."""
    if created or update_fields is None or "email" in update_fields:
        mark_directory_changed()
