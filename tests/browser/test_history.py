"""History on a phone: past days newest first, and a past day changed by a tap."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils.dateformat import format as date_format
from playwright.sync_api import Page, expect

from diary import scales
from diary.models import DayEntry
from diary.services import day_entry_save_note, day_entry_save_scores
from tests.browser.conftest import PHONE, axe_violations, rating_input, sign_in, tap_and_wait_saved
from tests.conftest import PASSWORD, People

pytestmark = pytest.mark.django_db(transaction=True)


def seed_past_days(people: People) -> list[dt.date]:
    """Three past days, saved out of order, with different summaries."""
    today = people.diary.today()
    days = {
        today - dt.timedelta(days=5): {"weakness_hips": 3, "fatigue": 8, "percent_normal": 30},
        today - dt.timedelta(days=1): {"weakness_hips": 1, "fatigue": 4, "percent_normal": 80},
        today - dt.timedelta(days=2): {"weakness_hips": 2, "fatigue": 6, "swallowing": 1, "percent_normal": 50},
    }
    for day, scores in days.items():
        day_entry_save_scores(diary=people.diary, date=day, scores=scores, by=people.owner)
    day_entry_save_note(
        diary=people.diary,
        date=today - dt.timedelta(days=2),
        note="Bad night, stairs hard.",
        seen_version=0,
        by=people.owner,
    )
    return sorted(days, reverse=True)


def open_history(page: Page, base_url: str, people: People) -> None:
    sign_in(page, base_url, people.owner.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    expect(page).to_have_url(base_url + reverse("diary:history", args=[people.diary.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("History")


def test_history_lists_days_newest_first_and_a_past_day_can_be_changed(
    phone: Page, live_server: Any, people: People
) -> None:
    days = seed_past_days(people)
    open_history(phone, live_server.url, people)

    rows = phone.locator("ul.days > li")
    expect(rows).to_have_count(3)
    expect(phone.locator("ul.days > li .date")).to_have_text([date_format(day, "D j M Y") for day in days])
    # Each row summarises its day.
    expect(rows.nth(0)).to_contain_text("Legs: 1")
    expect(rows.nth(0)).to_contain_text("Fatigue: 4")
    expect(rows.nth(0)).to_contain_text("% normal: 80%")
    expect(rows.nth(0)).to_contain_text(f"3 of {len(scales.DAILY_ITEMS)} rated")
    expect(rows.nth(1)).to_contain_text("Swallowing: 1")
    expect(rows.nth(1)).to_contain_text(f"4 of {len(scales.DAILY_ITEMS)} rated")
    expect(rows.nth(1)).to_contain_text("Bad night, stairs hard.")
    expect(rows.nth(2)).to_contain_text("Fatigue: 8")

    # Open the day before yesterday and change its fatigue from 6 to 3 by tapping.
    two_days_ago = days[1]
    rows.nth(1).get_by_role("link").click()
    expect(phone).to_have_url(live_server.url + reverse("diary:day", args=[people.diary.pk, two_days_ago.isoformat()]))
    expect(phone.get_by_role("heading", level=1)).to_have_text(date_format(two_days_ago, "l j F Y"))
    expect(rating_input(phone, "fatigue", 6)).to_be_checked()
    expect(phone.locator("#quick-check")).to_have_count(0)  # quick checks are for now, not the past

    tap_and_wait_saved(phone, "fatigue", 3)
    entry = DayEntry.objects.get(diary=people.diary, date=two_days_ago)
    assert entry.fatigue == 3
    assert (entry.weakness_hips, entry.swallowing, entry.percent_normal) == (2, 1, 50)  # the rest untouched
    assert not DayEntry.objects.filter(diary=people.diary, date=people.diary.today()).exists()

    # Back in History, the summary shows the new value.
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    expect(phone.locator("ul.days > li").nth(1)).to_contain_text("Fatigue: 3")


def test_history_opens_a_day_picked_from_the_calendar(phone: Page, live_server: Any, people: People) -> None:
    seed_past_days(people)
    open_history(phone, live_server.url, people)
    unlogged = people.diary.today() - dt.timedelta(days=10)
    phone.get_by_label("Open another day").fill(unlogged.isoformat())
    phone.get_by_role("button", name="Open this day").click()
    expect(phone).to_have_url(live_server.url + reverse("diary:day", args=[people.diary.pk, unlogged.isoformat()]))
    tap_and_wait_saved(phone, "breathlessness", 1)
    assert DayEntry.objects.get(diary=people.diary, date=unlogged).breathlessness == 1


def test_history_has_no_axe_violations_and_fits_a_phone(phone: Page, live_server: Any, people: People) -> None:
    seed_past_days(people)
    open_history(phone, live_server.url, people)
    expect(phone.locator("ul.days > li")).to_have_count(3)
    assert axe_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
