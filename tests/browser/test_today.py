"""Today on a phone: sign-up to first answers, red flags, quick checks, no-JS, access, a11y."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import User
from diary.models import DayEntry, Diary, QuickCheck
from diary.services import day_entry_save_scores, quick_check_save
from tests.browser.conftest import (
    PHONE,
    axe_violations,
    rating,
    rating_input,
    sign_in,
    tap_and_wait_saved,
)
from tests.conftest import PASSWORD, People

pytestmark = pytest.mark.django_db(transaction=True)


def today_url(base_url: str, diary: Diary) -> str:
    return base_url + reverse("diary:today", args=[diary.pk])


@pytest.fixture
def owner_on_today(phone: Page, live_server: Any, people: People) -> Page:
    sign_in(phone, live_server.url, people.owner.email, PASSWORD)
    expect(phone).to_have_url(today_url(live_server.url, people.diary))
    return phone


@pytest.fixture
def berlin_context(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    """A phone whose clock is set to Berlin, to see the diary guess its time zone."""
    context = browser.new_context(**{**browser_context_args, "timezone_id": "Europe/Berlin"})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def no_js_context(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    context.set_default_timeout(10_000)
    yield context
    context.close()


# Five answers a new patient gives on the first day: (field, stored value).
FIRST_ANSWERS = [
    ("weakness_hips", 2),
    ("fatigue", 7),
    ("swallowing", 1),
    ("dry_mouth", 2),
    ("percent_normal", 60),
]


def test_sign_up_create_diary_and_rate_five_items(berlin_context: BrowserContext, live_server: Any) -> None:
    page = berlin_context.new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("new.patient@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile(r"Password \(again\)")).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    expect(page).to_have_url(f"{live_server.url}/d/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start your diary")
    page.get_by_label("Patient's name").fill("  Nina   New ")
    # The phone's own zone is preselected; the person keeps it.
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    page.get_by_role("button", name="Create the diary").click()

    user = User.objects.get(email="new.patient@example.com")
    diary = Diary.objects.get(memberships__user=user)
    assert diary.patient_name == "Nina New"
    assert diary.time_zone == "Europe/Berlin"
    expect(page).to_have_url(today_url(live_server.url, diary))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")

    for field, value in FIRST_ANSWERS:
        tap_and_wait_saved(page, field, value)

    page.reload()
    for field, value in FIRST_ANSWERS:
        expect(rating_input(page, field, value)).to_be_checked()
    # Nothing else got an answer by accident (e.g. a label pointing at another form's radio).
    expect(page.locator("#day-form input[type=radio][value='']:not(:checked)")).to_have_count(len(FIRST_ANSWERS))
    expect(page.locator("#quick-check input[type=radio]:checked")).to_have_count(0)
    assert QuickCheck.objects.filter(diary=diary).count() == 0

    entry = DayEntry.objects.get(diary=diary, date=diary.today())
    assert {field: getattr(entry, field) for field, _value in FIRST_ANSWERS} == dict(FIRST_ANSWERS)
    assert entry.rated_count() == len(FIRST_ANSWERS)
    assert entry.updated_by == user


@pytest.mark.parametrize(
    ("field", "danger_label", "danger", "calmer"),
    [
        ("breathlessness", "Short of breath at rest or lying flat", 3, 1),
        ("choking", "Choked, with trouble breathing afterwards", 2, 0),
    ],
)
def test_red_flag_answer_shows_emergency_banner_at_once(
    owner_on_today: Page, people: People, field: str, danger_label: str, danger: int, calmer: int
) -> None:
    page = owner_on_today
    banner = page.locator("#red-flag-banner")
    expect(banner).to_be_empty()
    expect(banner).to_be_hidden()

    danger_button = rating(page, field, danger)
    expect(danger_button).to_contain_text(danger_label)
    tap_and_wait_saved(page, field, danger)

    # No reload: the banner arrived with the answer's response.
    expect(banner.get_by_role("heading", name="Call emergency services now")).to_be_visible()
    call = banner.get_by_role("link", name=re.compile(r"^Call \d+"))
    expect(call).to_have_attribute("href", re.compile(r"^tel:\+?\d+$"))
    # On top of the page: before the main content, scrolled into view, and read first.
    assert page.evaluate(
        """() => {
            const banner = document.getElementById('red-flag-banner');
            const main = document.querySelector('main');
            return !!(banner.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    expect(banner).to_be_in_viewport()
    expect(banner.get_by_role("heading", name="Call emergency services now")).to_be_focused()
    assert getattr(DayEntry.objects.get(diary=people.diary), field) == danger

    tap_and_wait_saved(page, field, calmer)
    expect(banner).to_be_empty()
    expect(banner).to_be_hidden()
    assert getattr(DayEntry.objects.get(diary=people.diary), field) == calmer

    # After a reload the page agrees with what the taps showed.
    page.reload()
    expect(banner).to_be_hidden()


def tap_quick(page: Page, name: str, value: int) -> None:
    section = page.locator("#quick-check")
    with page.expect_response(lambda r: "/quick-check/" in r.url and r.request.method == "POST") as answer:
        section.get_by_role("group", name=re.compile(name)).locator("label").filter(
            has_text=re.compile(rf"^\s*{value}\s*$")
        ).click()
    assert answer.value.status == 200


def test_quick_check_two_taps_make_one_check(owner_on_today: Page, people: People) -> None:
    page = owner_on_today
    status = page.locator("#quick-check .status")

    tap_quick(page, "strength", 6)
    expect(status).to_have_text("Saved. Now tap the other number.")
    tap_quick(page, "Fatigue", 4)
    expect(status).to_contain_text(re.compile(r"Quick check saved at \d\d:\d\d: strength 6, fatigue 4\."))
    checks = list(QuickCheck.objects.filter(diary=people.diary))
    assert [(c.strength, c.fatigue) for c in checks] == [(6, 4)]
    # The diary's own day entry is untouched by the quick check's "fatigue".
    assert not DayEntry.objects.filter(diary=people.diary).exists()

    # A fresh form is ready: nothing checked, and the next pair makes a second check.
    expect(page.locator("#quick-check input[type=radio]:checked")).to_have_count(0)
    tap_quick(page, "strength", 3)
    expect(status).to_have_text("Saved. Now tap the other number.")
    tap_quick(page, "Fatigue", 8)
    expect(status).to_contain_text("strength 3, fatigue 8.")
    checks = list(QuickCheck.objects.filter(diary=people.diary).order_by("taken_at", "pk"))
    assert [(c.strength, c.fatigue) for c in checks] == [(6, 4), (3, 8)]

    # The day's timeline lists both after a reload.
    page.reload()
    listed = page.get_by_role("region", name="What happened this day").get_by_role("listitem")
    expect(listed.filter(has_text="Quick check")).to_have_count(2)
    expect(listed.filter(has_text="Quick check").nth(0)).to_contain_text("strength 6, fatigue 4")
    expect(listed.filter(has_text="Quick check").nth(1)).to_contain_text("strength 3, fatigue 8")


def test_without_javascript_today_is_a_plain_form(
    no_js_context: BrowserContext, live_server: Any, people: People
) -> None:
    page = no_js_context.new_page()
    sign_in(page, live_server.url, people.owner.email, PASSWORD)
    expect(page).to_have_url(today_url(live_server.url, people.diary))

    save_all = page.get_by_role("button", name="Save all answers")
    expect(save_all).to_be_visible()
    rating(page, "stairs", 1).click()
    rating(page, "fatigue", 5).click()
    expect(rating_input(page, "stairs", 1)).to_be_checked()
    expect(rating_input(page, "fatigue", 5)).to_be_checked()
    save_all.click()

    expect(page).to_have_url(today_url(live_server.url, people.diary))
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    entry = DayEntry.objects.get(diary=people.diary, date=people.diary.today())
    assert (entry.stairs, entry.fatigue) == (1, 5)
    assert entry.rated_count() == 2
    assert QuickCheck.objects.filter(diary=people.diary).count() == 0
    expect(rating_input(page, "stairs", 1)).to_be_checked()
    expect(rating_input(page, "fatigue", 5)).to_be_checked()


def seed_today(people: People, **scores: int) -> None:
    """Some answers, a quick check and a medicine due four times a day."""
    today = people.diary.today()
    day_entry_save_scores(
        diary=people.diary,
        date=today,
        scores={"weakness_hips": 2, "fatigue": 6, "swallowing": 1, "percent_normal": 70, **scores},
        by=people.owner,
    )
    quick_check_save(diary=people.diary, token=uuid.uuid4(), by=people.editor, strength=7, fatigue=3)
    medicine = {
        "kind": "amifampridine",
        "strength": "10",
        "unit": "mg",
        "dose_amount": "10",
        "times_text": "07:00, 11:00, 15:00, 19:00",
        "start_date": (today - dt.timedelta(days=30)).isoformat(),
        "prescriber": "Dr Okafor",
    }
    added = people.client_for("owner").post(reverse("diary:medication_add", args=[people.diary.pk]), medicine)
    assert added.status_code == 302


def test_today_has_no_axe_violations(phone: Page, live_server: Any, people: People) -> None:
    seed_today(people)
    sign_in(phone, live_server.url, people.owner.email, PASSWORD)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Today")
    assert axe_violations(phone) == []

    # With the emergency banner showing, arrived through a tap.
    tap_and_wait_saved(phone, "breathlessness", 3)
    expect(phone.locator("#red-flag-banner h2")).to_be_visible()
    assert axe_violations(phone) == []

    # And when the page is loaded with the banner already there.
    phone.reload()
    expect(phone.locator("#red-flag-banner h2")).to_be_visible()
    assert axe_violations(phone) == []


def test_sign_in_sign_up_and_new_diary_pages_have_no_axe_violations(
    phone: Page, live_server: Any, people: People
) -> None:
    for path in ("/accounts/login/", "/accounts/signup/"):
        phone.goto(live_server.url + path)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        assert axe_violations(phone) == [], path

    # Someone with no diary yet (the stranger's diary is not shared with them).
    User.objects.create_user(email="nodiary@example.com", password=PASSWORD)
    sign_in(phone, live_server.url, "nodiary@example.com", PASSWORD)
    expect(phone).to_have_url(f"{live_server.url}/d/new/")
    assert axe_violations(phone) == []


TARGETS_JS = """
() => {
    // Buttons, links, rating choices (their <label>: the radio inside is hidden) and fields.
    const MIN = 44;
    const small = [], inline = [];
    const candidates = document.querySelectorAll(
        'a[href], button, input[type=submit], .choices label, select, textarea, '
        + 'input:not([type=hidden]):not([type=radio])'
    );
    for (const el of new Set(candidates)) {
        if (getComputedStyle(el).visibility === 'hidden' || el.getClientRects().length === 0) continue;
        const box = el.getBoundingClientRect();
        if (box.right <= 0 || box.bottom + window.scrollY <= 0) continue;  // parked off screen (skip link)
        // A link broken over two lines is two small pieces, not one tall box: measure each piece.
        const pieces = Array.from(el.getClientRects());
        const width = pieces.length > 1 ? Math.max(...pieces.map(r => r.width)) : box.width;
        const height = pieces.length > 1 ? Math.max(...pieces.map(r => r.height)) : box.height;
        if (width >= MIN - 0.5 && height >= MIN - 0.5) continue;
        const line = `${el.outerHTML.slice(0, 120)} is ${width.toFixed(1)}x${height.toFixed(1)}`;
        // A link inside a sentence (its paragraph has other words) is exempt (WCAG 2.5.8 "inline").
        const parent = el.parentElement;
        const inSentence = el.tagName === 'A' && getComputedStyle(el).display === 'inline'
            && parent.textContent.trim().length > el.textContent.trim().length;
        (inSentence ? inline : small).push(line);
    }
    return {small, inline};
}
"""


def scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_tap_targets_are_large_and_nothing_scrolls_sideways(owner_on_today: Page, people: People) -> None:
    """Every visible button, link, rating choice and field on Today is at least 44x44 CSS px.

    Today has no exemptions at all: every link on it stands on its own line, so
    even the inline-link exemption of WCAG 2.5.8 is not used (``inline`` is empty).
    """
    page = owner_on_today
    assert page.viewport_size == PHONE
    seed_today(people, breathlessness=3)  # the emergency banner adds links of its own
    page.reload()
    expect(page.locator("#red-flag-banner h2")).to_be_visible()
    expect(page.get_by_role("region", name="What happened this day").get_by_role("listitem")).not_to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Taken now"))).to_have_count(4)

    assert page.evaluate(TARGETS_JS) == {"small": [], "inline": []}
    assert scroll_width(page) <= PHONE["width"]

    # The skip link, once focused by the keyboard, is a target too.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44, box
    assert scroll_width(page) <= PHONE["width"]

    # After taps (status text, banner and quick check swapped in) nothing shrinks or overflows.
    tap_and_wait_saved(page, "choking", 1)
    tap_quick(page, "strength", 5)
    assert page.evaluate(TARGETS_JS) == {"small": [], "inline": []}
    assert scroll_width(page) <= PHONE["width"]


def test_sign_in_and_sign_up_fit_a_phone(phone: Page, live_server: Any) -> None:
    """allauth's pages: large targets too, except links inside one of its sentences
    ("...then please sign up first."), which WCAG 2.5.8 exempts as inline text."""
    for path in ("/accounts/login/", "/accounts/signup/"):
        phone.goto(live_server.url + path)
        targets = phone.evaluate(TARGETS_JS)
        assert targets["small"] == [], path
        assert len(targets["inline"]) <= 1, targets["inline"]
        assert scroll_width(phone) <= PHONE["width"], path


def test_a_tap_that_cannot_be_saved_says_so(owner_on_today: Page, people: People) -> None:
    page = owner_on_today
    status = page.locator("#status-fatigue")
    page.context.set_offline(True)
    rating(page, "fatigue", 4).click()
    expect(status.locator(".error")).to_contain_text("Not saved")
    assert not DayEntry.objects.filter(diary=people.diary).exists()
    # The buttons show what is saved again ("Not rated"), so the same tap can be repeated.
    expect(rating_input(page, "fatigue", "")).to_be_checked()
    expect(rating_input(page, "fatigue", 4)).not_to_be_checked()

    page.context.set_offline(False)
    tap_and_wait_saved(page, "fatigue", 4)
    expect(status.locator(".error")).to_have_count(0)
    assert DayEntry.objects.get(diary=people.diary).fatigue == 4

    # The quick check too.
    page.context.set_offline(True)
    page.locator("#quick-check label").filter(has_text=re.compile(r"^\s*5\s*$")).first.click()
    expect(page.locator("#quick-check .status .error")).to_contain_text("Not saved")
    expect(page.locator("#quick-check input[type=radio]:checked")).to_have_count(0)
    page.context.set_offline(False)
    tap_quick(page, "strength", 5)
    expect(page.locator("#quick-check .status")).to_have_text("Saved. Now tap the other number.")
    assert QuickCheck.objects.get(diary=people.diary).strength == 5


def test_viewer_sees_today_read_only(phone: Page, live_server: Any, people: People) -> None:
    seed_today(people)
    sign_in(phone, live_server.url, people.viewer.email, PASSWORD)
    expect(phone).to_have_url(today_url(live_server.url, people.diary))
    expect(phone.get_by_text("You can read this diary but not change it.")).to_be_visible()

    # The owner's answers are there to read...
    expect(rating_input(phone, "fatigue", 6)).to_be_checked()
    radios = phone.locator("main input[type=radio]")
    assert radios.count() > 0
    for i in range(radios.count()):
        expect(radios.nth(i)).to_be_disabled()
    # ...but nothing can be changed or saved. (Hiding a tip, in #tips, is the viewer's own
    # preference, not a change to the diary, so it stays.)
    expect(phone.locator("main textarea, main input[type=text], main [hx-post]:not(#tips *)")).to_have_count(0)
    expect(phone.locator("main button:not(#tips button), main input[type=submit]")).to_have_count(0)
    expect(phone.get_by_role("button", name=re.compile("Save"))).to_have_count(0)
    rating(phone, "fatigue", 2).click(force=True)
    expect(rating_input(phone, "fatigue", 6)).to_be_checked()
    expect(phone.locator("#quick-check input")).to_have_count(0)
    assert DayEntry.objects.get(diary=people.diary).fatigue == 6
