from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from diary.services import day_entry_save_scores, diary_touch
from tests.conftest import People


def log_days(people: People, count: int) -> None:
    today = people.diary.today()
    for n in range(count):
        day_entry_save_scores(
            diary=people.diary, date=today - dt.timedelta(days=n), scores={"fatigue": n % 11}, by=people.owner
        )


def test_history_lists_days_newest_first_with_a_summary(people: People) -> None:
    log_days(people, 3)
    html = people.client_for("viewer").get(reverse("diary:history", args=[people.diary.pk])).content.decode()
    today = people.diary.today()
    positions = [html.index((today - dt.timedelta(days=n)).isoformat()) for n in range(3)]
    assert positions == sorted(positions)
    assert "Fatigue: <strong>2</strong>" in html
    assert "1 of 28 rated" in html


def test_history_pages_through_long_diaries(people: People) -> None:
    log_days(people, 45)
    client = people.client_for("owner")
    html = client.get(reverse("diary:history", args=[people.diary.pk]) + "?page=2").content.decode()
    assert "Page 2 of 2" in html
    html = client.get(reverse("diary:history", args=[people.diary.pk]) + "?page=banana").content.decode()
    assert "Page 1 of 2" in html


def test_the_day_picker_opens_a_past_day_and_refuses_a_future_one(people: People) -> None:
    client = people.client_for("owner")
    history = reverse("diary:history", args=[people.diary.pk])
    past = people.diary.today() - dt.timedelta(days=40)
    response = client.get(history, {"date": past.isoformat()})
    assert response["Location"] == reverse("diary:day", args=[people.diary.pk, past.isoformat()])
    future = people.diary.today() + dt.timedelta(days=2)
    response = client.get(history, {"date": future.isoformat()})
    assert response.status_code == 200
    assert "has not happened yet" in response.content.decode()
    response = client.get(history, {"date": "soon"})
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


@pytest.mark.parametrize("days", [1, 120])
def test_history_query_count_does_not_grow_with_the_diary(
    people: People, days: int, django_assert_num_queries: object
) -> None:
    log_days(people, days)
    client = people.client_for("owner")
    url = reverse("diary:history", args=[people.diary.pk])
    # The first request of a session stamps its start time and stores the CSRF token in it.
    client.get(url)
    # user, membership+diary, count, page of entries (the session comes from the cache)
    with django_assert_num_queries(4):  # type: ignore[operator]
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("days", [1, 120])
def test_today_query_count_does_not_grow_with_the_diary(
    people: People, days: int, django_assert_num_queries: object
) -> None:
    log_days(people, days)
    client = people.client_for("owner")
    url = reverse("diary:today", args=[people.diary.pk])
    # The first request of a session stamps its start time and stores the CSRF token in it.
    client.get(url)
    # Unchanged since: banners, timeline and rating buttons come from the cache; the forms are made afresh
    # from user, membership+diary, today's entry (the note), medicines, dose logs, a running rest (the session
    # comes from the cache).
    with django_assert_num_queries(6):  # type: ignore[operator]
        assert client.get(url).status_code == 200
    diary_touch(people.diary.pk)
    # Changed: user, membership+diary, today's entry, medicines, dose logs, a running rest (for the rest form,
    # read apart from the cached timeline), quick checks, rests, events, side effects, the weeks-before rules
    # (unplanned rests, weekly answers, the last four weeks' ratings, open coughs), IVIG in the last week
    # (follow-up), the previous logged days (red-flag rules) and the prompts already shown today
    with django_assert_num_queries(17):  # type: ignore[operator]
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("days", [1, 120])
def test_a_past_day_timeline_query_count_does_not_grow_with_the_diary(
    people: People, days: int, django_assert_num_queries: object
) -> None:
    log_days(people, days)
    client = people.client_for("owner")
    past = (people.diary.today() - dt.timedelta(days=1)).isoformat()
    url = reverse("diary:day", args=[people.diary.pk, past])
    client.get(url)  # stamps the session and stores the CSRF token in it
    # Unchanged since: user, membership+diary, the entry (the note), medicines, dose logs (the session comes
    # from the cache).
    with django_assert_num_queries(5):  # type: ignore[operator]
        assert client.get(url).status_code == 200
    diary_touch(people.diary.pk)
    # user, membership+diary, entry, IVIG in the week before (follow-up), quick checks, medicines,
    # dose logs, rests, events, side effects, the previous logged days (red-flag rules)
    with django_assert_num_queries(11):  # type: ignore[operator]
        assert client.get(url).status_code == 200
