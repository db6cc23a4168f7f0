from django.urls import path, register_converter

from . import export_views, reply_views, settings_views, views

app_name = "reviews"


class ReferenceConverter:
    """A proposal reference such as MTG-2026-0007, so other /reviews/ pages (the outbox)
    never look like a proposal."""

    regex = r"[A-Z]{2,5}-\d{4}-\d{4,6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReferenceConverter, "reference")

urlpatterns = [
    path("reviews/", views.queue, name="queue"),
    path("reviews/settings/", settings_views.settings_page, name="settings"),
    path("reviews/export.csv", export_views.export_csv, name="export"),
    path("reviews/<reference:reference>/", views.detail, name="detail"),
    path("reviews/<reference:reference>/review/", views.review, name="review"),
    path("reviews/<reference:reference>/comment/", views.comment, name="comment"),
    path("reviews/<reference:reference>/decide/", views.decide, name="decide"),
    path("proposals/<str:token>/reply/", reply_views.reply, name="reply"),
]
