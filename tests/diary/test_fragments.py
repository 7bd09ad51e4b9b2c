"""Today, a day's page and Today's tips keep parts in the cache (diary.fragments): what people see of it."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diary.models import Diary, Medication, MedicineKind, Membership, QuickCheck, RedFlagPrompt, Role
from diary.services import day_entry_save_scores, quick_check_save
from education.models import TipFeedback
from tests.conftest import People

HTMX = {"HTTP_HX_REQUEST": "true"}


def today_url(people: People) -> str:
    return reverse("diary:today", args=[people.diary.pk])


def tips_url(people: People) -> str:
    return reverse("diary:tips", args=[people.diary.pk])


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


def rated_fatigue(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="fatigue" value="(\d*)"[^>]*checked', html)


def banners(html: str) -> list[str]:
    return re.findall(r'<section class="alert (\w+)"', html)


def add_medicine(people: People) -> None:
    Medication.objects.create(
        diary=people.diary,
        kind=MedicineKind.OTHER,
        name="Pyridostigmine",
        dose_amount=Decimal(60),
        times=["08:00", "13:00"],
        start_date=people.diary.today() - dt.timedelta(days=30),
    )


def test_a_token_on_the_page_is_never_the_same_twice(people: People) -> None:
    add_medicine(people)
    client = people.client_for("owner")
    first, second = client.get(today_url(people)), client.get(today_url(people))
    a, b = per_response_values(first), per_response_values(second)
    for values in (a, b):
        # The scripts carry the nonce the policy allows, and every form the page's CSRF token.
        assert values["script_nonces"] == {values["header_nonce"]}
        assert values["form_csrf"] == {values["header_csrf"]}
        assert len(values["tokens"]) == len(set(values["tokens"])) >= 4  # quick check, rest, two doses
    assert a["header_nonce"] != b["header_nonce"]
    assert a["header_csrf"] != b["header_csrf"]
    assert not set(a["tokens"]) & set(b["tokens"])


def test_the_csrf_token_of_a_page_opened_again_is_accepted(people: People) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.owner)
    client.get(today_url(people))
    values = per_response_values(client.get(today_url(people)))
    data = {"csrfmiddlewaretoken": values["header_csrf"], "token": values["tokens"][0], "strength": "6", "fatigue": "4"}
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


def test_a_change_by_an_editor_shows_on_the_owners_next_today_at_once(people: People) -> None:
    owner = people.client_for("owner")
    owner.get(today_url(people))
    editor = people.client_for("editor")
    url = reverse("diary:day_field", args=[people.diary.pk, people.diary.today().isoformat(), "fatigue"])
    assert editor.post(url, {"fatigue": "6"}, **HTMX).status_code == 200
    token = per_response_values(editor.get(today_url(people)))["tokens"][0]
    editor.post(reverse("diary:quick_check", args=[people.diary.pk]), {"token": token, "strength": "3"}, **HTMX)
    html = owner.get(today_url(people)).content.decode()
    assert rated_fatigue(html) == ["6"]
    assert "Last changed by Carla" in html
    assert "Quick check: strength 3" in html


def test_a_red_flag_answered_by_an_editor_shows_on_the_owners_next_today_and_is_kept(people: People) -> None:
    owner = people.client_for("owner")
    assert banners(owner.get(today_url(people)).content.decode()) == []
    url = reverse("diary:day_field", args=[people.diary.pk, people.diary.today().isoformat(), "breathlessness"])
    people.client_for("editor").post(url, {"breathlessness": "3"}, **HTMX)
    assert banners(owner.get(today_url(people)).content.decode()) == ["emergency"]
    assert RedFlagPrompt.objects.filter(diary=people.diary, key="breathless_rest").count() == 1
    # Answered again as fine: the banner goes at once.
    people.client_for("editor").post(url, {"breathlessness": "0"}, **HTMX)
    assert banners(owner.get(today_url(people)).content.decode()) == []


def test_a_red_flag_saved_outside_any_request_shows_and_is_kept_when_today_is_shown(people: People) -> None:
    owner = people.client_for("owner")
    owner.get(today_url(people))
    day_entry_save_scores(diary=people.diary, date=people.diary.today(), scores={"speech": 3}, by=people.editor)
    assert not RedFlagPrompt.objects.exists()
    assert banners(owner.get(today_url(people)).content.decode()) == ["urgent"]
    assert RedFlagPrompt.objects.filter(diary=people.diary, shown_to=people.owner).count() == 1


def test_a_quick_check_logged_outside_any_request_shows_at_once(people: People) -> None:
    owner = people.client_for("owner")
    owner.get(today_url(people))
    quick_check_save(diary=people.diary, token=uuid.uuid4(), by=people.editor, strength=2, fatigue=9)
    assert "Quick check: strength 2, fatigue 9" in owner.get(today_url(people)).content.decode()


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
    assert "hx-post" not in html  # the owner's rating buttons save; the viewer's are disabled


def test_a_one_time_message_shows_once(people: People) -> None:
    client = people.client_for("owner")
    client.get(today_url(people))
    future = (people.diary.today() + dt.timedelta(days=3)).isoformat()
    shown = client.get(reverse("diary:day", args=[people.diary.pk, future]), follow=True).content.decode()
    assert "That day has not happened yet" in shown
    assert 'class="messages"' not in client.get(today_url(people)).content.decode()


def test_a_past_day_and_today_are_kept_apart(people: People) -> None:
    client = people.client_for("owner")
    yesterday = people.diary.today() - dt.timedelta(days=1)
    day_entry_save_scores(diary=people.diary, date=yesterday, scores={"fatigue": 8}, by=people.owner)
    client.get(today_url(people))
    past = client.get(reverse("diary:day", args=[people.diary.pk, yesterday.isoformat()])).content.decode()
    assert rated_fatigue(past) == ["8"]
    assert rated_fatigue(client.get(today_url(people)).content.decode()) == [""]


def test_answers_sent_back_with_a_mistake_show_as_sent_and_not_as_stored(people: People) -> None:
    client = people.client_for("owner")
    client.get(today_url(people))
    url = reverse("diary:day_save", args=[people.diary.pk, people.diary.today().isoformat()])
    response = client.post(url, {"fatigue": "7", "speech": "99"})
    assert response.status_code == 400
    assert rated_fatigue(response.content.decode()) == ["7"]
    assert rated_fatigue(client.get(today_url(people)).content.decode()) == [""]


def log_high_fatigue(people: People) -> None:
    for n in range(5):
        day = people.diary.today() - dt.timedelta(days=n)
        day_entry_save_scores(diary=people.diary, date=day, scores={"fatigue": 9}, by=people.owner)


def test_a_hidden_tip_goes_at_once_for_that_person_only(people: People) -> None:
    log_high_fatigue(people)
    owner, editor = people.client_for("owner"), people.client_for("editor")
    shown = re.findall(r'id="tip-(T\d+)"', owner.get(tips_url(people), **HTMX).content.decode())
    assert shown
    editor.get(tips_url(people), **HTMX)
    owner.post(reverse("diary:tip_feedback", args=[people.diary.pk, shown[0], "dismissed"]), **HTMX)
    assert TipFeedback.objects.filter(user=people.owner).count() == 1
    assert f'id="tip-{shown[0]}"' not in owner.get(tips_url(people), **HTMX).content.decode()
    assert f'id="tip-{shown[0]}"' in editor.get(tips_url(people), **HTMX).content.decode()


def test_the_tip_buttons_work_without_javascript_with_a_fresh_csrf_token(people: People) -> None:
    log_high_fatigue(people)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.owner)
    first = client.get(tips_url(people))
    html = client.get(tips_url(people)).content.decode()
    [form] = re.findall(r'<form id="tip-feedback" method="post"[^>]*>(.*?)</form>', html)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    assert csrf not in first.content.decode()
    action = re.search(r'form="tip-feedback" formaction="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    response = client.post(action, {"csrfmiddlewaretoken": csrf, "next": tips_url(people)})
    assert response.status_code == 302
    assert TipFeedback.objects.filter(user=people.owner).count() == 1


def revision(people: People) -> int:
    return Diary.objects.get(pk=people.diary.pk).revision


@pytest.mark.parametrize(("value", "changes"), [("3", True), ("99", False)])
def test_a_successful_post_marks_the_diary_changed_and_a_refused_one_does_not(
    people: People, value: str, changes: bool
) -> None:
    client = people.client_for("owner")
    client.get(today_url(people))
    before = revision(people)
    url = reverse("diary:day_field", args=[people.diary.pk, people.diary.today().isoformat(), "fatigue"])
    client.post(url, {"fatigue": value}, **HTMX)
    assert (revision(people) != before) is changes


def test_opening_pages_changes_nothing(people: People) -> None:
    before = revision(people)
    for who in ("owner", "viewer"):
        people.client_for(who).get(today_url(people))
        people.client_for(who).get(tips_url(people), **HTMX)
    assert revision(people) == before


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
    # Nothing of the change is left: no rating without its log entry, and the cached parts are still valid.
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


def test_cached_parts_are_keyed_by_the_templates_so_a_new_release_never_reads_old_parts(people: People) -> None:
    from diary import fragments
    from diary.access import DiaryAccess, membership_with_diary

    membership = membership_with_diary(diary_id=people.diary.pk, user_id=people.owner.pk)
    assert membership is not None
    access = DiaryAccess(diary=membership.diary, membership=membership)
    key = fragments.fragment_context(access, people.diary.today())["fragment_key"]
    assert str(key).startswith(fragments.TEMPLATES_DIGEST + ":")
    assert len(fragments.TEMPLATES_DIGEST) == 12
