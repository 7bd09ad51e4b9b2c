"""Whole diary pages (Today, a day, Today's tips) served again from the cache until the diary changes.

Today is opened many times a day, by the person and by those who share the diary,
and between two changes every opening shows the same page; making it (the day's
entry, the doses due, the timeline and some 300 rating buttons) was most of the
server's time (bench/results.md). So the page is made once and stored, and each
later opening fills in what must differ between responses:

- the CSRF token and the CSP nonce (a cached page is never the same response twice);
- the single-use form tokens that keep a double tap from logging twice
  (``new_token`` in the page's context), each replaced by a new UUID.

They are stored as marks with a random prefix drawn for each stored page, so
nothing a person types can forge one. The key holds everything else the page
depends on: the diary's ``revision`` (a new random number after every change:
``diary.services.diary_touch``), the day and the diary's today, the person, their
role and language, and this process's start (a new deploy never serves a page of
the old templates). A page with a one-time message (“Saved.”) is made afresh and
not stored.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from diary.access import DiaryAccess

#: Seconds a stored page is kept (a change makes it unreachable at once; this only frees memory).
TIMEOUT = 6 * 3600
#: Pages made by another process (another deploy) are never used.
_BOOT = secrets.token_hex(4)


@dataclass
class Marks:
    """Stand-ins for the per-response values while a page is made."""

    prefix: str = field(default_factory=lambda: "pc" + secrets.token_hex(8))
    count: int = 0

    def token(self) -> str:
        self.count += 1
        return f"{self.prefix}t{self.count}"

    @property
    def context(self) -> dict[str, Any]:
        return {"csrf_token": f"{self.prefix}csrf", "csp_nonce": f"{self.prefix}nonce", "new_token": self.token}


def fill(html: str, prefix: str, request: HttpRequest) -> str:
    """The stored page with this response's CSRF token, nonce and fresh form tokens."""
    csrf = get_token(request)
    nonce = get_nonce(request)
    tokens: dict[str, str] = {}

    def one(match: re.Match[str]) -> str:
        kind = match.group(1)
        if kind == "csrf":
            return csrf
        if kind == "nonce":
            return str(nonce) if nonce is not None else ""
        return tokens.setdefault(kind, str(uuid.uuid4()))

    return re.sub(re.escape(prefix) + r"(csrf|nonce|t\d+)", one, html)


def page_key(request: HttpRequest, access: DiaryAccess, page: str, *parts: object) -> str:
    """The key of one page of a diary as this person sees it now; ``parts``: what else it depends on."""
    diary = access.diary
    user_id = getattr(request.user, "pk", None)
    common = (_BOOT, diary.pk, diary.revision, diary.today(), user_id, access.role, get_language())
    return f"page:{page}:" + ":".join(str(part) for part in (*common, *parts))


def serve(request: HttpRequest, key: str, make: Callable[[Marks], str]) -> HttpResponse:
    """The page under ``key``, made by ``make`` (which renders with the marks' context) when not stored."""
    one_time_message = len(messages.get_messages(request)) > 0
    stored = None if one_time_message else cache.get(key)
    if stored is None:
        marks = Marks()
        stored = (make(marks), marks.prefix)
        if not one_time_message:
            cache.set(key, stored, TIMEOUT)
    html, prefix = stored
    return HttpResponse(fill(html, prefix, request))
