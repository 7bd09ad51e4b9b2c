"""Headers that keep health data out of caches and switch off unused browser powers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)


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
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware
