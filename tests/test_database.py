"""SQLite on Django's own engine with the options of settings.py: writers of two workers take turns."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections, transaction

ALIAS = "two_writers"


@pytest.fixture
def sqlite_file(tmp_path: Path, django_db_blocker: Any) -> Iterator[str]:
    """The database settings of the app, on a file of its own (the tests' database lives in memory)."""
    if connections["default"].vendor != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL has row locks of its own")
    connections.settings[ALIAS] = {**connections["default"].settings_dict, "NAME": str(tmp_path / "two.sqlite3")}
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE taps (worker TEXT)")
        yield ALIAS
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def test_the_file_is_in_write_ahead_log_mode(sqlite_file: str) -> None:
    with connections[sqlite_file].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_a_second_writer_waits_for_the_first_and_both_succeed(sqlite_file: str) -> None:
    first_wrote, second_began, failures = threading.Event(), threading.Event(), []

    def first() -> None:
        try:
            with transaction.atomic(using=sqlite_file):
                with connections[sqlite_file].cursor() as cursor:
                    cursor.execute("INSERT INTO taps VALUES ('first')")
                first_wrote.set()
                # Still holding the write lock while the second writer tries to begin.
                second_began.wait(timeout=0.5)
        except Exception as error:  # reported by the test below
            failures.append(error)
            first_wrote.set()
        finally:
            connections[sqlite_file].close()

    def second() -> None:
        first_wrote.wait(timeout=5)
        try:
            with transaction.atomic(using=sqlite_file):
                second_began.set()
                with connections[sqlite_file].cursor() as cursor:
                    cursor.execute("INSERT INTO taps VALUES ('second')")
        except Exception as error:  # reported by the test below
            failures.append(error)
        finally:
            connections[sqlite_file].close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert failures == []
    with connections[sqlite_file].cursor() as cursor:
        cursor.execute("SELECT worker FROM taps ORDER BY rowid")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
