"""config.sqlite: transactions of several connections to one SQLite file take turns on a file lock."""

from __future__ import annotations

import fcntl
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.signals import request_finished
from django.db import connections

from config.sqlite import base as sqlite_base
from config.sqlite.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker: Any) -> Any:
    """These tests open their own SQLite files, not the test database."""
    with django_db_blocker.unblock():
        yield


def wrapper(path: Path | str) -> DatabaseWrapper:
    settings_dict: dict[str, Any] = {
        **connections["default"].settings_dict,
        "ENGINE": "config.sqlite",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL"},
    }
    return DatabaseWrapper(settings_dict, alias=f"writelock-{uuid.uuid4().hex}")


def lock_is_free(path: Path) -> bool:
    with open(f"{path}-writelock", "ab") as probe:
        try:
            fcntl.flock(probe.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(probe.fileno(), fcntl.LOCK_UN)
        return True


def begin(db: DatabaseWrapper) -> None:
    """Start a transaction as atomic() does, and run its first statement (which begins it)."""
    db.ensure_connection()
    db._start_transaction_under_autocommit()
    with db.cursor() as cursor:
        cursor.execute("SELECT 1")


def test_a_second_transaction_waits_until_the_first_commits(tmp_path: Path) -> None:
    path = tmp_path / "one.sqlite3"
    first = wrapper(path)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE taps (n INTEGER)")
    assert lock_is_free(path)  # a statement outside a transaction takes no lock
    begin(first)
    assert not lock_is_free(path)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO taps VALUES (1)")
    began, failed = threading.Event(), []

    def second_writer() -> None:
        second = wrapper(path)
        try:
            begin(second)
            began.set()
            with second.cursor() as cursor:
                cursor.execute("INSERT INTO taps VALUES (2)")
            second._commit()
        except Exception as exc:  # reported to the test below
            failed.append(exc)
            began.set()
        finally:
            second.close()

    thread = threading.Thread(target=second_writer, daemon=True)
    thread.start()
    assert not began.wait(0.3), "the second transaction began while the first held the lock"
    first._commit()
    assert began.wait(10)
    thread.join(10)
    assert not failed
    assert lock_is_free(path)
    with first.cursor() as cursor:
        cursor.execute("SELECT n FROM taps ORDER BY n")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]
    first.close()


def test_rollback_and_close_let_the_lock_go(tmp_path: Path) -> None:
    path = tmp_path / "two.sqlite3"
    first, second = wrapper(path), wrapper(path)
    begin(first)
    first._rollback()
    assert lock_is_free(path)
    begin(second)  # would block for ever if the rollback had kept the lock
    second.close()
    begin(first)
    first.close()
    assert lock_is_free(path)
    third = wrapper(path)
    begin(third)  # and if closing had kept it
    third._commit()
    third.close()
    assert Path(f"{path}-writelock").exists()


def test_an_in_memory_database_takes_no_lock() -> None:
    db = wrapper(":memory:")
    assert db._lock_path() is None
    begin(db)
    db._commit()
    db.close()


def test_a_transaction_takes_the_lock_at_its_first_statement_not_before(tmp_path: Path) -> None:
    path = tmp_path / "three.sqlite3"
    first, second = wrapper(path), wrapper(path)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE taps (n INTEGER)")
    first._start_transaction_under_autocommit()  # what atomic() does on entering
    assert lock_is_free(path)
    begin(second)  # another worker may write meanwhile
    with second.cursor() as cursor:
        cursor.execute("INSERT INTO taps VALUES (1)")
    second._commit()
    with first.cursor() as cursor:  # the first statement: BEGIN IMMEDIATE, with the lock
        assert not lock_is_free(path)
        cursor.execute("SELECT count(*) FROM taps")
        assert cursor.fetchone()[0] == 1  # it sees what was committed before it began
        cursor.execute("INSERT INTO taps VALUES (2)")
    first._commit()
    assert lock_is_free(path)
    # A transaction that runs no statement takes no lock and commits or rolls back cleanly.
    for end in ("_commit", "_rollback"):
        first._start_transaction_under_autocommit()
        getattr(first, end)()
        assert lock_is_free(path)
    first.close()
    second.close()


@pytest.mark.parametrize("counted", [False, True])
def test_the_begin_opens_a_real_transaction_whether_or_not_queries_are_counted(tmp_path: Path, counted: bool) -> None:
    # Uncounted, BEGIN IMMEDIATE goes straight to sqlite3; counted, through Django's cursor.
    path = tmp_path / "four.sqlite3"
    db = wrapper(path)
    with db.cursor() as cursor:
        cursor.execute("CREATE TABLE taps (n INTEGER)")
    db.force_debug_cursor = counted
    begin(db)
    assert db.connection.in_transaction
    with db.cursor() as cursor:
        cursor.execute("INSERT INTO taps VALUES (1)")
    db._rollback()
    with db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM taps")
        assert cursor.fetchone()[0] == 0
    assert [query["sql"] for query in db.queries if query["sql"].startswith("BEGIN")] == (
        ["BEGIN IMMEDIATE"] if counted else []
    )
    db.close()


def test_the_log_is_copied_into_the_database_after_a_request_once_enough_commits_went_in(tmp_path: Path) -> None:
    path = tmp_path / "five.sqlite3"
    db = wrapper(path)
    with db.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == sqlite_base.AUTOCHECKPOINT_PAGES  # SQLite's own, in a commit, is a backstop
        cursor.execute("CREATE TABLE taps (n INTEGER, filler TEXT)")
    size = path.stat().st_size

    def commits(count: int) -> None:
        for n in range(count):
            begin(db)
            with db.cursor() as cursor:
                cursor.execute("INSERT INTO taps VALUES (%s, %s)", [n, "x" * 2000])
            db._commit()

    commits(sqlite_base.CHECKPOINT_EVERY - 1)
    request_finished.send(sender=None)
    assert path.stat().st_size == size  # not yet: every page is still only in the log
    commits(1)
    assert path.stat().st_size == size  # a commit does not copy it (no waiting under the write lock)
    request_finished.send(sender=None)
    assert path.stat().st_size > size + sqlite_base.CHECKPOINT_EVERY * 2000  # the request's end did
    with db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM taps")
        assert cursor.fetchone()[0] == sqlite_base.CHECKPOINT_EVERY
    db.close()
