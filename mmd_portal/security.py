"""Account protection: which address a request comes from, the login lockout, and the limits
on password-reset e-mails."""

import hashlib

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest, HttpResponseRedirect


def client_ip(request: HttpRequest) -> str:
    """The address of the client, as far as our own proxies vouch for it.

    With DJANGO_TRUSTED_PROXY_COUNT=N, the N-th address from the right of X-Forwarded-For is
    the one our outermost proxy saw (each proxy appends the address it received from). With 0,
    the default, the header is ignored: a client could otherwise forge it to escape the lockout.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class LoginThrottlingBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for every login that comes through a request.

    Django's own login views always pass the request. Code that authenticates without one
    (the test client's `login()`, a shell) has no client to throttle, so it is left to the
    next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginLockoutHandler(AxesDatabaseHandler):
    """Two limits on failed logins, from the two lockout parameters of the settings:

    - a username *from one address* (``["username", "ip_address"]``) is locked after
      AXES_FAILURE_LIMIT failures: guessing from elsewhere never locks the official out;
    - an address (``"ip_address"``) is locked after the lighter LOGIN_ADDRESS_FAILURE_LIMIT,
      so that one office behind a shared address is not locked out by one person's typos.

    django-axes compares one count with one limit; the per-address count is scaled to that
    limit, so that it reaches it exactly when the address reaches its own limit.
    """

    def _failure_counts(self, request, credentials) -> tuple[int, int]:
        per_account_and_address, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return per_account_and_address, per_address

    def get_failures(self, request, credentials=None) -> int:
        per_account_and_address, per_address = self._failure_counts(request, credentials)
        limit = get_failure_limit(request, credentials)
        return max(
            per_account_and_address,
            per_address * limit // settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears that account's failures from that address only: a valid
        account of one's own must not wipe the count of guesses at someone else's."""
        account_and_address = self.filter_user_attempts(request, credentials)[0]
        count, _ = account_and_address.delete()
        return count


# --- Password reset ---------------------------------------------------------------------------


def _within_limit(key: str, limit: int, window: int) -> bool:
    """Count one more request under `key` in a fixed window; True while within `limit`."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def password_reset_allowed(*, address: str, email: str) -> bool:
    """Whether a reset e-mail may be sent for this request (per address and per account)."""
    window = settings.PASSWORD_RESET_LIMIT_WINDOW_SECONDS
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    # Both counters always move, so that neither can be probed through the other.
    address_ok = _within_limit(
        f"password-reset:address:{address}", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, window
    )
    account_ok = _within_limit(
        f"password-reset:account:{account}", settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT, window
    )
    return address_ok and account_ok


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, which sends no e-mail past the limits and answers the same way
    ("check your inbox") whether it sent one, refused one, or knows no such address."""

    def form_valid(self, form):
        if password_reset_allowed(
            address=client_ip(self.request), email=form.cleaned_data["email"]
        ):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
