"""Real Chromium (Debian's) through Playwright, at a phone's width.

CI installs Chromium; without it these tests fail (they never skip).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

# Playwright's sync API runs an event loop in the test thread beside live_server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for browser tests and is not at {CHROMIUM} (apt-get install chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(page: Page) -> Iterator[Page]:
    page.set_default_timeout(10_000)
    yield page


def axe_violations(page: Page) -> list[str]:
    """axe-core's violations, plus the colour-contrast checks it could not finish.

    axe files text it measures at 1:1 (white on white: text that looks hidden) as
    "incomplete", not as a violation; on these pages no text is meant to be
    invisible, so an unfinished contrast check counts as a failure too.
    """
    results = Axe().run(page).response
    found = [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results["violations"]]
    for check in results["incomplete"]:
        if check["id"] == "color-contrast":
            for node in check["nodes"]:
                reasons = "; ".join(part["message"] for part in node["any"])
                found.append(f"color-contrast (incomplete) at {node['target']}: {reasons}")
    return found


def sign_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def rating(page: Page, field: str, value: int | str) -> Locator:
    """The visible button (the <label>) of one answer to one diary item.

    The radio inside is visually hidden, so a person taps the label: so do we.
    ``value`` is the stored value; "" is "Not rated".
    """
    return page.locator(f"#item-{field} label").filter(has=page.locator(f"input[type=radio][value='{value}']"))


def rating_input(page: Page, field: str, value: int | str) -> Locator:
    return page.locator(f"#item-{field} input[type=radio][value='{value}']")


def tap_and_wait_saved(page: Page, field: str, value: int | str) -> None:
    """Tap one answer and wait for htmx to put its "Saved" confirmation in place."""
    with page.expect_response(lambda r: f"/item/{field}/" in r.url and r.request.method == "POST") as answer:
        rating(page, field, value).click()
    assert answer.value.status == 200, f"saving {field}={value!r} answered {answer.value.status}"
    expect(page.locator(f"#status-{field} .saved")).to_contain_text("Saved")
    expect(rating_input(page, field, value)).to_be_checked()
