"""One transaction per logging request: the change, its activity-log entry and the diary's new revision."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from diary.activity import activity_write
from diary.services import diary_touches_gathered

View = Callable[..., HttpResponse]


def logging_view(view: View) -> View:
    """A POST to an everyday logging view commits once: never a change without its log entry.

    Opened by the view, so Django's CSRF check and reading of the request come first; sign-in,
    exports and sharing (slow hashing, a PDF, an email) keep their own, shorter transactions.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        request.in_logging_view = True  # type: ignore[attr-defined]
        with transaction.atomic():
            with diary_touches_gathered() as touched:
                response = view(request, *args, **kwargs)
            if response.status_code >= 500:
                transaction.set_rollback(True)
                return response
            activity_write(request, response, touched)
        return response

    wrapped.logging_view = True  # type: ignore[attr-defined]
    return wrapped
