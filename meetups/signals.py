"""Any change to a group, its organizers or the page, wherever it comes from (services, the
admin, a shell), makes cached directory pages stale: this is the one place that says so.
Queryset .update() and bulk_create() send no signals; a service that uses them also saves
the group itself."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .cache import mark_directory_changed
from .models import DirectoryPage, Meeting, MeetingChange, Meetup, MeetupOrganizer, Topic


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
