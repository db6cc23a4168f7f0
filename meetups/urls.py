from django.urls import path

from . import (
    consent_views,
    group_list_views,
    meeting_organizer_views,
    meeting_views,
    organizer_views,
    staff_views,
    topic_views,
    views,
)

app_name = "meetups"

urlpatterns = [
    path("meetups/", views.directory, name="directory"),
    path("meetups.json", views.directory_json, name="directory_json"),
    path("meetups/calendar.ics", meeting_views.program_feed, name="program_feed"),
    path("meetups/<slug:slug>/", views.detail, name="detail"),
    path("meetups/<slug:slug>/calendar.ics", meeting_views.group_feed, name="group_feed"),
    path(
        "meetups/<slug:slug>/meetings/<int:pk>/<str:day>.ics",
        meeting_views.occurrence_file,
        name="occurrence_file",
    ),
    path("meetups/<slug:slug>/write/", meeting_views.write, name="write"),
    path("meetups/<slug:slug>/edit/", staff_views.edit, name="edit"),
    path("meetups/<slug:slug>/archive/", staff_views.archive, name="archive"),
    # Staff pages live under /reviews/ (private, never cached, beside the outbox).
    path("reviews/archived-groups/", group_list_views.archived, name="archived"),
    path("reviews/archived-groups/<slug:slug>/restore/", staff_views.restore, name="restore"),
    # A group's life after approval: staff pages, and the organizers' private pages.
    path("reviews/groups/", group_list_views.dashboard, name="dashboard"),
    path("reviews/all-groups/", group_list_views.all_groups, name="all_groups"),
    path("reviews/groups/<slug:slug>/", staff_views.group, name="staff_group"),
    path("reviews/topics/", topic_views.topics, name="topics"),
    path("reviews/topics/<int:pk>/", topic_views.topic, name="topic"),
    path("reviews/groups/<slug:slug>/topics/", topic_views.group_topics, name="staff_topics"),
    path(
        "reviews/groups/<slug:slug>/do/<str:name>/",
        staff_views.transition,
        name="staff_transition",
    ),
    path("reviews/groups/<slug:slug>/people/", staff_views.add_contact, name="staff_add_contact"),
    path(
        "reviews/groups/<slug:slug>/people/<int:pk>/invite/",
        staff_views.invite,
        name="staff_invite",
    ),
    path(
        "reviews/groups/<slug:slug>/handovers/<int:pk>/cancel/",
        staff_views.cancel_handover,
        name="staff_cancel_handover",
    ),
    path(
        "reviews/groups/<slug:slug>/history/<int:pk>/revert/",
        staff_views.revert,
        name="staff_revert",
    ),
    path("groups/<str:token>/", organizer_views.home, name="group_home"),
    path("groups/<str:token>/details/", organizer_views.edit, name="group_edit"),
    path("groups/<str:token>/organizers/", organizer_views.organizers, name="group_organizers"),
    path("groups/<str:token>/handover/", organizer_views.handover, name="group_handover"),
    path(
        "groups/<str:token>/handover/cancel/",
        organizer_views.cancel_handover,
        name="group_cancel_handover",
    ),
    path("groups/<str:token>/check-in/", organizer_views.check_in, name="group_check_in"),
    path("groups/<str:token>/accept/", organizer_views.accept, name="group_accept"),
    path("groups/<str:token>/data.json", organizer_views.data, name="group_data"),
    path("groups/<str:token>/erase/", organizer_views.erase, name="group_erase"),
    path("groups/<str:token>/meetings/", meeting_organizer_views.meetings, name="group_meetings"),
    path(
        "groups/<str:token>/meetings/new/",
        meeting_organizer_views.edit_meeting,
        name="group_meeting_new",
    ),
    path(
        "groups/<str:token>/meetings/<int:pk>/",
        meeting_organizer_views.edit_meeting,
        name="group_meeting_edit",
    ),
    path(
        "groups/<str:token>/meetings/<int:pk>/dates/",
        meeting_organizer_views.change_date,
        name="group_meeting_date",
    ),
    path(
        "groups/<str:token>/meetings/<int:pk>/dates/<int:change_pk>/undo/",
        meeting_organizer_views.undo_change,
        name="group_meeting_undo_change",
    ),
    path(
        "groups/<str:token>/meetings/<int:pk>/cancel/",
        meeting_organizer_views.cancel,
        name="group_meeting_cancel",
    ),
    path(
        "groups/<str:token>/meetings/<int:pk>/reinstate/",
        meeting_organizer_views.reinstate,
        name="group_meeting_reinstate",
    ),
    path(
        "groups/<str:token>/settings/",
        meeting_organizer_views.group_settings,
        name="group_settings",
    ),
    path("groups/<str:token>/name/", consent_views.answer, name="group_name"),
]
