"""The Trends view: periods, bad input, htmx partials, roles, and a query count that ignores the diary's size."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

import plotly.graph_objects as go
import pytest
from django.test import Client
from django.urls import reverse

from diary import charts, summary
from diary.periods import months_before
from diary.services import day_entry_save_scores, local_moment, quick_check_save, rest_end, rest_start
from tests.conftest import People
from tests.diary.trends_data import fill_diary

FIGURE_SCRIPT = re.compile(r'<script id="(figure-[\w-]+)" type="application/json">(.*?)</script>', re.S)


def trends_url(people: People, **params: str) -> str:
    url = reverse("diary:trends", args=[people.diary.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def page(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def filled(people: People) -> People:
    fill_diary(diary=people.diary, user=people.owner, days=120, end=people.diary.today())
    return people


def test_the_page_shows_every_chart_with_its_words_and_numbers(filled: People) -> None:
    html = page(filled.client_for("viewer"), trends_url(filled))
    today = filled.diary.today()
    start = months_before(today, 3) + dt.timedelta(days=1)
    assert f"{start:%-d %b %Y} to {today:%-d %b %Y}" in html
    assert 'aria-current="page">3 months</a>' in html
    assert f'href="/d/{filled.diary.pk}/trends/" aria-current="page">Trends' in html
    figures = dict(FIGURE_SCRIPT.findall(html))
    assert {"figure-weakness", "figure-dose-0", "figure-hours", "figure-heat-map", "figure-rest"} <= set(figures)
    assert {"figure-energy", "figure-adherence"} <= set(figures)
    for figure_id, data in figures.items():
        # Every figure is one plotly accepts (go.Figure validates every property), also with the
        # treatment and medicine marks the symptom charts share.
        go.Figure(with_shared_marks(html, json.loads(data))), figure_id
    assert 'id="markers-symptoms"' in html
    # Each chart has its sentence and a table of the numbers behind it.
    assert html.count('class="chart"') == len(figures)
    assert html.count("Show the numbers as a table") == len(figures)
    assert "Of " in html and "scheduled doses:" in html
    # The plotly bundle and its stylesheet (instead of an inline <style>) load here.
    assert "vendor/plotly-cartesian-4.1.1.min.js" in html
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in html


def test_only_the_trends_page_loads_plotly(filled: People) -> None:
    html = page(filled.client_for("owner"), reverse("diary:history", args=[filled.diary.pk]))
    assert "plotly" not in html
    assert f'href="/d/{filled.diary.pk}/trends/"' in html


@pytest.mark.parametrize(("period", "days"), [("2w", 14), ("1y", 120), ("all", 120)])
def test_each_ready_made_period(filled: People, period: str, days: int) -> None:
    html = page(filled.client_for("owner"), trends_url(filled, period=period))
    assert f"({days} days)." in html
    if period in {"1y", "all"}:
        assert "Week of" in html  # past 62 days, tables have a row per week


def test_a_year_of_a_young_diary_starts_on_its_first_day(filled: People) -> None:
    html = page(filled.client_for("owner"), trends_url(filled, period="1y"))
    first = filled.diary.today() - dt.timedelta(days=119)
    assert f"Your diary's first entry is on {first:%-d %b %Y}" in html


def test_your_own_dates(filled: People) -> None:
    today = filled.diary.today()
    start, end = today - dt.timedelta(days=9), today - dt.timedelta(days=3)
    html = page(filled.client_for("owner"), trends_url(filled, period="custom", start=str(start), end=str(end)))
    assert f"{start:%-d %b %Y} to {end:%-d %b %Y} (7 days)." in html
    assert '<details class="card custom-period" open>' in html
    # Dates alone mean your own dates.
    html = page(filled.client_for("owner"), trends_url(filled, start=str(start), end=str(end)))
    assert "(7 days)." in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "5y"}, "Choose one of the periods"),
        ({"period": "custom", "start": "yesterday", "end": "2024-01-01"}, "Enter the start date as a date"),
        ({"period": "custom", "end": "2024-01-01"}, "Enter the first day of the period."),
        ({"period": "custom", "start": "2024-02-01", "end": "2024-01-01"}, "must be on or before the end date"),
        ({"period": "custom", "start": "2024-02-01", "end": "2999-01-01"}, "The end date cannot be in the future."),
    ],
)
def test_bad_values_get_a_clear_message_and_the_default_period(
    filled: People, params: dict[str, str], message: str
) -> None:
    html = page(filled.client_for("owner"), trends_url(filled, **params))
    assert message in html
    assert "Showing the last 3 months instead." in html
    today = filled.diary.today()
    assert f"({(today - months_before(today, 3)).days} days)." in html


def test_dates_left_in_the_address_do_not_spoil_a_ready_made_period(filled: People) -> None:
    html = page(filled.client_for("owner"), trends_url(filled, period="2w", start="rubbish"))
    assert "(14 days)." in html and 'class="message error"' not in html


def test_an_htmx_request_gets_only_the_charts(filled: People) -> None:
    client = filled.client_for("owner")
    html = page(client, trends_url(filled, period="2w"), HX_Request="true")
    assert html.lstrip().startswith('<div id="trends" hx-history="false">')
    assert "<html" not in html and "(14 days)." in html
    # Going back in history (htmx keeps no copy) asks for the whole page.
    html = page(client, trends_url(filled, period="2w"), HX_Request="true", HX_History_Restore_Request="true")
    assert "<html" in html


def test_period_links_work_without_javascript_and_with_htmx(filled: People) -> None:
    html = page(filled.client_for("owner"), trends_url(filled))
    url = trends_url(filled, period="2w")
    assert f'href="{url}"' in html and f'hx-get="{url}"' in html and 'hx-push-url="true"' in html


def test_an_empty_diary_says_so(people: People) -> None:
    html = page(people.client_for("owner"), trends_url(people))
    assert "Nothing is logged in this period yet." in html
    assert "figure-" not in html


def test_observations_appear_with_enough_days(people: People) -> None:
    today = people.diary.today()
    for n in range(22):
        hot = n < 11
        day_entry_save_scores(
            diary=people.diary,
            date=today - dt.timedelta(days=n),
            scores={"hot_environment": int(hot), "weakness_hips": 2 if hot else 1},
            by=people.owner,
        )
    # Two weeks hold 7 hot days: fewer than a comparison needs (10 on each side).
    html = page(people.client_for("owner"), trends_url(people, period="2w"))
    assert "you logged heat" not in html and "at least 10 days on each side" in html
    html = page(people.client_for("owner"), trends_url(people, period="3m"))
    assert "On the 11 days you logged heat, leg weakness (0 to 3) averaged 2; on the 11 other days 1." in html


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 5, 31), 3, dt.date(2024, 2, 29)),  # a shorter month ends the count
        (dt.date(2025, 3, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2025, 2, 15), 12, dt.date(2024, 2, 15)),
        (dt.date(2025, 1, 10), 3, dt.date(2024, 10, 10)),  # across a new year
    ],
)
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected


# --- long periods: a point per week, a row per week or month ---------------------------------


def figures_of(html: str) -> dict[str, dict[str, Any]]:
    return {figure_id: json.loads(data) for figure_id, data in FIGURE_SCRIPT.findall(html)}


def with_shared_marks(html: str, figure: dict[str, Any]) -> dict[str, Any]:
    """The figure as static/js/charts.js draws it: with the section's shared marks along its top."""
    name = figure["layout"].get("meta", {}).get("markers")
    if name is None:
        return figure
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)
    assert found is not None
    shared = json.loads(found.group(1))
    top = figure["layout"]["yaxis"]["range"][1]
    marks = [trace | {"y": [top] * len(trace["x"])} for trace in shared["data"]]
    layout = figure["layout"] | {"shapes": figure["layout"].get("shapes", []) + shared["shapes"]}
    return {"data": figure["data"] + marks, "layout": layout}


def test_a_long_period_draws_weekly_medians_worked_out_by_hand(people: People) -> None:
    # 1 January 2024 is a Monday; 1 January to 31 May is 152 days, past the 120 drawn day by day.
    def log(day: dt.date, **scores: int) -> None:
        day_entry_save_scores(diary=people.diary, date=day, scores=scores, by=people.owner)

    log(dt.date(2024, 1, 1), fatigue=2, dry_mouth=3, bowel_movement=0)
    log(dt.date(2024, 1, 3), fatigue=6, dry_mouth=1, bowel_movement=1)
    log(dt.date(2024, 1, 6), fatigue=5, dry_mouth=2)
    log(dt.date(2024, 1, 9), fatigue=4)
    log(dt.date(2024, 2, 1), fatigue=8)
    for start, minutes, planned in ((dt.datetime(2024, 1, 2, 13), 30, True), (dt.datetime(2024, 1, 7, 15), 20, False)):
        at = start.replace(tzinfo=dt.UTC)  # London is on UTC in winter
        running = rest_start(diary=people.diary, by=people.owner, token=uuid.uuid4(), at=at)
        rest_end(
            rest=running, by=people.owner, energy_after=None, planned=planned, at=at + dt.timedelta(minutes=minutes)
        )
    result = summary.period_summary(diary=people.diary, start=dt.date(2024, 1, 1), end=dt.date(2024, 5, 31))
    sections = {section.key: section for section in charts.trends_page(result)}
    by_key = {chart.key: chart for section in sections.values() for chart in section.charts}
    for chart in by_key.values():
        if chart.figure is not None:
            go.Figure(chart.figure)  # still a figure plotly accepts

    fatigue = by_key["fatigue"]
    assert fatigue.title == "Fatigue: weekly medians"
    assert "weekly medians" in fatigue.how_to_read
    (trace,) = fatigue.figure["data"]  # type: ignore[index]
    assert (trace["x0"], trace["dx"], trace["mode"]) == ("2024-01-01", 7 * charts.DAY_MS, "lines+markers")
    assert len(trace["y"]) == 22
    assert trace["y"][:6] == [5, 4, None, None, 8, None]  # medians of 2, 6, 5 / 4 / - / - / 8
    assert "Week of %{x|%-d %b %Y}" in trace["hovertemplate"]
    # Fatigue was not rated in the last 14 days: no first-against-last statement (the report compares the same).
    assert fatigue.summary == "Fatigue: rated on 5 of 152 days, average 5."
    assert fatigue.table is not None
    assert fatigue.table.headers == ("Week", "Fatigue, median")
    assert fatigue.table.rows[:2] == (("Week of 1 Jan 2024", "5"), ("Week of 8 Jan 2024", "4"))

    heat = by_key["heat-map"]
    assert heat.title.endswith(": weekly medians")
    assert sections["autonomic-bulbar"].title.startswith("Week by week")
    (cells,) = heat.figure["data"]  # type: ignore[index]
    rows = {label: index for index, label in enumerate(cells["y"])}
    dry, bowel = rows["Dry mouth"], rows["No bowel movement"]
    # Dry mouth 3, 1, 2: median 2. No bowel movement on 1 of 2 days: levels 3 and 0, median 1.5 -> the worse, 2.
    assert (cells["z"][dry][0], cells["text"][dry][0]) == (2, "median 2 of 3")
    assert (cells["z"][bowel][0], cells["text"][bowel][0]) == (2, "yes on 1 of 2 days")
    assert (cells["z"][dry][1], cells["text"][dry][1]) == (None, charts.NO_VALUE)

    rest = by_key["rest"]
    bars = {trace["name"]: trace for trace in rest.figure["data"]}  # type: ignore[index]
    assert bars["Planned"]["y"][:2] == [30, 0] and bars["Unplanned"]["y"][:2] == [20, 0]
    assert bars["Fatigue, weekly median"]["y"][:2] == [5, 4]
    assert rest.table is not None and rest.table.rows[0] == ("Week of 1 Jan 2024", "30", "20", "0", "2", "5")


@pytest.fixture
def three_years(people: People) -> People:
    fill_diary(diary=people.diary, user=people.owner, days=3 * 365, end=people.diary.today())
    return people


def test_three_years_make_a_small_page_of_weekly_charts_and_monthly_tables(three_years: People) -> None:
    html = page(three_years.client_for("owner"), trends_url(three_years, period="all"))
    # One point per day over three years made a page of about 750 KB.
    assert len(html.encode()) < 250_000
    figures = figures_of(html)
    for figure_id, figure in figures.items():
        go.Figure(with_shared_marks(html, figure)), figure_id
    # The treatment and medicine marks are sent once for the ten symptom charts, which name them.
    assert html.count('<script id="markers-symptoms" type="application/json">') == 1
    assert figures["figure-fatigue"]["layout"]["meta"] == {"markers": "markers-symptoms"}
    weeks = len(figures["figure-fatigue"]["data"][0]["y"])
    assert 157 <= weeks <= 158
    assert len(figures["figure-heat-map"]["data"][0]["z"][0]) == weeks
    assert "Fatigue: weekly medians</h3>" in html and "Rests and fatigue: weekly totals and medians</h3>" in html
    # Tables list months, not days or weeks.
    assert "Fatigue: the median rating of each month</caption>" in html
    assert "Scheduled doses each month</caption>" in html
    assert "Week of" not in html.split('id="section-symptoms"')[1].split("<table>")[1].split("</table>")[0]
    assert html.count('<tr><th scope="row">') < 40 * 13


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("editor", 200), ("viewer", 200), ("stranger", 404)])
def test_who_may_see_trends(people: People, who: str, status: int) -> None:
    assert people.client_for(who).get(trends_url(people)).status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(people: People) -> None:
    response = people.client_for("anonymous").get(trends_url(people))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_stranger_cannot_see_another_diary_even_with_htmx(people: People) -> None:
    url = reverse("diary:trends", args=[people.stranger_diary.pk])
    assert people.client_for("owner").get(url, headers={"HX-Request": "true"}).status_code == 404


def test_trends_refuses_post(people: People) -> None:
    assert people.client_for("owner").post(trends_url(people)).status_code == 405


# --- cost ---------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [30, 800])
def test_the_query_count_does_not_grow_with_the_diary(
    people: People, days: int, django_assert_num_queries: Any
) -> None:
    fill_diary(diary=people.diary, user=people.owner, days=days, end=people.diary.today())
    client = people.client_for("owner")
    # The first page of a session stamps its start time and keeps a CSRF token in it (a session write).
    client.get(trends_url(people, period="2w"))
    # user, membership+diary, data bounds, entries, medications, doses (also the last dose
    # before each quick check), quick checks, rests, treatment sessions, medicine events
    for period in ("all", "3m"):
        with django_assert_num_queries(10):
            assert client.get(trends_url(people, period=period)).status_code == 200


def test_an_hour_with_fewer_than_ten_checks_is_not_enough_data(people: People) -> None:
    today = people.diary.today()
    for n in range(10):
        day = today - dt.timedelta(days=n)
        quick_check_save(
            diary=people.diary,
            token=uuid.uuid4(),
            by=people.owner,
            strength=6,
            taken_at=local_moment(people.diary, day, dt.time(9, 30)),
        )
        if n < 3:
            quick_check_save(
                diary=people.diary,
                token=uuid.uuid4(),
                by=people.owner,
                strength=9,
                taken_at=local_moment(people.diary, day, dt.time(15, 0)),
            )
    html = page(people.client_for("owner"), trends_url(people, period="2w"))
    assert '<th scope="row">09:00–09:59</th><td>10</td><td>6</td>' in html
    assert '<th scope="row">15:00–15:59</th><td>3</td><td>not enough data</td>' in html
    # Three checks at 15:00 do not make it the strongest hour.
    assert "strongest from" not in html
    assert "13 quick checks with strength. Not enough data to compare hours" in html
    (hours,) = [json.loads(data) for key, data in FIGURE_SCRIPT.findall(html) if key == "figure-hours"]
    assert hours["data"][0]["x"] == [9.5]  # only the hour with enough checks has a bar
