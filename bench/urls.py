"""The application's URLs, unchanged, plus the benchmark's baseline views under /_bench/."""

from django.urls import include, path

from config import urls as application

urlpatterns = [*application.urlpatterns, path("_bench/", include("bench.baselines"))]
# Error handlers are looked up on the root URLconf: the application's, as in production.
handler400 = application.handler400
handler500 = application.handler500
