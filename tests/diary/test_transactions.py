"""diary.transactions: a logging POST, its activity entry and the diary's new revision commit together."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from diary.activity import EXPORTS, SHARING, WHAT
from diary.models import ActivityEntry, DayEntry, Diary
from tests.conftest import People
from tests.security.test_url_roles import url_for

HTMX = {"HTTP_HX_REQUEST": "true"}


def rating_url(people: People) -> str:
    return reverse("diary:day_field", args=[people.diary.pk, people.diary.today().isoformat(), "fatigue"])


def revision(people: People) -> int:
    return Diary.objects.get(pk=people.diary.pk).revision


def test_a_view_that_fails_after_writing_leaves_neither_change_nor_activity_entry(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diary.views import entries

    def broken(*args: Any) -> str:
        raise RuntimeError("the answer could not be made")

    client = people.client_for("owner")
    before, entries_logged = revision(people), ActivityEntry.objects.count()
    monkeypatch.setattr(entries, "_saved_status", broken)  # runs after the rating is written
    with pytest.raises(RuntimeError):
        client.post(rating_url(people), {"fatigue": "4"}, **HTMX)
    assert not DayEntry.objects.filter(diary=people.diary).exists()
    assert ActivityEntry.objects.count() == entries_logged
    assert revision(people) == before


def test_a_tap_is_one_transaction_holding_the_change_its_entry_and_the_revision(people: People) -> None:
    client = people.client_for("owner")
    client.post(rating_url(people), {"fatigue": "4"}, **HTMX)  # creates the day's entry
    with CaptureQueriesContext(connection) as captured:
        assert client.post(rating_url(people), {"fatigue": "5"}, **HTMX).status_code == 200
    # Inside the test's own transaction, atomic() shows as a savepoint: one, around all three writes.
    statements = [query["sql"] for query in captured.captured_queries]
    opened = [n for n, sql in enumerate(statements) if sql.startswith("SAVEPOINT")]
    closed = [n for n, sql in enumerate(statements) if sql.startswith("RELEASE SAVEPOINT")]
    assert len(opened) == len(closed) == 1
    writes = [n for n, sql in enumerate(statements) if sql.startswith(("UPDATE", "INSERT"))]
    assert [statements[n].split('"')[1] for n in writes] == ["diary_dayentry", "diary_activityentry", "diary_diary"]
    assert opened[0] < min(writes) and max(writes) < closed[0]


def test_a_post_refused_by_the_csrf_check_opens_no_transaction(people: People) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.owner)
    with CaptureQueriesContext(connection) as captured:
        assert client.post(rating_url(people), {"fatigue": "4"}, **HTMX).status_code == 403
    statements = [query["sql"] for query in captured.captured_queries]
    # The only transaction is the session's own save: the view's never opened.
    opened = [n for n, sql in enumerate(statements) if sql.startswith("SAVEPOINT")]
    assert all(statements[n + 1].startswith('UPDATE "django_session"') for n in opened)
    assert not any("diary_" in sql for sql in statements)
    assert not DayEntry.objects.filter(diary=people.diary).exists()


def test_every_logging_url_that_takes_a_post_is_a_logging_view(people: People) -> None:
    client = people.client_for("owner")
    for name in sorted(set(WHAT) - EXPORTS - SHARING):
        url = url_for(name, people)
        if getattr(get_resolver().resolve(url).func, "logging_view", False):
            continue
        assert client.post(url).status_code == 405, f"{name} takes a POST outside one transaction"
    for name in EXPORTS | SHARING:
        assert not getattr(get_resolver().resolve(url_for(name, people)).func, "logging_view", False), name
