"""Today and past days: per-tap saves, the no-JS form, notes, bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import dateformat
from django.utils.autoreload import file_changed

from diary import scales
from diary.models import DayEntry, Diary
from diary.services import day_entry_save_note, day_entry_save_scores, diary_create
from diary.views import entries
from tests.conftest import People

HTMX = {"HTTP_HX_REQUEST": "true"}


def field_url(people: People, field: str, day: dt.date | None = None) -> str:
    day = day or people.diary.today()
    return reverse("diary:day_field", args=[people.diary.pk, day.isoformat(), field])


def test_today_shows_every_item_with_its_scale_written_out(people: People) -> None:
    response = people.client_for("owner").get(reverse("diary:today", args=[people.diary.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for item in scales.DAILY_ITEMS:
        assert f'id="item-{item.field}"' in html
    # Follow-ups are asked only when their condition holds (see test_redflags.py).
    assert 'id="item-cough_too_weak"' not in html and 'id="item-ivig_headache"' not in html
    assert "Could not do it, or needed another person" in html
    assert "Most of the waking day" in html
    assert html.count("Not rated") >= len(scales.DAILY_ITEMS)


def test_one_tap_saves_one_item_and_confirms_it(people: People) -> None:
    client = people.client_for("owner")
    response = client.post(field_url(people, "weakness_hips"), {"weakness_hips": "2", "fatigue": "9"}, **HTMX)
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    entry = DayEntry.objects.get(diary=people.diary)
    assert entry.weakness_hips == 2
    # Only the tapped item is written, even though htmx sends the whole form.
    assert entry.fatigue is None
    assert entry.created_by == people.owner


def test_not_rated_is_stored_as_blank_not_zero(people: People) -> None:
    client = people.client_for("owner")
    client.post(field_url(people, "fatigue"), {"fatigue": "0"}, **HTMX)
    assert DayEntry.objects.get().fatigue == 0
    client.post(field_url(people, "fatigue"), {"fatigue": ""}, **HTMX)
    assert DayEntry.objects.get().fatigue is None


def test_each_taps_answer_names_its_own_item_and_whether_it_was_rated(people: People) -> None:
    # The answer is rendered once per item, value and language: no tap may get another's.
    client = people.client_for("owner")
    for field, value in [("fatigue", "3"), ("chewing", "1"), ("fatigue", ""), ("chewing", "1"), ("fatigue", "3")]:
        response = client.post(field_url(people, field), {field: value}, **HTMX)
        label = str(scales.ITEMS_BY_FIELD[field].label)
        ending = "” not rated" if value == "" else "”"
        assert response.content.decode().strip() == f'<span class="saved">Saved: “{label}{ending}</span>'


def test_a_bad_tap_after_a_good_one_of_the_same_item_still_gets_its_error(people: People) -> None:
    # The tap's field is shared between taps; the error belongs to the tap that made it.
    client = people.client_for("owner")
    assert client.post(field_url(people, "fatigue"), {"fatigue": "4"}, **HTMX).status_code == 200
    refused = client.post(field_url(people, "fatigue"), {"fatigue": "x"}, **HTMX)
    assert refused.status_code == 400
    assert "Choose one of the buttons" in refused.content.decode()
    accepted = client.post(field_url(people, "fatigue"), {"fatigue": "5"}, **HTMX)
    assert (accepted.status_code, DayEntry.objects.get().fatigue) == (200, 5)


def test_two_people_rating_different_items_of_the_same_day_keep_both(people: People) -> None:
    people.client_for("owner").post(field_url(people, "fatigue"), {"fatigue": "5", "speech": ""}, **HTMX)
    people.client_for("editor").post(field_url(people, "speech"), {"speech": "1", "fatigue": ""}, **HTMX)
    entry = DayEntry.objects.get()
    assert (entry.fatigue, entry.speech) == (5, 1)
    assert entry.created_by == people.owner
    assert entry.updated_by == people.editor


@pytest.mark.parametrize("value", ["4", "-1", "2.5", "x", "99999999999999999999"])
def test_an_out_of_range_or_malformed_rating_gets_a_clear_error_and_saves_nothing(people: People, value: str) -> None:
    response = people.client_for("owner").post(field_url(people, "weakness_hips"), {"weakness_hips": value}, **HTMX)
    assert response.status_code == 400
    assert "Choose one of the buttons" in response.content.decode()
    assert not DayEntry.objects.exists()


def test_an_unknown_item_is_not_found(people: People) -> None:
    response = people.client_for("owner").post(field_url(people, "password"), {"password": "1"}, **HTMX)
    assert response.status_code == 404


def test_a_future_day_cannot_be_logged(people: People) -> None:
    tomorrow = people.diary.today() + dt.timedelta(days=1)
    client = people.client_for("owner")
    response = client.post(field_url(people, "fatigue", tomorrow), {"fatigue": "3"}, **HTMX)
    assert response.status_code == 404
    response = client.get(reverse("diary:day", args=[people.diary.pk, tomorrow.isoformat()]), follow=True)
    assert "has not happened yet" in response.content.decode()
    assert not DayEntry.objects.exists()


def test_a_malformed_date_gets_a_message_not_an_error(people: People) -> None:
    response = people.client_for("owner").get(reverse("diary:day", args=[people.diary.pk, "2026-02-30"]), follow=True)
    assert response.status_code == 200
    assert "not a date" in response.content.decode()


def test_the_plain_form_saves_every_answer_at_once(people: People) -> None:
    day = people.diary.today() - dt.timedelta(days=3)
    url = reverse("diary:day_save", args=[people.diary.pk, day.isoformat()])
    response = people.client_for("editor").post(url, {"weakness_hips": "1", "percent_normal": "70", "stairs": ""})
    assert response.status_code == 302
    entry = DayEntry.objects.get(date=day)
    assert (entry.weakness_hips, entry.percent_normal, entry.stairs) == (1, 70, None)


def test_the_plain_form_with_one_bad_value_saves_nothing(people: People) -> None:
    url = reverse("diary:day_save", args=[people.diary.pk, people.diary.today().isoformat()])
    response = people.client_for("owner").post(url, {"weakness_hips": "1", "percent_normal": "75"})
    assert response.status_code == 400
    assert "Some answers could not be saved" in response.content.decode()
    assert not DayEntry.objects.exists()


def test_a_day_of_another_diary_cannot_be_reached_through_this_one(people: People) -> None:
    day_entry_save_scores(
        diary=people.stranger_diary, date=people.stranger_diary.today(), scores={"fatigue": 8}, by=people.stranger
    )
    response = people.client_for("owner").get(
        reverse("diary:day", args=[people.stranger_diary.pk, people.stranger_diary.today().isoformat()])
    )
    assert response.status_code == 404


def test_breathing_at_rest_shows_the_emergency_guidance_at_the_top(people: People) -> None:
    client = people.client_for("owner")
    response = client.post(field_url(people, "breathlessness"), {"breathlessness": "3"}, **HTMX)
    html = response.content.decode()
    assert 'id="red-flag-banner"' in html and "hx-swap-oob=" in html
    assert "Call emergency services now" in html
    assert 'href="tel:112"' in html
    page = client.get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    assert page.index("Call emergency services now") < page.index('id="main"')


def test_choking_with_breathing_trouble_is_an_emergency_and_one_cleared_choke_is_for_the_next_visit(
    people: People,
) -> None:
    client = people.client_for("owner")
    html = client.post(field_url(people, "choking"), {"choking": "2"}, **HTMX).content.decode()
    assert "Call emergency services now" in html
    html = client.post(field_url(people, "choking"), {"choking": "1"}, **HTMX).content.decode()
    assert "Call emergency services now" not in html
    # One choke that cleared is not "choking more than once": it is worth raising at the next visit.
    assert "Contact your neurology team today" not in html
    assert "Talk about it at your next visit" in html and "Choking once, which cleared" in html


def test_the_banner_is_sent_again_only_for_answers_that_can_raise_a_red_flag(people: People) -> None:
    client = people.client_for("owner")
    client.post(field_url(people, "breathlessness"), {"breathlessness": "3"}, **HTMX)
    # Another item, on the day that exists now: one UPDATE, and the banner is left as it is.
    other = client.post(field_url(people, "fatigue"), {"fatigue": "4"}, **HTMX).content.decode()
    assert "hx-swap-oob" not in other and "Saved" in other
    assert DayEntry.objects.get().fatigue == 4
    # Breathing better again: the banner is sent again, empty.
    cleared = client.post(field_url(people, "breathlessness"), {"breathlessness": "1"}, **HTMX).content.decode()
    assert "hx-swap-oob" in cleared and "Call emergency services" not in cleared
    assert (DayEntry.objects.get().breathlessness, DayEntry.objects.get().fatigue) == (1, 4)


def test_milder_breathing_answers_show_no_emergency_guidance(people: People) -> None:
    html = people.client_for("owner").post(field_url(people, "breathlessness"), {"breathlessness": "1"}, **HTMX)
    assert "Call emergency services" not in html.content.decode()
    assert "Contact your neurology team" not in html.content.decode()


def test_the_emergency_number_follows_the_setting(people: People, settings: object) -> None:
    settings.EMERGENCY_PHONE_NUMBER = "911"  # type: ignore[attr-defined]
    html = people.client_for("owner").post(field_url(people, "breathlessness"), {"breathlessness": "3"}, **HTMX)
    assert 'href="tel:911"' in html.content.decode()


def test_a_note_saves_and_a_stale_version_gets_a_conflict_not_an_overwrite(people: People) -> None:
    day = people.diary.today()
    url = reverse("diary:day_note", args=[people.diary.pk, day.isoformat()])
    owner, editor = people.client_for("owner"), people.client_for("editor")
    assert owner.post(url, {"note": "Tired after lunch", "version": "0"}).status_code == 302
    # The editor opened the page before the owner saved: version 0 is stale now.
    response = editor.post(url, {"note": "Carer's note", "version": "0"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed this note while you were writing" in html
    assert "Carer&#x27;s note" in html
    assert DayEntry.objects.get().note == "Tired after lunch"


def test_a_note_that_is_too_long_is_refused_with_a_message(people: People) -> None:
    url = reverse("diary:day_note", args=[people.diary.pk, people.diary.today().isoformat()])
    response = people.client_for("owner").post(url, {"note": "x" * 4001, "version": "0"})
    assert response.status_code == 400
    assert "too long" in response.content.decode()


def test_a_past_day_shows_its_saved_answers_and_who_changed_them(people: People) -> None:
    day = people.diary.today() - dt.timedelta(days=10)
    day_entry_save_scores(diary=people.diary, date=day, scores={"weakness_hips": 3}, by=people.editor)
    day_entry_save_note(diary=people.diary, date=day, note="Bad day", seen_version=0, by=people.editor)
    html = (
        people.client_for("owner").get(reverse("diary:day", args=[people.diary.pk, day.isoformat()])).content.decode()
    )
    checked = re.findall(r'<input type="radio" name="weakness_hips" value="(\d*)"[^>]*checked', html)
    assert checked == ["3"]
    assert "Last changed by Carla" in html
    assert "Bad day" in html


def test_a_viewer_sees_the_day_but_no_save_controls(people: People) -> None:
    html = people.client_for("viewer").get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    assert "You can read this diary but not change it." in html
    assert "Save all answers" not in html
    assert "hx-post" not in html


def test_today_follows_the_diary_time_zone(people: People) -> None:
    far_east = diary_create(owner=people.owner, patient_name="East", time_zone="Pacific/Kiritimati")
    far_west = diary_create(owner=people.owner, patient_name="West", time_zone="Pacific/Pago_Pago")
    client = people.client_for("owner")

    def heading_of_today(diary: Diary) -> tuple[str, set[dt.date]]:
        before = diary.today()
        html = client.get(reverse("diary:today", args=[diary.pk])).content.decode()
        # The day read before and after the request: a midnight in between must not fail the test.
        return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1), {before, diary.today()}  # type: ignore[union-attr]

    east_heading, east_days = heading_of_today(far_east)
    west_heading, west_days = heading_of_today(far_west)
    assert east_heading in {f"Today, {dateformat.format(day, 'l j F Y')}" for day in east_days}
    assert west_heading in {f"Today, {dateformat.format(day, 'l j F Y')}" for day in west_days}
    # 25 hours apart: the far east is always on a later date than the far west.
    assert min(east_days) > max(west_days)
    assert east_heading != west_heading


def test_todays_buttons_show_a_change_made_after_the_page_was_last_served(people: People) -> None:
    client = people.client_for("owner")
    today = reverse("diary:today", args=[people.diary.pk])
    client.get(today)  # fills the cache of the rating buttons
    client.post(field_url(people, "fatigue"), {"fatigue": "7"}, **HTMX)
    html = client.get(today).content.decode()
    assert re.findall(r'<input type="radio" name="fatigue" value="(\d*)"[^>]*checked', html) == ["7"]
    # Another member's page reflects it too, with their own controls.
    viewer_html = people.client_for("viewer").get(today).content.decode()
    assert re.findall(r'<input type="radio" name="fatigue" value="(\d*)"[^>]*checked', viewer_html) == ["7"]
    assert "hx-post" not in viewer_html.split('id="day-form"')[1].split("</form>")[0]


def test_the_tap_answer_is_rendered_afresh_once_a_template_is_edited(people: People, tmp_path: object) -> None:
    people.client_for("owner").post(field_url(people, "fatigue"), {"fatigue": "3"}, **HTMX)
    assert entries._saved_status.cache_info().currsize > 0
    file_changed.send(sender=None, file_path=tmp_path)
    assert entries._saved_status.cache_info().currsize == 0
