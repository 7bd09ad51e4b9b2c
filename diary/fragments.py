"""The one key of the cached parts of a diary's pages (Django's ``{% cache %}`` tag).

A diary's ``revision`` is a new random number after every change
(``diary.services.diary_touch``), so a part stored under the old number is never
read again: that is the only way a stored part goes out of date. Parts that hold
a CSRF token, a CSP nonce or a single-use form token are never stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from diary.access import DiaryAccess

#: A change makes stored parts unreachable at once; this only frees the cache's memory.
FRAGMENT_SECONDS = 6 * 3600


def _templates_digest() -> str:
    """A short digest of every template, so parts made by an older release (kept in a shared
    cache across a deploy) are never shown with newer templates."""
    digest = hashlib.sha256()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


TEMPLATES_DIGEST = _templates_digest()


def fragment_context(access: DiaryAccess, day: dt.date, *parts: object) -> dict[str, object]:
    """What a page's ``{% cache fragment_seconds NAME fragment_key %}`` tags need; ``parts``: what else it depends on."""
    diary = access.diary
    key = (TEMPLATES_DIGEST, diary.pk, diary.revision, day, diary.today(), access.role, get_language(), *parts)
    return {"fragment_key": ":".join(str(part) for part in key), "fragment_seconds": FRAGMENT_SECONDS}
