"""Trends on a phone: the charts draw under the strict CSP, period buttons swap them, axe finds nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, axe_violations, sign_in
from tests.conftest import PASSWORD, People
from tests.diary.trends_data import fill_diary

pytestmark = pytest.mark.django_db(transaction=True)

# Collects what the Content Security Policy refused, before any page script runs.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile);
});
"""


def open_trends(phone: Page, live_server: Any, people: People, *, days: int, query: str = "") -> tuple[Page, list[str]]:
    fill_diary(diary=people.diary, user=people.owner, days=days, end=people.diary.today())
    problems: list[str] = []
    phone.on(
        "console",
        lambda message: (
            problems.append(message.text)
            # The browser asks for /favicon.ico by itself; the app has none.
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    phone.on("pageerror", lambda error: problems.append(str(error)))
    phone.add_init_script(WATCH_CSP)
    sign_in(phone, live_server.url, people.viewer.email, PASSWORD)
    phone.goto(live_server.url + reverse("diary:trends", args=[people.diary.pk]) + query)
    return phone, problems


@pytest.fixture
def trends_page(phone: Page, live_server: Any, people: People) -> tuple[Page, list[str]]:
    return open_trends(phone, live_server, people, days=120)


@pytest.fixture
def long_trends_page(phone: Page, live_server: Any, people: People) -> tuple[Page, list[str]]:
    """200 days, all of them: past 120 days the time charts draw a point per week."""
    return open_trends(phone, live_server, people, days=200, query="?period=all")


def expect_drawn(page: Page, key: str) -> None:
    """Charts are drawn as they come near the screen: scroll to one, then it is there."""
    chart = page.locator(f"#chart-{key}")
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".main-svg").first).to_be_visible()


def draw_every_chart(page: Page) -> int:
    charts = page.locator(".chart[data-figure]")
    count = charts.count()
    for index in range(count):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        expect(chart.locator(".main-svg").first).to_be_attached()
    return count


def test_the_charts_draw_on_a_phone_without_errors_or_csp_violations(trends_page: tuple[Page, list[str]]) -> None:
    page, problems = trends_page
    expect(page.get_by_role("heading", level=1)).to_have_text("Trends")
    expect_drawn(page, "weakness")
    assert draw_every_chart(page) >= 15
    # The heat map, a bar chart and a dose chart really have marks in them.
    assert page.locator("#chart-heat-map .heatmaplayer image, #chart-heat-map .hm image").count() >= 1
    assert page.locator("#chart-adherence .bars path").count() > 0
    assert page.locator("#chart-dose-0 .scatterlayer .point").count() > 0
    # Nothing wider than the phone: the page never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # plotly adds no <style> of its own: our stylesheet stands in for it.
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []


def test_a_long_period_draws_weekly_charts_with_the_shared_marks(long_trends_page: tuple[Page, list[str]]) -> None:
    page, problems = long_trends_page
    expect(page.locator(".period-line")).to_contain_text("(200 days)")
    expect(page.get_by_role("heading", name="Weakness by body region: weekly medians")).to_be_visible()
    expect_drawn(page, "weakness")
    assert draw_every_chart(page) >= 15
    # Three body regions, then the treatment sessions and medicine changes the symptom charts share.
    expect(page.locator("#chart-weakness .scatterlayer .trace")).to_have_count(5)
    expect(page.locator("#chart-fatigue .scatterlayer .trace")).to_have_count(3)
    assert page.locator("#chart-heat-map .heatmaplayer image, #chart-heat-map .hm image").count() >= 1
    assert page.locator("#chart-rest .bars path").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []


def test_the_symptom_charts_draw_the_shared_marks(trends_page: tuple[Page, list[str]]) -> None:
    page, problems = trends_page
    expect_drawn(page, "weakness")
    # Three body regions (each day's dots and the 7-day median), then the shared treatment and medicine marks.
    expect(page.locator("#chart-weakness .scatterlayer .trace")).to_have_count(8)
    expect(page.locator("#chart-weakness .shapelayer path")).not_to_have_count(0)
    assert problems == []


def test_a_tap_on_a_chart_shows_its_values(trends_page: tuple[Page, list[str]]) -> None:
    page, problems = trends_page
    chart = page.locator("#chart-hours")
    chart.scroll_into_view_if_needed()
    bar = chart.locator(".bars path").first
    expect(bar).to_be_attached()
    # plotly listens on the layer over the plot: tap where the bar is, as a finger would.
    box = bar.bounding_box()
    assert box is not None
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(chart.locator(".hoverlayer .hovertext")).to_contain_text("average")
    assert problems == []


def test_a_finger_on_a_chart_still_scrolls_the_page(trends_page: tuple[Page, list[str]]) -> None:
    page, problems = trends_page
    expect_drawn(page, "weakness")
    page.evaluate("document.getElementById('chart-weakness').scrollIntoView({block: 'center'})")
    box = page.locator("#chart-weakness .nsewdrag").bounding_box()
    assert box is not None
    x, y = int(box["x"] + box["width"] / 2), int(box["y"] + box["height"] / 2)
    before = page.evaluate("window.scrollY")
    touch = page.context.new_cdp_session(page)
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - step * 25}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    # No drag-to-zoom: the swipe moves the page, not the chart.
    page.wait_for_function(f"window.scrollY > {before + 100}")
    assert problems == []


def test_period_buttons_swap_the_charts_and_the_address(trends_page: tuple[Page, list[str]], people: People) -> None:
    page, problems = trends_page
    expect(page.locator("#trends .periods a[aria-current=page]")).to_have_text("3 months")
    with page.expect_response(lambda r: "period=2w" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_role("link", name="2 weeks").click()
    expect(page).to_have_url(re.compile(r"/trends/\?period=2w$"))
    expect(page.locator("#trends .periods a[aria-current=page]")).to_have_text("2 weeks")
    expect(page.locator(".period-line")).to_contain_text("(14 days)")
    expect_drawn(page, "weakness")
    draw_every_chart(page)
    # Back: htmx kept no copy of the page (hx-history="false"), so it asks the server again.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/trends/$"))
    expect(page.locator("#trends .periods a[aria-current=page]")).to_have_text("3 months")
    expect_drawn(page, "weakness")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('htmx'))") == []
    # Your own dates, through the same swap.
    page.get_by_text("Choose your own dates").click()
    page.get_by_label("From", exact=True).fill("2000-01-01")
    page.get_by_label("To", exact=True).fill("1999-01-01")
    page.get_by_role("button", name="Show these dates").click()
    error = page.locator("#trends .message.error")
    expect(error).to_contain_text("The start date must be on or before the end date.")
    expect(error).to_be_focused()  # the person is taken to what went wrong
    expect_drawn(page, "weakness")
    assert page.evaluate("window.__cspViolations") == []
    assert problems == []


def test_axe_finds_no_accessibility_violations(trends_page: tuple[Page, list[str]]) -> None:
    page, _problems = trends_page
    draw_every_chart(page)
    page.locator("details.numbers").first.locator("summary").click()
    # axe cannot measure the contrast of text drawn inside a chart's SVG (it gives up: "contains an
    # image node") and files it as unfinished. That text is #1a1a1a on white (diary/charts.py), and
    # every chart is an image with a name, a sentence and a table; everything else must pass.
    unmeasurable = "contains an image node"
    found = [v for v in axe_violations(page) if not ("['#chart-" in v and unmeasurable in v)]
    assert found == []
