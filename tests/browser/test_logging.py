"""Logging in a real phone browser: a dose marked taken, a rest started and ended, a fall logged."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from diary.models import DoseLog, Event, Medication, RestPeriod
from tests.browser.conftest import axe_violations, sign_in
from tests.conftest import PASSWORD, People


def medicine_due_at_midnight(people: People) -> Medication:
    # Scheduled at 00:00 so that it is always due earlier today, whatever time the test runs.
    return Medication.objects.create(
        diary=people.diary,
        kind="amifampridine",
        dose_amount=10,
        unit="mg",
        times=["00:00"],
        start_date=people.diary.today() - dt.timedelta(days=3),
    )


@pytest.mark.django_db(transaction=True)
def test_a_dose_is_marked_taken_with_one_tap(phone: Page, live_server: object, people: People) -> None:
    medicine_due_at_midnight(people)
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(phone, base, people.owner.email, PASSWORD)
    phone.goto(f"{base}/d/{people.diary.pk}/today/")
    doses = phone.locator("#doses")
    expect(doses).to_contain_text("Amifampridine")
    assert axe_violations(phone) == []
    doses.get_by_role("button", name="Taken now").click()
    expect(phone.locator(".messages")).to_contain_text("marked taken")
    expect(phone.locator("#doses")).not_to_contain_text("Taken now")
    expect(phone.locator("#timeline")).to_contain_text("logged by Pat")
    assert DoseLog.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_rest_is_started_and_ended(phone: Page, live_server: object, people: People) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(phone, base, people.owner.email, PASSWORD)
    phone.goto(f"{base}/d/{people.diary.pk}/today/")
    phone.get_by_role("button", name="Start rest").click()
    rest = phone.locator("#rest")
    expect(rest).to_contain_text("Resting since")
    expect(rest.locator(".elapsed")).to_contain_text("min")
    assert axe_violations(phone) == []
    rest.locator("label", has_text="7").first.click()
    rest.get_by_text("No", exact=True).first.click()
    rest.get_by_role("button", name="End rest").click()
    expect(phone.locator(".messages")).to_contain_text("Rest ended after")
    ended = RestPeriod.objects.get()
    assert ended.ended_at is not None and ended.energy_after == 7 and ended.planned is False


@pytest.mark.django_db(transaction=True)
def test_a_fall_is_logged_and_same_day_guidance_shows(phone: Page, live_server: object, people: People) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(phone, base, people.owner.email, PASSWORD)
    phone.goto(f"{base}/d/{people.diary.pk}/events/")
    phone.get_by_role("link", name="Fall", exact=True).click()
    expect(phone.get_by_role("heading", name="Fall")).to_be_visible()
    assert axe_violations(phone) == []
    phone.get_by_label("What you were doing").fill("Standing up from the sofa")
    phone.get_by_label("Where").fill("Living room")
    phone.locator("label", has_text="Minor injury").click()
    phone.locator("fieldset", has_text="Hit your head").get_by_text("No", exact=True).click()
    phone.get_by_role("button", name="Save").click()
    banner = phone.locator("#red-flag-banner")
    expect(banner).to_contain_text("Contact your neurology team today")
    expect(phone.locator(".days")).to_contain_text("Fall")
    assert axe_violations(phone) == []
    event = Event.objects.get()
    assert (event.kind, event.injury, event.head_strike) == ("fall", "minor", False)


@pytest.mark.django_db(transaction=True)
def test_medicine_treatment_and_event_pages_pass_axe(phone: Page, live_server: object, people: People) -> None:
    medicine = medicine_due_at_midnight(people)
    base = live_server.url  # type: ignore[attr-defined]
    sign_in(phone, base, people.owner.email, PASSWORD)
    for path in [
        "medicines/",
        "medicines/add/",
        f"medicines/{medicine.pk}/change/",
        f"doses/log/?medication={medicine.pk}",
        "rest/add/",
        "treatments/",
        "treatments/add/",
        "events/add/blood_pressure/",
    ]:
        phone.goto(f"{base}/d/{people.diary.pk}/{path}")
        assert axe_violations(phone) == [], path
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
