"""Headers that keep health data out of caches and switch off unused browser powers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import http_date
from django_htmx.http import HttpResponseClientRedirect

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)


#: What add_never_cache_headers() and patch_cache_control(no_store, private) write on a response
#: that had no Cache-Control (tests/security/test_headers.py holds them to it).
NEVER_STORED = "max-age=0, no-cache, no-store, must-revalidate, private"


def never_stored(response: HttpResponse) -> None:
    """Mark a response as never to be stored by any cache."""
    if "Cache-Control" in response or "Expires" in response:
        # The view said something of its own: Django merges the directives.
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        return
    # Most responses: the same headers without parsing and merging (a tenth of hello world's time).
    response.headers["Expires"] = http_date()
    response.headers["Cache-Control"] = NEVER_STORED


def privacy_headers_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            response = get_response(request)
        finally:
            # diary_for() switches to the diary's time zone; never let it leak to the next request.
            timezone.deactivate()
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response["Location"].startswith(settings.LOGIN_URL_PATH)
        ):
            # A tap after the session ended: send the whole page to sign in, not into a status line.
            response = HttpResponseClientRedirect(response["Location"])
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Static files are public and hashed: WhiteNoise answers them before we run.
        # Everything else may hold health data and must never be stored by a cache.
        never_stored(response)
        return response

    return middleware
