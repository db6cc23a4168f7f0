"""Any change to a group, its organizers or the page, wherever it comes from (services, the
admin, a shell), makes cached directory pages stale: this is the one place that says so.
Queryset .update() and bulk_create() send no signals; a service that uses them also saves
the group itself."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .cache import mark_directory_changed
from .models import DirectoryPage, Meetup, MeetupOrganizer


@receiver(post_save, sender=DirectoryPage)
@receiver(post_save, sender=Meetup)
@receiver(post_delete, sender=Meetup)
@receiver(post_save, sender=MeetupOrganizer)
@receiver(post_delete, sender=MeetupOrganizer)
def directory_changed(sender, **kwargs):
    mark_directory_changed()
