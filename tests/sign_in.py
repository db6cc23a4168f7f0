"""Signing in as a person does, through allauth's pages: email address and password, then
the authenticator app's code when the account has one."""

from tests import factories

LOGIN = "/accounts/login/"
SECOND_FACTOR = "/accounts/2fa/authenticate/"


def sign_in(client, email, password=factories.STAFF_PASSWORD, *, next_url="", **extra):
    data = {"login": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, **extra)


def second_factor(client, code, **extra):
    return client.post(SECOND_FACTOR, {"code": code}, **extra)


def sign_in_fully(client, user, *, next_url="", **extra):
    """Both steps for a factories.staff_user; the last response."""
    response = sign_in(client, user.email, next_url=next_url, **extra)
    if response.status_code == 302 and response["Location"].startswith(SECOND_FACTOR):
        response = second_factor(client, factories.totp_code(user), **extra)
    return response
