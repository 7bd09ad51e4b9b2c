"""The clinic summary in a real browser: the PDF download starts with progress shown, a bad period is
explained, the print page prints without navigation, and axe finds nothing on the new pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, axe_violations, sign_in
from tests.conftest import PASSWORD, People
from tests.diary.report_data import build_known_diary

pytestmark = pytest.mark.django_db(transaction=True)

# Every text the progress line shows, in order (the PDF may arrive before a test could look).
WATCH_PROGRESS = """
window.__progress = [];
document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("report-progress");
  if (!status) { return; }
  new MutationObserver(function () { window.__progress.push(status.textContent); })
    .observe(status, { childList: true, characterData: true, subtree: true });
});
"""


@pytest.fixture
def report_page(phone: Page, live_server: Any, people: People) -> Page:
    build_known_diary(people)
    phone.add_init_script(WATCH_PROGRESS)
    sign_in(phone, live_server.url, people.viewer.email, PASSWORD)
    phone.goto(live_server.url + reverse("diary:report", args=[people.diary.pk]))
    return phone


def test_the_pdf_download_starts_while_the_page_says_it_is_being_made(report_page: Page) -> None:
    page = report_page
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinic summary")
    page.get_by_label("From", exact=True).fill("2025-03-03")
    page.get_by_label("To", exact=True).fill("2025-03-30")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the PDF").click()
    download = info.value
    assert download.suggested_filename == "clinic-summary-2025-03-03-to-2025-03-30.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    expect(page.locator("#report-progress")).to_have_text("Your summary is ready. Look for it in your downloads.")
    assert "Making your summary…" in page.evaluate("window.__progress")
    expect(page.get_by_role("button", name="Download the PDF")).to_be_enabled()


def test_a_period_that_ends_before_it_starts_is_explained_on_the_page(report_page: Page) -> None:
    page = report_page
    page.get_by_label("From", exact=True).fill("2025-03-30")
    page.get_by_label("To", exact=True).fill("2025-03-03")
    page.get_by_role("button", name="Download the PDF").click()
    expect(page.get_by_role("alert")).to_contain_text("The period ends before it starts")
    assert axe_violations(page) == []


def test_the_print_page_has_no_navigation_when_printed_and_no_axe_violations(report_page: Page) -> None:
    page = report_page
    page.get_by_label("From", exact=True).fill("2025-03-03")
    page.get_by_label("To", exact=True).fill("2025-03-30")
    page.get_by_role("button", name="Open the print version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diary summary: Pat Patient")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    # The charts arrive as images and are drawn.
    sparkline = page.locator(".report img.svg").first
    expect(sparkline).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth > 0", sparkline.element_handle())
    assert page.locator("nav").count() == 0
    # On a phone the wide tables scroll inside their own boxes; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # axe cannot measure the colours of cells scrolled out of view, so it reads the page at the
    # width it is printed from.
    page.set_viewport_size({"width": 1100, "height": 1000})
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    expect(page.locator(".report-tools")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("The three hardest days")).to_be_visible()


def test_the_new_pages_have_no_axe_violations(phone: Page, live_server: Any, people: People) -> None:
    build_known_diary(people)
    sign_in(phone, live_server.url, people.editor.email, PASSWORD)
    diary_id = people.diary.pk
    for url in (
        reverse("diary:report", args=[diary_id]),
        reverse("diary:questions", args=[diary_id]),
        reverse("diary:data", args=[diary_id]),
        reverse("diary:import"),
    ):
        phone.goto(live_server.url + url)
        assert axe_violations(phone) == [], url
    # The nav shows the new page as the current one.
    phone.goto(live_server.url + reverse("diary:report", args=[diary_id]))
    expect(phone.get_by_role("link", name="Clinic summary")).to_have_attribute("aria-current", "page")
