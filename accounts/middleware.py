"""Automatic log-off (HIPAA 164.312(a)(2)(iii); docs/security.md).

A session ends after SESSION_IDLE_TIMEOUT_SECONDS without a request, and in
any case SESSION_ABSOLUTE_LIFETIME_SECONDS after sign-in, whatever the activity.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

_STARTED = "lems_session_started"
_SEEN = "lems_session_seen"
# Writing the session on every request would cost a write per tap; a minute of slack is fine.
_TOUCH_EVERY_SECONDS = 60


def session_lifetime_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(_STARTED)
            seen = request.session.get(_SEEN)
            if started is None or seen is None:
                request.session[_STARTED] = now
                request.session[_SEEN] = now
            elif (
                now - seen > settings.SESSION_IDLE_TIMEOUT_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_LIFETIME_SECONDS
            ):
                logout(request)
                messages.info(request, _("You were signed out to keep your diary private. Please sign in again."))
            elif now - seen >= _TOUCH_EVERY_SECONDS:
                request.session[_SEEN] = now
        return get_response(request)

    return middleware
