"""Login throttling glue: which address a request comes from, and the lockout backend."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


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
