"""Staff accounts under /accounts/: allauth's sign-in, sign-out, password reset,
re-authentication and two-factor pages (their URL names are allauth's: account_login, ...)."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
]
