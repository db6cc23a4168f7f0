"""Staff sign-in, with failed attempts throttled per address and per account."""

from django.contrib.auth.views import LoginView

from common import throttle

from .forms import SignInForm

# Failed sign-ins allowed per window, from one address and for one account.
SIGN_IN_FAILURES_PER_ADDRESS = 20
SIGN_IN_FAILURES_PER_ACCOUNT = 5
SIGN_IN_WINDOW = 900


def _sign_in_limited(address: str, username: str) -> bool:
    return throttle.is_limited(
        "sign-in-address", address, limit=SIGN_IN_FAILURES_PER_ADDRESS, window=SIGN_IN_WINDOW
    ) or bool(
        username
        and throttle.is_limited(
            "sign-in-account",
            username,
            limit=SIGN_IN_FAILURES_PER_ACCOUNT,
            window=SIGN_IN_WINDOW,
        )
    )


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"

    def post(self, request, *args, **kwargs):
        address = throttle.client_address(request)
        username = (request.POST.get("username") or "").strip().lower()
        if _sign_in_limited(address, username):
            # No password is checked while limited, so guessing gains nothing.
            form = self.form_class(request, initial={"username": username})
            return self.render_to_response(
                self.get_context_data(form=form, limited=True), status=429
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.record(
            "sign-in-address", throttle.client_address(self.request), window=SIGN_IN_WINDOW
        )
        username = (self.request.POST.get("username") or "").strip().lower()
        if username:
            throttle.record("sign-in-account", username, window=SIGN_IN_WINDOW)
        return super().form_invalid(form)
