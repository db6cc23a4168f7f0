"""Any change to a group or its organizers, wherever it comes from (services, the admin, a
shell), makes cached directory pages stale. Queryset .update() bypasses signals: services
call mark_directory_changed themselves."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import DirectoryPage, Meetup, MeetupOrganizer


@receiver(post_save, sender=DirectoryPage)
@receiver(post_save, sender=Meetup)
@receiver(post_delete, sender=Meetup)
@receiver(post_save, sender=MeetupOrganizer)
@receiver(post_delete, sender=MeetupOrganizer)
def directory_changed(sender, **kwargs):
    from .services import mark_directory_changed

    mark_directory_changed()
