"""Sharing end to end, with two browsers: the owner invites, the caregiver accepts and logs,
the owner sees who logged it, then removes the caregiver, who is refused at once."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import axe_violations, sign_in, tap_and_wait_saved
from tests.conftest import PASSWORD, People, make_user


@pytest.mark.django_db(transaction=True)
def test_invite_accept_log_see_who_logged_and_remove(
    phone: Page, browser: Browser, browser_context_args: dict[str, Any], live_server: object, people: People
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    make_user("nina@example.com", "Nina")
    owner = phone
    sign_in(owner, base, people.owner.email, PASSWORD)
    owner.goto(f"{base}/d/{people.diary.pk}/sharing/")
    # Sharing changes who may see a health record: allauth asks for the password again.
    expect(owner.get_by_role("heading", name="Confirm Access")).to_be_visible()
    assert axe_violations(owner) == []
    owner.get_by_label("Password").fill(PASSWORD)
    owner.get_by_role("button", name="Confirm").click()
    expect(owner.get_by_role("heading", name="Who can see this diary")).to_be_visible()
    assert axe_violations(owner) == []
    owner.locator("label", has_text="Can log and edit").first.click()
    owner.get_by_role("button", name="Make an invitation link").click()
    link = owner.get_by_label("Invitation link").input_value()
    assert "/invite/" in link

    caregiver_context = browser.new_context(**browser_context_args)
    try:
        caregiver = caregiver_context.new_page()
        caregiver.goto(link)
        caregiver.get_by_label("Email").fill("nina@example.com")
        caregiver.get_by_label("Password").fill(PASSWORD)
        caregiver.get_by_role("button", name="Sign In", exact=True).click()
        expect(caregiver.get_by_role("heading", name="Share the diary of Pat Patient")).to_be_visible()
        caregiver.get_by_role("button", name="Accept").click()
        expect(caregiver.locator(".whose")).to_contain_text("Diary of Pat Patient")
        tap_and_wait_saved(caregiver, "fatigue", 6)

        owner.goto(f"{base}/d/{people.diary.pk}/today/")
        expect(owner.locator("main")).to_contain_text("Last changed by Nina")
        owner.goto(f"{base}/d/{people.diary.pk}/activity/")
        expect(owner.locator(".timeline")).to_contain_text("Nina logged or changed a rating")
        assert axe_violations(owner) == []

        owner.goto(f"{base}/d/{people.diary.pk}/sharing/")
        owner.get_by_role("button", name="Remove Nina").click()
        expect(owner.locator(".messages")).to_contain_text("Nina no longer has access")

        response = caregiver.goto(f"{base}/d/{people.diary.pk}/today/")
        assert response is not None and response.status == 404
    finally:
        caregiver_context.close()
