from django.urls import path

from . import views

app_name = "meetups"

urlpatterns = [
    path("meetups/", views.directory, name="directory"),
    path("meetups.json", views.directory_json, name="directory_json"),
    path("meetups/<slug:slug>/", views.detail, name="detail"),
    path("meetups/<slug:slug>/edit/", views.edit, name="edit"),
    path("meetups/<slug:slug>/archive/", views.archive, name="archive"),
    # Staff pages live under /reviews/ (private, never cached, beside the outbox).
    path("reviews/archived-groups/", views.archived, name="archived"),
    path("reviews/archived-groups/<slug:slug>/restore/", views.restore, name="restore"),
]
