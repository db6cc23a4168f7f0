from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Before any other "reviews/" include, so the outbox is not taken for a reference.
    path("reviews/outbox/", include("notifications.urls")),
    path("", include("reports.urls")),
    path("", include("accounts.urls")),
    path("", include("reviews.urls")),
    path("", include("intake.urls")),
    path("", include("meetups.urls")),
]

handler400 = "config.views.bad_request"
handler500 = "config.views.server_error"
