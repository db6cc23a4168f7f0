from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("intake.urls")),
]

handler400 = "config.views.bad_request"
handler500 = "config.views.server_error"
