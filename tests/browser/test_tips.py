"""Tips in a real browser: a diary with high fatigue shows a pacing tip with its reason on Today."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from diary.services import day_entry_save_scores
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD, People


@pytest.mark.django_db(transaction=True)
def test_high_fatigue_shows_a_pacing_tip_with_its_reason(phone: Page, live_server: object, people: People) -> None:
    today = people.diary.today()
    for n in range(5):
        day_entry_save_scores(
            diary=people.diary, date=today - dt.timedelta(days=n), scores={"fatigue": 9}, by=people.owner
        )
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(phone, base, people.owner.email, PASSWORD)
    phone.goto(f"{base}/d/{people.diary.pk}/today/")
    tips = phone.locator("#tips")
    expect(tips).to_be_visible()
    expect(tips).to_contain_text("Because your fatigue was 7 or more out of 10 on 5 of your last 5 logged days.")
    expect(tips.locator("article.tip").first).to_contain_text("Last reviewed")
    expect(tips.locator("article.tip details.sources").first).to_be_attached()
    assert axe_violations(phone) == []
    first = tips.locator("article.tip").first
    first.get_by_role("button", name="Hide for 30 days").click()
    expect(first).to_contain_text("will not come back for 30 days")


@pytest.mark.django_db(transaction=True)
def test_learn_tips_and_red_flag_pages_pass_axe(phone: Page, live_server: object) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    for path in ["/learn/", "/learn/tips/", "/learn/get-help/", "/learn/what-is-lems/"]:
        phone.goto(base + path)
        assert axe_violations(phone) == [], path
