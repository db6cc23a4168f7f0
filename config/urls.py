from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("intake.urls")),
]

# Baseline views for `make bench` only (see bench/baselines.py); absent in production.
if settings.BENCH_BASELINES:
    urlpatterns.append(path("_bench/", include("bench.baselines")))
