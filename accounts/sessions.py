"""Django's database sessions, with the read that every signed-in request makes compiled once.

The same table, the same rows and the same expiry as ``django.contrib.sessions.backends.db``;
only the read of a session is a PreparedRows (config.prepared): the ORM's ``get()``
spends most of its time building and compiling the query, and a rating tap is a
few milliseconds in all (`make bench`).
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from config.prepared import PreparedRows

_SESSION = PreparedRows(
    lambda session_key: Session.objects.filter(session_key=session_key).values_list("session_data", "expire_date"),
    session_key=str,
)


class SessionStore(db.SessionStore):
    def _session_data(self) -> str | None:
        key = self.session_key
        if key is not None:
            for session_data, expire_date in _SESSION(session_key=key):
                if expire_date > timezone.now():
                    return session_data  # type: ignore[no-any-return]
        # As Django's: an unknown or expired session is forgotten (a new one gets a new key).
        self._session_key = None
        return None

    def load(self) -> dict[str, object]:
        # Django's reads the row through the ORM into a Session instance, only to read its data.
        session_data = self._session_data()
        return self.decode(session_data) if session_data is not None else {}
