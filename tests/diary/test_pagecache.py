"""Today and a day's page come from the page cache (diary.pagecache) until the diary changes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diary.models import Diary, Membership, QuickCheck, Role
from diary.services import day_entry_save_scores
from tests.conftest import People

HTMX = {"HTTP_HX_REQUEST": "true"}
MARK = re.compile(r"pc[0-9a-f]{16}")


def today_url(people: People) -> str:
    return reverse("diary:today", args=[people.diary.pk])


def queries_of(client: Client, url: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured.captured_queries)


def per_response_values(response: Any) -> dict[str, Any]:
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return {
        "header_csrf": re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1),  # type: ignore[union-attr]
        "form_csrf": set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)),
        "tokens": re.findall(r'name="token" value="([0-9a-f-]{36})"', html),
        "script_nonces": set(re.findall(r'<script[^>]* nonce="([^"]+)"', html)),
        "header_nonce": nonce.group(1) if nonce else None,
    }


def test_a_stored_page_gets_its_own_csrf_token_nonce_and_form_tokens_each_time(people: People) -> None:
    client = people.client_for("owner")
    first = client.get(today_url(people))
    second, queries = queries_of(client, today_url(people))
    assert queries == 2  # user, membership and diary: the page and the session came from the cache
    a, b = per_response_values(first), per_response_values(second)
    for values, response in ((a, first), (b, second)):
        assert not MARK.search(response.content.decode())
        # The scripts carry the nonce the policy allows, and every form the page's CSRF token.
        assert values["script_nonces"] == {values["header_nonce"]}
        assert values["form_csrf"] == {values["header_csrf"]}
        assert len(values["tokens"]) == len(set(values["tokens"])) >= 2  # quick check and rest
    assert a["header_nonce"] != b["header_nonce"]
    assert a["header_csrf"] != b["header_csrf"]
    assert not set(a["tokens"]) & set(b["tokens"])


def test_the_csrf_token_of_a_stored_page_is_accepted(people: People) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.owner)
    client.get(today_url(people))
    values = per_response_values(client.get(today_url(people)))
    token = values["tokens"][0]
    data = {"csrfmiddlewaretoken": values["header_csrf"], "token": token, "strength": "6", "fatigue": "4"}
    response = client.post(reverse("diary:quick_check", args=[people.diary.pk]), data)
    assert response.status_code in {200, 302}
    assert QuickCheck.objects.get().strength == 6


def test_two_openings_of_the_same_page_log_two_quick_checks_not_one(people: People) -> None:
    """Each opening has its own single-use token, so the second is not taken for a double tap."""
    client = people.client_for("owner")
    tokens = [per_response_values(client.get(today_url(people)))["tokens"][0] for _ in range(2)]
    for token in tokens:
        client.post(reverse("diary:quick_check", args=[people.diary.pk]), {"token": token, "strength": "5"}, **HTMX)
    assert QuickCheck.objects.count() == 2


def rated_fatigue(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="fatigue" value="(\d*)"[^>]*checked', html)


def test_a_change_made_outside_any_request_shows_at_once(people: People) -> None:
    client = people.client_for("owner")
    client.get(today_url(people))
    day_entry_save_scores(diary=people.diary, date=people.diary.today(), scores={"fatigue": 6}, by=people.editor)
    html = client.get(today_url(people)).content.decode()
    assert rated_fatigue(html) == ["6"]
    assert "Last changed by Carla" in html


def test_a_new_name_shows_on_the_pages_of_everyone_who_shares_the_diary(people: People) -> None:
    day_entry_save_scores(diary=people.diary, date=people.diary.today(), scores={"fatigue": 2}, by=people.editor)
    owner = people.client_for("owner")
    assert "Last changed by Carla" in owner.get(today_url(people)).content.decode()
    people.client_for("editor").post(reverse("accounts:account"), {"display_name": "Carla Jones"})
    assert "Last changed by Carla Jones" in owner.get(today_url(people)).content.decode()


def test_a_new_role_shows_its_own_controls_at_once(people: People) -> None:
    viewer = people.client_for("viewer")
    assert "hx-post" not in viewer.get(today_url(people)).content.decode()
    membership = Membership.objects.get(diary=people.diary, user=people.viewer)
    membership.role = Role.EDITOR
    membership.save()
    assert "hx-post" in viewer.get(today_url(people)).content.decode()


def test_members_never_get_each_others_pages(people: People) -> None:
    people.client_for("owner").get(today_url(people))
    html = people.client_for("viewer").get(today_url(people)).content.decode()
    assert "hx-post" not in html  # the owner's stored page has save controls; the viewer's has none


def revision(people: People) -> int:
    return Diary.objects.get(pk=people.diary.pk).revision


@pytest.mark.parametrize(
    ("field", "value", "changes"),
    [("fatigue", "3", True), ("fatigue", "99", False)],
)
def test_a_successful_post_marks_the_diary_changed_and_a_refused_one_does_not(
    people: People, field: str, value: str, changes: bool
) -> None:
    client = people.client_for("owner")
    client.get(today_url(people))
    before = revision(people)
    url = reverse("diary:day_field", args=[people.diary.pk, people.diary.today().isoformat(), field])
    client.post(url, {field: value}, **HTMX)
    assert (revision(people) != before) is changes


def test_opening_pages_changes_nothing(people: People) -> None:
    before = revision(people)
    for who in ("owner", "viewer"):
        people.client_for(who).get(today_url(people))
    assert revision(people) == before


def test_a_one_time_message_shows_once_even_when_the_page_is_stored(people: People) -> None:
    client = people.client_for("owner")
    client.get(today_url(people))  # stored
    future = (people.diary.today() + dt.timedelta(days=3)).isoformat()
    shown = client.get(reverse("diary:day", args=[people.diary.pk, future]), follow=True).content.decode()
    assert "That day has not happened yet" in shown
    again, queries = queries_of(client, today_url(people))
    assert queries == 2
    assert 'class="messages"' not in again.content.decode()


def test_a_past_day_and_today_are_stored_apart(people: People) -> None:
    client = people.client_for("owner")
    yesterday = people.diary.today() - dt.timedelta(days=1)
    day_entry_save_scores(diary=people.diary, date=yesterday, scores={"fatigue": 8}, by=people.owner)
    client.get(today_url(people))
    past = client.get(reverse("diary:day", args=[people.diary.pk, yesterday.isoformat()])).content.decode()
    assert rated_fatigue(past) == ["8"]
    assert rated_fatigue(client.get(today_url(people)).content.decode()) == [""]


def rating_url(people: People, field: str = "fatigue") -> str:
    return reverse("diary:day_field", args=[people.diary.pk, people.diary.today().isoformat(), field])


def test_a_rating_and_its_log_entry_are_one_transaction(people: People, monkeypatch: pytest.MonkeyPatch) -> None:
    from diary import activity
    from diary.models import ActivityEntry, DayEntry

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the log is unavailable")

    client = people.client_for("editor")
    client.get(today_url(people))
    before, entries = revision(people), ActivityEntry.objects.count()  # the editor's view is logged
    monkeypatch.setattr(activity, "activity_record", broken)
    with pytest.raises(RuntimeError):
        client.post(rating_url(people), {"fatigue": "4"}, **HTMX)
    # Nothing of the change is left: no rating without its log entry, and the page is still valid.
    assert not DayEntry.objects.filter(diary=people.diary).exists()
    assert ActivityEntry.objects.count() == entries
    assert revision(people) == before


def test_a_rating_save_marks_the_diary_changed_once(people: People) -> None:
    client = people.client_for("owner")
    client.get(today_url(people))
    client.post(rating_url(people), {"fatigue": "4"}, **HTMX)  # creates the day's entry
    with CaptureQueriesContext(connection) as captured:
        response = client.post(rating_url(people), {"fatigue": "5"}, **HTMX)
    assert response.status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert sum(sql.startswith('UPDATE "diary_diary"') for sql in statements) == 1
    assert sum(sql.startswith('INSERT INTO "diary_activityentry"') for sql in statements) == 1
