"""Any change to a group, its organizers or the page, wherever it comes from (services, the
admin, a shell), makes cached directory pages stale: this is the one place that says so.
Receivers of Django's model signals, connected in MeetupsConfig.ready(). Queryset .update()
and bulk_create() send no signals; a service that uses them also saves the group itself."""

from .cache import mark_directory_changed


def directory_changed(sender, **kwargs):
    mark_directory_changed()


def contacts_changed(sender, created=False, update_fields=None, **kwargs):
    """A group gaining or losing the people who keep it changes whether its page offers
    "Write to the organizers"; a contact's own bookkeeping (when a link was last sent) does
    not."""
    if created or update_fields is None or "email" in update_fields:
        mark_directory_changed()
