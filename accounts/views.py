"""Staff sign-in. Failed attempts are throttled per (account, address) pair and per address;
guesses at one account from many addresses slow it down rather than lock its owner out, and
the owner is told (accounts.signals.sign_in_throttled; notifications sends the email)."""

from django.contrib import messages
from django.contrib.auth.views import LoginView, LogoutView

from common import throttle

from .forms import SignInForm
from .signals import sign_in_throttled

# Failed sign-ins allowed per window: from one address (any accounts), and for one account
# from one address. Guessing from many addresses meets the per-account ceiling, which slows
# (one attempt per SIGN_IN_SLOW_SECONDS) rather than blocks, so the owner can still get in.
SIGN_IN_FAILURES_PER_ADDRESS = 20
SIGN_IN_FAILURES_PER_PAIR = 5
SIGN_IN_FAILURES_PER_ACCOUNT = 20
SIGN_IN_SLOW_SECONDS = 10
# After this many failures for an account in a window its owner is told (once per window).
SIGN_IN_ALERT_AFTER = 5
SIGN_IN_WINDOW = 900

LIMITED_MESSAGE = (
    "There have been too many failed sign-ins for this account or from your connection. "
    "Wait 15 minutes and try again. If you forgot your password, ask a program manager to set "
    "a new one."
)


def _reserve_attempt(address: str, username: str) -> tuple[list, int | None, bool]:
    """Count this attempt against every limit before the password is checked, each in one
    atomic step, so simultaneous guesses cannot all pass. Returns the counters taken (given
    back if the password is right), the seconds to wait when the attempt may not be made
    (None otherwise), and whether that is the per-account slowdown."""
    taken = []
    counters = [("sign-in-address", address, SIGN_IN_FAILURES_PER_ADDRESS)]
    if username:
        counters.append(("sign-in-pair", f"{username}|{address}", SIGN_IN_FAILURES_PER_PAIR))
    for scope, ident, limit in counters:
        taken.append((scope, ident))
        if not throttle.take(scope, ident, limit=limit, window=SIGN_IN_WINDOW):
            return taken, throttle.seconds_left(SIGN_IN_WINDOW), False
    if username:
        taken.append(("sign-in-account", username))
        within = throttle.take(
            "sign-in-account", username, limit=SIGN_IN_FAILURES_PER_ACCOUNT, window=SIGN_IN_WINDOW
        )
        if not within and not throttle.take(
            "sign-in-slow", username, limit=1, window=SIGN_IN_SLOW_SECONDS
        ):
            return taken, throttle.seconds_left(SIGN_IN_SLOW_SECONDS), True
    return taken, None, False


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"

    def post(self, request, *args, **kwargs):
        address = throttle.client_address(request)
        username = (request.POST.get("username") or "").strip().lower()
        self._taken, wait, slowed = _reserve_attempt(address, username)
        if wait is not None:
            # No password is checked while limited, so guessing gains nothing.
            form = self.form_class(request, initial={"username": username})
            message = (
                f"This account has had many failed sign-ins from several places, so it takes "
                f"one attempt every {SIGN_IN_SLOW_SECONDS} seconds for now. Wait {wait} "
                "seconds and try again."
                if slowed
                else LIMITED_MESSAGE
            )
            response = self.render_to_response(
                self.get_context_data(form=form, limited=True, limited_message=message),
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # A right password is not a failure: give back what the attempt took.
        for scope, ident in self._taken:
            throttle.give_back(scope, ident, window=SIGN_IN_WINDOW)
        return super().form_valid(form)

    def form_invalid(self, form):
        username = (self.request.POST.get("username") or "").strip().lower()
        failures = throttle.count("sign-in-account", username, window=SIGN_IN_WINDOW)
        if (
            username
            and failures >= SIGN_IN_ALERT_AFTER
            and throttle.take("sign-in-alert", username, limit=1, window=SIGN_IN_WINDOW)
        ):
            sign_in_throttled.send(
                sender=self.__class__,
                username=username,
                address=throttle.client_address(self.request),
                failures=failures,
                window=SIGN_IN_WINDOW,
            )
        return super().form_invalid(form)


class SignOutView(LogoutView):
    """Sign out, and say so on the page that follows."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            # Added after the session is flushed, so the message survives it.
            messages.success(request, "You have signed out.")
        return response
