"""SQLite with its writers taking turns in the kernel instead of sleeping in SQLite.

SQLite lets one transaction write at a time; a second writer retries in SQLite's busy
handler, which sleeps 1, 2, 5, 10, 15 ... ms between tries, whenever the lock was freed.
With gunicorn's two workers saving taps, a tap that met the other worker's
transaction (about 2 ms) slept 3 to 8 ms: `make bench` measured the rating save at
p50 13.8 ms with one connection per worker, for 5.5 ms of work.

Here every transaction first takes an exclusive ``flock`` on a file beside the
database (``<database>-writelock``) and lets it go at commit or rollback: the next
writer waits in the kernel and is woken the moment the lock is free. Statements
outside a transaction (autocommit) do not take it; they hold SQLite's lock only for
themselves, and SQLite's busy handler still covers them. An in-memory database
(the tests) has a single process and takes no lock.

A transaction begins (takes the lock, then ``BEGIN IMMEDIATE``) when its first
statement is about to run, not when ``atomic()`` is entered: until then it has read
and written nothing, so beginning later changes nothing it sees, and the other
worker may write meanwhile. A logging request's transaction opens in the activity
middleware, before Django checks the CSRF token and reads the request body; those no
longer hold the lock. A transaction that runs no statement takes no lock at all.

Checkpoints (copying the write-ahead log into the database, with an fsync of each)
happen after a response has gone, not inside a commit. SQLite's own checkpoint ran
in the commit that filled 1000 pages of log, about one tap in 130, under the write
lock: that tap took 4 to 14 ms instead of 1.4, and the other worker waited with it
(6% of a single worker's time, measured). Here each connection checkpoints
(``PASSIVE``: it never waits for, nor blocks, a reader or a writer) once
:data:`CHECKPOINT_EVERY` of its transactions have committed, when Django signals
that the request has finished: gunicorn has sent the response by then. SQLite's own
checkpoint stays as a backstop at :data:`AUTOCHECKPOINT_PAGES` pages, for the
processes that serve no requests (management commands).
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable
from typing import IO, Any

from django.core.signals import request_finished
from django.db.backends.sqlite3 import base

from config.prepared import queries_watched

#: A connection's committed transactions between its checkpoints.
CHECKPOINT_EVERY = 200
#: SQLite's own checkpoint, in a commit, once the log holds this many pages (40 MB).
AUTOCHECKPOINT_PAGES = 10_000


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock: IO[bytes] | None = None
    _write_lock_held: bool = False
    _begin_pending: bool = False
    _commits_unchecked: int = 0

    def _lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writelock"

    def _write_lock_acquire(self) -> None:
        path = self._lock_path()
        if path is None or self._write_lock_held:
            return
        if self._write_lock is None:
            self._write_lock = open(path, "ab")  # noqa: SIM115 (kept open with the connection)
        fcntl.flock(self._write_lock.fileno(), fcntl.LOCK_EX)
        self._write_lock_held = True

    def _write_lock_release(self) -> None:
        if self._write_lock is not None and self._write_lock_held:
            fcntl.flock(self._write_lock.fileno(), fcntl.LOCK_UN)
        self._write_lock_held = False

    def _start_transaction_under_autocommit(self) -> None:
        # Begun by the first cursor the transaction asks for (_cursor).
        self._begin_pending = True

    def _begin_now(self) -> None:
        self._begin_pending = False
        self._write_lock_acquire()
        try:
            if queries_watched(self):
                super()._start_transaction_under_autocommit()  # through self.cursor(): counted
            else:
                # Straight to sqlite3, as config.prepared runs its statements (a third of the time).
                self.ensure_connection()
                with self.wrap_database_errors:
                    self.connection.execute(f"BEGIN {self.transaction_mode or ''}")
        except BaseException:
            self._write_lock_release()
            raise

    def _cursor(self, name: str | None = None) -> Any:
        if self._begin_pending:
            self._begin_now()
        return super()._cursor(name)

    def _ending(self, end: Callable[[], Any]) -> Any:
        """Commit, roll back or close, then let the lock go (a transaction that ran nothing has none)."""
        self._begin_pending = False
        try:
            return end()
        finally:
            self._write_lock_release()

    def _commit(self) -> Any:
        if self._write_lock_held:  # a transaction that wrote (or could have)
            self._commits_unchecked += 1
            if self._commits_unchecked >= CHECKPOINT_EVERY and self not in _due.connections:
                _due.connections.append(self)
        return self._ending(super()._commit)

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        self._commits_unchecked = 0
        if not self.is_in_memory_db():
            connection.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        return connection

    def checkpoint_if_due(self) -> None:
        """Copy the log into the database once enough transactions have committed since the last time."""
        if self._commits_unchecked < CHECKPOINT_EVERY or self.connection is None or self.connection.in_transaction:
            return
        self._commits_unchecked = 0
        with self.wrap_database_errors:
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _rollback(self) -> Any:
        return self._ending(super()._rollback)

    def _close(self) -> Any:
        try:
            return self._ending(super()._close)
        finally:
            if self._write_lock is not None:
                self._write_lock.close()
                self._write_lock = None


class _Due(threading.local):
    """This thread's connections that are due a checkpoint (a connection serves one thread)."""

    def __init__(self) -> None:
        self.connections: list[DatabaseWrapper] = []


_due = _Due()


def _checkpoint_after_response(**kwargs: object) -> None:
    while _due.connections:
        _due.connections.pop().checkpoint_if_due()


request_finished.connect(_checkpoint_after_response, dispatch_uid="config.sqlite.checkpoint")
