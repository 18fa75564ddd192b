"""Authentication backends: django-axes throttling of sign-in requests."""

from axes.backends import AxesStandaloneBackend


class SignInThrottleBackend(AxesStandaloneBackend):
    """Refuses locked-out username+IP pairs on every sign-in that comes from a request.

    Axes' own backend raises when `authenticate()` is called without a request. Every sign-in form (ours and
    the admin's) passes the request; calls without one come from code that already holds the credentials
    (management commands, the test client's `login()`), where there is no client address to throttle.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
