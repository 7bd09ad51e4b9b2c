"""Plotly figures for the Trends page, each with a text alternative, all read from a PeriodSummary.

Nothing here computes a statistic: every number comes from diary.summary. This
module only chooses what to draw and how: colours from the Okabe-Ito palette
(safe with colour blindness) with line dashes, marker shapes and bar patterns
so colour is never the only cue; no plotly toolbar, no zooming by drag (a finger
on a chart must still scroll the page on a phone); a tap shows the values.

Each chart also has a sentence that says what it shows and a table of the
numbers behind it, for anyone who cannot see the chart well.

Long periods: past summary.DAILY_POINTS_MAX_DAYS days the time charts draw one
point per ISO week (weekly medians of the daily ratings, weekly heat-map
columns, weekly rest totals), placed at the week's Monday, and say so in their
titles; past summary.WEEKLY_ROWS_MAX_DAYS the tables list months. A day is a
pixel or less on a phone over a year, so nothing readable is lost, and the page
stays small.

Figures are plain dicts in the shape plotly.js reads, not plotly's Python
objects: those check every property and copy every value, which was most of the
page's time. tests/diary/test_trends.py passes every figure of the page through
plotly's own checks (plotly.graph_objects.Figure), so the dicts stay valid.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from diary import scales
from diary.numbers import figure_text, figure_value, rating_text
from diary.summary import (
    HEAT_MAP_FIELDS,
    MAX_HOURS_SINCE_DOSE,
    MIN_PER_BIN,
    DoseCurve,
    ItemSeries,
    PeriodSummary,
    SpanSummary,
    heat_level,
    not_enough_checks_text,
    same_in_every_hour_text,
    symptom_days_text,
)

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
ORANGE = "#E69F00"
SKY = "#56B4E9"
BLACK = "#000000"
GREY = "#6b6b6b"
#: For lines, the colours with at least 3:1 contrast on white first.
LINE_STYLES: tuple[tuple[str, str, str], ...] = (
    (BLUE, "solid", "circle"),
    (VERMILLION, "dash", "square"),
    (GREEN, "dot", "diamond"),
    (BLACK, "dashdot", "triangle-up"),
)
#: Heat map: none, a little, moderate, most / worst (ColorBrewer "Blues", colour-blind safe).
HEAT_COLOURS: tuple[str, ...] = ("#deebf7", "#9ecae1", "#4292c6", "#08306b")
HEAT_LABELS = (
    gettext_lazy("None"),
    gettext_lazy("A little"),
    gettext_lazy("Moderate"),
    gettext_lazy("Most of the day, or the worst answer"),
)
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif'
NO_VALUE = "–"

#: The symptom trend charts: one per domain (diary/scales.py), items on the same scale together.
TREND_GROUPS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("weakness", gettext_lazy("Weakness by body region"), ("weakness_hips", "weakness_shoulders", "weakness_neck")),
    ("function", gettext_lazy("Everyday tasks"), ("stairs", "chair_rise", "lifting")),
    ("walking", gettext_lazy("Walking distance"), ("walking_distance",)),
    ("fatigue", gettext_lazy("Fatigue"), ("fatigue",)),
    ("bulbar", gettext_lazy("Speaking, chewing and swallowing"), ("speech", "chewing", "swallowing")),
    ("eyes", gettext_lazy("Eyes"), ("double_vision", "eyelid_droop")),
    ("breathing", gettext_lazy("Breathing"), ("breathlessness",)),
    ("autonomic", gettext_lazy("Dry mouth, dry eyes and dizziness"), ("dry_mouth", "dry_eyes", "dizziness_standing")),
    ("pain", gettext_lazy("Muscle pain"), ("muscle_pain",)),
    ("overall", gettext_lazy("How close to your normal self"), ("percent_normal",)),
)
WALKING_TICKS = (
    gettext_lazy("<10 m"),
    gettext_lazy("10–50 m"),
    gettext_lazy("50–200 m"),
    gettext_lazy("200 m–1 km"),
    gettext_lazy(">1 km"),
)
#: Bar patterns drawn over the colour, so bars differ by more than colour alone.
PATTERN = {"fgcolor": "#ffffff", "size": 6, "fillmode": "overlay"}
#: One day on a plotly date axis (milliseconds): daily series give a start and this step, not a date per point.
DAY_MS = 24 * 3600 * 1000
WEEK_MS = 7 * DAY_MS


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    #: The text alternative: what the chart shows, in a sentence or three.
    summary: str
    #: The plotly figure as JSON-ready data, or None when there is nothing to draw.
    figure: dict[str, Any] | None
    table: Table | None
    #: A note on how to read the chart (scale, what dots and lines are).
    how_to_read: str = ""
    #: Colour key drawn in HTML below the chart: (css class, label).
    key_items: tuple[tuple[str, str], ...] = ()

    @property
    def figure_id(self) -> str:
        return f"figure-{self.key}"


@dataclass(frozen=True)
class ChartSection:
    key: str
    title: str
    charts: tuple[Chart, ...] = field(default_factory=tuple)
    intro: str = ""
    #: Traces and shapes every chart of the section draws too (the treatment and medicine marks of
    #: the symptom charts): sent once, and added by static/js/charts.js to each figure whose
    #: layout.meta.markers names them.
    shared: dict[str, Any] | None = None

    @property
    def shared_id(self) -> str:
        return f"markers-{self.key}"


# --- formatting ------------------------------------------------------------------------
# Tables repeat the same few numbers and dates many times over: each is formatted once per language.


@functools.lru_cache(maxsize=4096)
def _fmt(value: float, language: str | None) -> str:
    return figure_text(value)


def fmt(value: float | int | None) -> str:
    return NO_VALUE if value is None else _fmt(value, get_language())


@functools.lru_cache(maxsize=2048)
def _date_label(day: dt.date, pattern: str, language: str | None) -> str:
    return date_format(day, pattern)


def day_label(day: dt.date) -> str:
    return _date_label(day, "j M Y", get_language())


def week_label(day: dt.date) -> str:
    return _("Week of %(day)s") % {"day": _date_label(day, "j M Y", get_language())}


class _Formats:
    """fmt() and the date labels with the active language looked up once: a table calls them thousands of times."""

    def __init__(self) -> None:
        self.language = get_language()

    def number(self, value: float | int | None) -> str:
        return NO_VALUE if value is None else _fmt(value, self.language)

    def day(self, day: dt.date) -> str:
        return _date_label(day, "j M Y", self.language)

    def week(self, day: dt.date) -> str:
        return _("Week of %(day)s") % {"day": self.day(day)}

    def month(self, day: dt.date) -> str:
        return _date_label(day, "F Y", self.language)

    def span(self, unit: str, span: SpanSummary) -> str:
        return self.month(span.start) if unit == "month" else self.week(span.start)


@receiver(setting_changed)
def _forget_formats(**kwargs: Any) -> None:
    """Number and date formats follow the settings (a test may change them): forget the ones kept."""
    for cached in (_fmt, _date_label, _heat_answer_of, _heat_span_answer_of):
        cached.cache_clear()


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _num(value: float | None) -> float | int | None:
    """2.0 as 2 in the JSON: weekly medians are mostly whole numbers."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- figure building -------------------------------------------------------------------


def _layout(*, height: int = 260, legend: bool = True, **extra: Any) -> dict[str, Any]:
    axis = {"fixedrange": True, "gridcolor": "#dcdcdc", "zerolinecolor": "#b0b0b0", "automargin": True, "ticks": ""}
    layout: dict[str, Any] = {
        "height": height,
        "autosize": True,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "font": {"family": FONT, "size": 14, "color": "#1a1a1a"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "dragmode": False,
        "showlegend": legend,
        # Above the plot: below it, it would crowd the dates on a narrow screen.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.04, "yanchor": "bottom"},
        "hoverlabel": {"font": {"family": FONT, "size": 15}},
        # Few, level labels: a 390 px screen has room for about five dates side by side.
        "xaxis": {**axis, "nticks": 5, "tickangle": 0, **extra.pop("xaxis", {})},
        "yaxis": {**axis, **extra.pop("yaxis", {})},
    }
    layout.update(extra)
    return layout


def _figure(traces: Sequence[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    return {"data": list(traces), "layout": layout}


def _scale_axis(scale: scales.Scale) -> dict[str, Any]:
    low, high = scale.low, scale.high
    pad = (high - low) * 0.06
    axis: dict[str, Any] = {"range": [low - pad, high + pad]}
    if scale is scales.WALKING:
        axis.update(tickvals=list(scale.values), ticktext=[str(tick) for tick in WALKING_TICKS])
    elif scale is scales.PERCENT:
        axis.update(tickvals=[0, 20, 40, 60, 80, 100], ticksuffix="%")
    elif high <= 4:
        axis.update(tickvals=list(range(low, high + 1)))
    else:
        axis.update(tickvals=list(range(low, high + 1, 2)))
    return axis


# --- time axes: a point per day, or per week -----------------------------------------------


def _time_x(summary: PeriodSummary) -> dict[str, Any]:
    """Where a time series' points go: every day from the start, or every week's Monday."""
    if summary.weekly_points:
        return {"x0": _iso(_monday(summary.start)), "dx": WEEK_MS}
    return {"x0": _iso(summary.start), "dx": DAY_MS}


def _x_hover(summary: PeriodSummary) -> str:
    """The date line of a time chart's tap label."""
    if summary.weekly_points:
        return _("Week of %(day)s") % {"day": "%{x|%-d %b %Y}"} + "<br>"
    return "%{x|%-d %b %Y}<br>"


def _date_axis(summary: PeriodSummary) -> dict[str, Any]:
    # Two short lines per label (day and month, then the year) fit five labels on a phone.
    tickformat = "%-d %b\n%Y" if summary.day_count <= 92 else "%b\n%Y"
    if summary.weekly_points:
        # Half a week either side of the first and the last Monday: each week's mark fits whole.
        first = dt.datetime.combine(_monday(summary.start), dt.time()) - dt.timedelta(days=3.5)
        last = dt.datetime.combine(_monday(summary.end), dt.time()) + dt.timedelta(days=3.5)
        start, end = first.isoformat(sep=" ", timespec="minutes"), last.isoformat(sep=" ", timespec="minutes")
    else:
        start, end = _iso(summary.start), _iso(summary.end)
    return {"type": "date", "range": [start, end], "tickformat": tickformat}


Marks = tuple[list[tuple[dt.date, str]], list[tuple[dt.date, str]]]


def _markers(summary: PeriodSummary) -> Marks:
    """Treatment sessions and medicine changes as (day, text); in weekly charts one per week, at its Monday."""
    treatments = [(t.day, t.label) for t in summary.treatments]
    changes = [(c.day, c.text) for c in summary.medication_changes]
    if not summary.weekly_points:
        return treatments, changes
    sessions: dict[dt.date, Counter[str]] = defaultdict(Counter)
    for day, label in treatments:
        sessions[_monday(day)][label] += 1
    changed: dict[dt.date, list[str]] = defaultdict(list)
    for day, text in changes:
        changed[_monday(day)].append(f"{day_label(day)}: {text}")
    return (
        [
            (
                monday,
                "<br>".join(
                    ngettext("%(treatment)s: %(count)d session", "%(treatment)s: %(count)d sessions", count)
                    % {"treatment": label, "count": count}
                    for label, count in labels.items()
                ),
            )
            for monday, labels in sessions.items()
        ],
        [(monday, "<br>".join(texts)) for monday, texts in changed.items()],
    )


def _marker_traces(summary: PeriodSummary, top: float | None, marks: Marks | None = None) -> list[dict[str, Any]]:
    """Treatment sessions and medicine changes as tappable marks along the top of a time chart.

    ``top``: the top of the chart's scale; None leaves ``y`` empty for static/js/charts.js to fill in.
    """
    treatments, changes = _markers(summary) if marks is None else marks
    hover = _x_hover(summary) + "%{text}<extra></extra>"
    traces = []
    for marks, name, marker in (
        (treatments, _("Treatment session"), {"symbol": "triangle-down", "size": 13, "color": BLACK}),
        (
            changes,
            _("Medicine change"),
            {"symbol": "diamond-tall", "size": 13, "color": PURPLE, "line": {"color": BLACK, "width": 1}},
        ),
    ):
        if marks:
            traces.append(
                {
                    "type": "scatter",
                    "x": [_iso(day) for day, _text in marks],
                    "y": [] if top is None else [top] * len(marks),
                    "text": [text for _day, text in marks],
                    "mode": "markers",
                    "name": name,
                    "marker": marker,
                    "hovertemplate": hover,
                    "cliponaxis": False,
                }
            )
    return traces


def _marker_lines(summary: PeriodSummary, marks: Marks | None = None) -> list[dict[str, Any]]:
    treatments, changes = _markers(summary) if marks is None else marks
    days = [(day, BLACK) for day, _text in treatments] + [(day, PURPLE) for day, _text in changes]
    return [
        {
            "type": "line",
            "yref": "paper",
            "x0": _iso(day),
            "x1": _iso(day),
            "y0": 0,
            "y1": 1,
            "line": {"color": colour, "width": 1.5, "dash": "dot"},
            "layer": "below",
        }
        for day, colour in days
    ]


def _rows_of(summary: PeriodSummary) -> tuple[str, Sequence[SpanSummary]]:
    """The spans a weekly or monthly table lists: ("week", weeks) or ("month", months)."""
    return ("month", summary.months) if summary.monthly_rows else ("week", summary.weeks)


# --- symptom trends --------------------------------------------------------------------


def _trend_sentence(series: ItemSeries, summary: PeriodSummary) -> str:
    label = series.item.short_label
    if not series.rated_days:
        return _("%(item)s: not rated in this period.") % {"item": label}
    text = ngettext(
        "%(item)s: rated on %(count)d of %(days)d days, average %(mean)s.",
        "%(item)s: rated on %(count)d of %(days)d days, average %(mean)s.",
        summary.day_count,
    ) % {"item": label, "count": series.rated_days, "days": summary.day_count, "mean": fmt(series.mean)}
    if series.episodic:
        text += " " + symptom_days_text(series)
    width, edges = summary.edges
    edge = edges[series.item.field]
    if width and edge.first is not None and edge.last is not None:
        # The same comparison as the clinic summary's "First" and "Last" columns.
        text += " " + _(
            "Median of the first %(width)d days %(first)s (based on %(first_days)d days), of the last %(width)d "
            "days %(last)s (based on %(last_days)d days): %(change)s."
        ) % {
            "width": width,
            "first": rating_text(edge.first, series.item),
            "first_days": edge.first_days,
            "last": rating_text(edge.last, series.item),
            "last_days": edge.last_days,
            "change": edge.change_text,
        }
    return text


def _trend_table(summary: PeriodSummary, group: Sequence[ItemSeries], title: str) -> Table:
    f = _Formats()
    if summary.daily_rows:
        headers = [_("Day")]
        for series in group:
            headers += [str(series.item.short_label), _("%(item)s, 7-day median") % {"item": series.item.short_label}]
        rows = tuple(
            (
                f.day(day),
                *(v for s in group for v in (f.number(s.values[i]), f.number(s.rolling_median[i]))),
            )
            for i, day in enumerate(summary.days)
        )
        return Table(_("%(title)s: each day's rating and its 7-day median") % {"title": title}, tuple(headers), rows)
    unit, spans = _rows_of(summary)
    headers = [
        _("Month") if unit == "month" else _("Week"),
        *(_("%(item)s, median") % {"item": s.item.short_label} for s in group),
    ]
    rows = tuple((f.span(unit, span), *(f.number(span.medians[s.item.field]) for s in group)) for span in spans)
    if unit == "month":
        caption = _("%(title)s: the median rating of each month") % {"title": title}
    else:
        caption = _("%(title)s: the median rating of each week") % {"title": title}
    return Table(caption, tuple(headers), rows)


def trend_chart(
    summary: PeriodSummary,
    key: str,
    title: str,
    fields: Sequence[str],
    marks: Marks | None = None,
    shared: str | None = None,
) -> Chart:
    """One trend chart, with the treatment and medicine marks (``marks``: _markers, worked out once).

    ``shared``: the id of the section's shared marks (ChartSection.shared), drawn by charts.js,
    instead of a copy of them in every chart's figure.
    """
    group = [summary.items[f] for f in fields]
    scale = group[0].item.scale
    sentence = " ".join(_trend_sentence(s, summary) for s in group)
    better = _("higher is better") if not group[0].item.higher_is_worse else _("higher is worse")
    weekly = summary.weekly_points
    if weekly:
        shown_title = _("%(title)s: weekly medians") % {"title": title}
        how = _(
            "Points and lines: the median of each week's daily ratings (weekly medians); a gap is a week "
            "without ratings. Scale: %(legend)s (%(better)s)."
        ) % {"legend": scale.legend, "better": better}
    else:
        shown_title = title
        how = _("Dots: each day's rating. Lines: the 7-day median. Scale: %(legend)s (%(better)s).") % {
            "legend": scale.legend,
            "better": better,
        }
    if not any(s.rated_days for s in group):
        return Chart(key, shown_title, sentence, None, None, how)
    axis = _scale_axis(scale)
    top = axis["range"][1]
    x, hover = _time_x(summary), _x_hover(summary)
    traces: list[dict[str, Any]] = []
    for index, series in enumerate(group):
        colour, dash, symbol = LINE_STYLES[index % len(LINE_STYLES)]
        label = str(series.item.short_label)
        if weekly:
            traces.append(
                {
                    "type": "scatter",
                    **x,
                    "y": [_num(week.medians[series.item.field]) for week in summary.weeks],
                    "mode": "lines+markers",
                    "name": label,
                    "legendgroup": series.item.field,
                    "line": {"color": colour, "dash": dash, "width": 2.5},
                    "marker": {"color": colour, "symbol": symbol, "size": 6},
                    "connectgaps": False,
                    "hovertemplate": hover + _("%(item)s, weekly median") % {"item": label} + ": %{y}<extra></extra>",
                }
            )
            continue
        traces.append(
            {
                "type": "scatter",
                **x,
                "y": list(series.values),
                "mode": "markers",
                "name": label,
                "legendgroup": series.item.field,
                "showlegend": False,
                "marker": {"color": colour, "symbol": symbol, "size": 6, "opacity": 0.4},
                "hovertemplate": hover + label + ": %{y}<extra></extra>",
            }
        )
        traces.append(
            {
                "type": "scatter",
                **x,
                "y": [_num(v) for v in series.rolling_median],
                "mode": "lines",
                "name": label,
                "legendgroup": series.item.field,
                "line": {"color": colour, "dash": dash, "width": 3},
                "connectgaps": False,
                "hovertemplate": hover + _("%(item)s, 7-day median") % {"item": label} + ": %{y}<extra></extra>",
            }
        )
    extra: dict[str, Any] = {}
    if shared is not None:
        extra["meta"] = {"markers": shared}
    else:
        if marks is None:
            marks = _markers(summary)
        traces += _marker_traces(summary, top, marks)
        extra["shapes"] = _marker_lines(summary, marks)
    layout = _layout(
        height=320,
        xaxis=_date_axis(summary),
        yaxis=axis,
        showlegend=len(group) > 1 or bool(summary.treatments or summary.medication_changes),
        **extra,
    )
    return Chart(key, shown_title, sentence, _figure(traces, layout), _trend_table(summary, group, title), how)


def trend_section(summary: PeriodSummary) -> ChartSection:
    marks = _markers(summary)
    has_marks = bool(marks[0] or marks[1])
    # The ten charts draw the same marks: sent once, not ten times (a good part of a long period's page).
    shared = {"data": _marker_traces(summary, None, marks), "shapes": _marker_lines(summary, marks)}
    shared_id = ChartSection("symptoms", "").shared_id
    if not (summary.treatments or summary.medication_changes):
        intro = ""
    elif summary.weekly_points:
        intro = _(
            "Black triangles along the top mark weeks with treatment sessions; purple diamonds mark weeks "
            "with medicines started, changed or stopped."
        )
    else:
        intro = _(
            "Black triangles along the top mark treatment sessions; purple diamonds mark medicines "
            "started, changed or stopped."
        )
    return ChartSection(
        "symptoms",
        _("Symptoms over time"),
        tuple(
            trend_chart(summary, key, str(title), fields, marks, shared_id if has_marks else None)
            for key, title, fields in TREND_GROUPS
        ),
        intro,
        shared if has_marks else None,
    )


# --- dose timing -----------------------------------------------------------------------


def dose_chart(summary: PeriodSummary, curve: DoseCurve, index: int) -> Chart:
    label = curve.medicine.label
    title = _("Strength and hours since the last dose of %(medicine)s") % {"medicine": label}
    how = _(
        "Dots: each quick check's leg strength (0 = none, 10 = full strength) by hours since the dose "
        "taken before it. Line: the average of each hour, where it has at least %(count)d checks."
    ) % {"count": MIN_PER_BIN}
    if not curve.points:
        sentence = _("No quick check with strength within %(hours)d hours after a dose of %(medicine)s.") % {
            "hours": MAX_HOURS_SINCE_DOSE,
            "medicine": label,
        }
        return Chart(f"dose-{index}", title, sentence, None, None, how)
    sentence = curve.sentence(fmt)
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": [_num(h) for h, _s in curve.points],
            "y": [s for _h, s in curve.points],
            "mode": "markers",
            "name": _("Quick check"),
            "marker": {"color": BLUE, "size": 8, "opacity": 0.5, "symbol": "circle"},
            "hovertemplate": _("%(hours)s h after the dose: strength %(strength)s")
            % {"hours": "%{x:.1f}", "strength": "%{y}"}
            + "<extra></extra>",
        }
    ]
    if curve.bins:
        traces.append(
            {
                "type": "scatter",
                "x": [(b.start_hour + b.end_hour) / 2 for b in curve.bins],
                "y": [figure_value(b.mean_strength) for b in curve.bins],
                "customdata": [b.checks for b in curve.bins],
                "mode": "lines+markers",
                "name": _("Hourly average"),
                "line": {"color": VERMILLION, "width": 3},
                "marker": {"symbol": "square", "size": 8, "color": VERMILLION},
                "hovertemplate": _("About %(hours)s h after: average %(mean)s of %(count)s checks")
                % {"hours": "%{x:.1f}", "mean": "%{y}", "count": "%{customdata}"}
                + "<extra></extra>",
            }
        )
    furthest = max(h for h, _s in curve.points)
    layout = _layout(
        xaxis={
            "range": [0, max(6.0, furthest + 0.5)],
            "title": {"text": _("Hours since the last dose")},
            "dtick": 1 if furthest <= 8 else 2 if furthest <= 14 else 4,
        },
        yaxis={"range": [-0.5, 10.5], "tickvals": [0, 2, 4, 6, 8, 10], "title": {"text": _("Strength")}},
    )
    table = Table(
        _("Average strength by hours since a dose of %(medicine)s") % {"medicine": label},
        (_("Hours after the dose"), _("Quick checks"), _("Average strength")),
        tuple((f"{fmt(b.start_hour)}–{fmt(b.end_hour)}", fmt(b.checks), fmt(b.mean_strength)) for b in curve.bins),
    )
    return Chart(f"dose-{index}", title, sentence, _figure(traces, layout), table, how)


def strength_by_hour_chart(summary: PeriodSummary) -> Chart:
    title = _("Strength by time of day")
    how = _(
        "Bars: the average leg strength of the quick checks in each hour of the day (0 = none, 10 = full), "
        "for the hours with at least %(count)d checks."
    ) % {"count": MIN_PER_BIN}
    if not summary.strength_by_hour:
        return Chart("hours", title, _("No quick check with strength in this period."), None, None, how)
    strongest, weakest = summary.strongest_hour, summary.weakest_hour
    sentence = ngettext(
        "%(count)d quick check with strength.",
        "%(count)d quick checks with strength.",
        summary.checks_with_strength,
    ) % {"count": summary.checks_with_strength}
    if strongest is not None and weakest is not None and strongest != weakest:
        sentence += " " + _(
            "On average you were strongest from %(s_hour)02d:00 (%(s_mean)s, based on %(s_count)d checks) and "
            "weakest from %(w_hour)02d:00 (%(w_mean)s, based on %(w_count)d checks)."
        ) % {
            "s_hour": strongest.hour,
            "s_mean": fmt(strongest.mean_strength),
            "s_count": strongest.checks,
            "w_hour": weakest.hour,
            "w_mean": fmt(weakest.mean_strength),
            "w_count": weakest.checks,
        }
    elif len(summary.hours_with_enough_checks) > 1:
        sentence += " " + same_in_every_hour_text(len(summary.hours_with_enough_checks))
    else:
        sentence += " " + not_enough_checks_text()
    shown = summary.hours_with_enough_checks
    traces = [
        {
            "type": "bar",
            "x": [h.hour + 0.5 for h in shown],
            "y": [figure_value(h.mean_strength) for h in shown],
            "customdata": [[h.hour, h.checks] for h in shown],
            "width": 0.85,
            "name": _("Average strength"),
            "marker": {"color": BLUE},
            "hovertemplate": _("From %(hour)s:00: average %(mean)s of %(count)s checks")
            % {"hour": "%{customdata[0]:02d}", "mean": "%{y:.1f}", "count": "%{customdata[1]}"}
            + "<extra></extra>",
        }
    ]
    layout = _layout(
        legend=False,
        xaxis={
            "range": [0, 24],
            "tickvals": [0, 6, 12, 18, 24],
            "ticktext": ["00:00", "06:00", "12:00", "18:00", "24:00"],
            "title": {"text": _("Time of day")},
        },
        yaxis={"range": [0, 10.5], "tickvals": [0, 2, 4, 6, 8, 10], "title": {"text": _("Strength")}},
    )
    table = Table(
        _("Average strength by hour of the day"),
        (_("Hour"), _("Quick checks"), _("Average strength")),
        tuple(
            (
                f"{h.hour:02d}:00–{h.hour:02d}:59",
                fmt(h.checks),
                fmt(h.mean_strength) if h.enough else _("not enough data"),
            )
            for h in summary.strength_by_hour
        ),
    )
    return Chart("hours", title, sentence, _figure(traces, layout), table, how)


def dose_section(summary: PeriodSummary) -> ChartSection:
    charts = [dose_chart(summary, curve, index) for index, curve in enumerate(summary.dose_curves)]
    if not charts:
        charts.append(
            Chart(
                "dose-none",
                _("Strength and hours since the last dose"),
                _(
                    "Add your medicines and log doses and quick checks to see strength against time since a dose "
                    "of a medicine taken at least twice a day."
                ),
                None,
                None,
            )
        )
    charts.append(strength_by_hour_chart(summary))
    return ChartSection("dose-timing", _("Strength and dose timing"), tuple(charts))


# --- autonomic and bulbar heat map -------------------------------------------------------


@functools.lru_cache(maxsize=512)
def _heat_answer_of(field: str, value: int, language: str | None) -> str:
    item = scales.ITEMS_BY_FIELD[field]
    if field == "bowel_movement":
        return _("yes") if value == 0 else _("no")
    if item.scale is scales.YES_NO:
        return _("yes") if value == 1 else _("no")
    return _("%(value)d of %(high)d") % {"value": value, "high": item.scale.high}


def _heat_answer(item: scales.Item, value: int | None, language: str | None) -> str:
    """A short answer for the tap-to-see label: "yes", "no" or "2 of 3" (the row's own question)."""
    return NO_VALUE if value is None else _heat_answer_of(item.field, value, language)


@functools.lru_cache(maxsize=2048)
def _heat_span_answer_of(field: str, trouble: int, rated: int, median: float | None, language: str | None) -> str:
    item = scales.ITEMS_BY_FIELD[field]
    if item.scale is scales.YES_NO:
        # The row's own question: "No bowel movement: yes on 2 of 7 days".
        return ngettext("yes on %(count)d of %(days)d day", "yes on %(count)d of %(days)d days", rated) % {
            "count": trouble,
            "days": rated,
        }
    return _("median %(value)s of %(high)d") % {"value": fmt(median), "high": item.scale.high}


def _heat_span_answer(item: scales.Item, span: SpanSummary, language: str | None) -> str:
    """The tap-to-see label of a week: "yes on 3 of 6 days" for a yes-or-no row, else "median 1.5 of 3"."""
    heat = span.heat[item.field]
    if not heat.rated_days:
        return NO_VALUE
    return _heat_span_answer_of(item.field, heat.trouble_days, heat.rated_days, span.medians[item.field], language)


def _heat_row_label(item: scales.Item) -> str:
    return _("No bowel movement") if item.field == "bowel_movement" else str(item.short_label)


def heat_map_chart(summary: PeriodSummary) -> Chart:
    weekly = summary.weekly_points
    title = _("Dryness, dizziness, bowels, speaking and swallowing")
    rows = summary.heat_rows
    if weekly:
        title = _("%(title)s: weekly medians") % {"title": title}
        how = _(
            "Each square is one week: the darker, the more trouble on a typical day of it (the weekly median "
            "of the daily answers). White: not rated."
        )
    else:
        how = _("Each square is one day: the darker, the more trouble that day. White: not rated.")
    key_items = tuple((f"swatch-{level}", str(label)) for level, label in enumerate(HEAT_LABELS))
    if not any(r.rated_days for r in rows):
        return Chart("heat-map", title, _("None of these were rated in this period."), None, None, how)
    sentence = " ".join(
        ngettext(
            "%(item)s: troublesome on %(trouble)d of %(rated)d rated day.",
            "%(item)s: troublesome on %(trouble)d of %(rated)d rated days.",
            r.rated_days,
        )
        % {"item": _heat_row_label(r.item), "trouble": r.trouble_days, "rated": r.rated_days}
        for r in rows
        if r.rated_days
    )
    items = [summary.items[f] for f in HEAT_MAP_FIELDS]
    language = get_language()
    if weekly:
        # A week's colour is the level of its median day; a median halfway between two levels takes the worse.
        z = [
            [None if (level := w.heat[s.item.field].level) is None else int(level + 0.5) for w in summary.weeks]
            for s in items
        ]
        text = [[_heat_span_answer(s.item, w, language) for w in summary.weeks] for s in items]
    else:
        z = [[None if v is None else heat_level(s.item, v) for v in s.values] for s in items]
        text = [[_heat_answer(s.item, v, language) for v in s.values] for s in items]
    steps = len(HEAT_COLOURS)
    colorscale = []
    for level, colour in enumerate(HEAT_COLOURS):
        colorscale += [[level / steps, colour], [(level + 1) / steps, colour]]
    trace = {
        "type": "heatmap",
        "z": z,
        "text": text,
        **_time_x(summary),
        "y": [_heat_row_label(s.item) for s in items],
        "zmin": -0.5,
        "zmax": steps - 0.5,
        "colorscale": colorscale,
        "showscale": False,
        "xgap": 1 if len(z[0]) <= 92 else 0,
        "ygap": 2,
        "hoverongaps": False,
        "zsmooth": False,
        "hovertemplate": _x_hover(summary) + "%{y}: %{text}<extra></extra>",
    }
    layout = _layout(
        height=60 + 30 * len(items),
        legend=False,
        xaxis={**_date_axis(summary), "showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False},
    )
    f = _Formats()
    if summary.daily_rows:
        table = Table(
            _("Each day's answers (0 = none or no)"),
            (_("Day"), *(_heat_row_label(s.item) for s in items)),
            tuple(
                (f.day(day), *(f.number(s.values[i]) for s in items))
                for i, day in enumerate(summary.days)
                if any(s.values[i] is not None for s in items)
            ),
        )
    else:
        unit, spans = _rows_of(summary)
        table = Table(
            _("The median answer of each month (0 = none or no)")
            if unit == "month"
            else _("The median answer of each week (0 = none or no)"),
            (_("Month") if unit == "month" else _("Week"), *(_heat_row_label(s.item) for s in items)),
            tuple(
                (f.span(unit, span), *(f.number(span.medians[s.item.field]) for s in items))
                for span in spans
                if span.days_logged
            ),
        )
    return Chart("heat-map", title, sentence, _figure([trace], layout), table, how, key_items)


# --- rest ------------------------------------------------------------------------------------


def rest_chart(summary: PeriodSummary) -> Chart:
    weekly = summary.weekly_points
    if weekly:
        title = _("Rests and fatigue: weekly totals and medians")
        how = _(
            "Bars: minutes of rest each week, planned and unplanned. Line: fatigue, the median of each week's "
            "daily ratings (0 to 10, right-hand scale)."
        )
    else:
        title = _("Rests and fatigue")
        how = _(
            "Bars: minutes of rest each day, planned and unplanned. "
            "Line: fatigue, 7-day median (0 to 10, right-hand scale)."
        )
    energy = {e.kind: e for e in summary.rest_energy}
    total, planned, unplanned = energy["all"], energy["planned"], energy["unplanned"]
    fatigue = summary.items["fatigue"]
    if not total.rests and not fatigue.rated_days:
        return Chart("rest", title, _("No rests or fatigue logged in this period."), None, None, how)
    sentence = ngettext(
        "%(count)d rest in %(days)d days, %(minutes)s minutes in all: %(planned)d planned (%(p_minutes)s minutes) "
        "and %(unplanned)d unplanned (%(u_minutes)s minutes).",
        "%(count)d rests in %(days)d days, %(minutes)s minutes in all: %(planned)d planned (%(p_minutes)s minutes) "
        "and %(unplanned)d unplanned (%(u_minutes)s minutes).",
        total.rests,
    ) % {
        "count": total.rests,
        "days": summary.day_count,
        "minutes": fmt(total.minutes),
        "planned": planned.rests,
        "p_minutes": fmt(planned.minutes),
        "unplanned": unplanned.rests,
        "u_minutes": fmt(unplanned.minutes),
    }
    if weekly:
        bar_values = {
            "planned": [w.rest_minutes_planned for w in summary.weeks],
            "unplanned": [w.rest_minutes_unplanned for w in summary.weeks],
            "unmarked": [w.rest_minutes_unmarked for w in summary.weeks],
        }
        fatigue_line = [_num(w.medians["fatigue"]) for w in summary.weeks]
        fatigue_name = _("Fatigue, weekly median")
    else:
        bar_values = {
            "planned": [r.planned_minutes for r in summary.rest_days],
            "unplanned": [r.unplanned_minutes for r in summary.rest_days],
            "unmarked": [r.unmarked_minutes for r in summary.rest_days],
        }
        fatigue_line = [_num(v) for v in fatigue.rolling_median]
        fatigue_name = _("Fatigue, 7-day median")
    x, hover = _time_x(summary), _x_hover(summary)
    bars = (
        (_("Planned"), "planned", BLUE, ""),
        (_("Unplanned"), "unplanned", VERMILLION, "/"),
        (_("Not marked"), "unmarked", GREY, "."),
    )
    traces: list[dict[str, Any]] = [
        {
            "type": "bar",
            **x,
            "y": bar_values[kind],
            "name": name,
            "marker": {"color": colour, "pattern": PATTERN | {"shape": pattern}},
            "hovertemplate": hover + name + ": %{y} min<extra></extra>",
        }
        for name, kind, colour, pattern in bars
        if any(bar_values[kind])
    ]
    if fatigue.rated_days:
        traces.append(
            {
                "type": "scatter",
                **x,
                "y": fatigue_line,
                "yaxis": "y2",
                "mode": "lines",
                "connectgaps": False,
                "name": fatigue_name,
                "line": {"color": BLACK, "width": 2.5},
                "hovertemplate": hover + fatigue_name + ": %{y}<extra></extra>",
            }
        )
    layout = _layout(
        barmode="stack",
        bargap=0.15,
        xaxis=_date_axis(summary),
        yaxis={"title": {"text": _("Minutes")}, "rangemode": "tozero"},
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "range": [-0.5, 10.5],
            "tickvals": [0, 5, 10],
            "fixedrange": True,
            "showgrid": False,
            "title": {"text": _("Fatigue")},
            "automargin": True,
        },
    )
    f = _Formats()
    if summary.daily_rows:
        table = Table(
            _("Minutes of rest and fatigue each day"),
            (_("Day"), _("Planned (min)"), _("Unplanned (min)"), _("Not marked (min)"), _("Rests"), _("Fatigue")),
            tuple(
                (
                    f.day(r.day),
                    f.number(r.planned_minutes),
                    f.number(r.unplanned_minutes),
                    f.number(r.unmarked_minutes),
                    f.number(r.count),
                    f.number(fatigue.values[i]),
                )
                for i, r in enumerate(summary.rest_days)
            ),
        )
    else:
        unit, spans = _rows_of(summary)
        table = Table(
            _("Minutes of rest and median fatigue each month")
            if unit == "month"
            else _("Minutes of rest and median fatigue each week"),
            (
                _("Month") if unit == "month" else _("Week"),
                _("Planned (min)"),
                _("Unplanned (min)"),
                _("Not marked (min)"),
                _("Rests"),
                _("Fatigue, median"),
            ),
            tuple(
                (
                    f.span(unit, span),
                    f.number(span.rest_minutes_planned),
                    f.number(span.rest_minutes_unplanned),
                    f.number(span.rest_minutes_unmarked),
                    f.number(span.rests),
                    f.number(span.medians["fatigue"]),
                )
                for span in spans
            ),
        )
    return Chart("rest", title, sentence, _figure(traces, layout), table, how)


def energy_chart(summary: PeriodSummary) -> Chart:
    title = _("Energy before and after rests")
    how = _("Bars: average energy (0 = none, 10 = full) just before and just after a rest, for rests with both.")
    kinds = [e for e in summary.rest_energy if e.kind != "all" and e.rated_rests]
    if not kinds:
        return Chart("energy", title, _("No rest with energy before and after in this period."), None, None, how)
    sentence = " ".join(
        ngettext(
            "%(kind)s: energy %(before)s before and %(after)s after, on average (%(count)d rest).",
            "%(kind)s: energy %(before)s before and %(after)s after, on average (%(count)d rests).",
            e.rated_rests,
        )
        % {"kind": e.label, "before": fmt(e.mean_before), "after": fmt(e.mean_after), "count": e.rated_rests}
        for e in kinds
    )
    labels = [str(e.label) for e in kinds]
    traces = [
        {
            "type": "bar",
            "x": labels,
            "y": [figure_value(getattr(e, attribute) or 0) for e in kinds],
            "customdata": [e.rated_rests for e in kinds],
            "name": name,
            "marker": {"color": colour, "pattern": PATTERN | {"shape": pattern}},
            "hovertemplate": "%{x}<br>" + name + ": %{y} (%{customdata})<extra></extra>",
        }
        for name, attribute, colour, pattern in (
            (_("Before"), "mean_before", ORANGE, "/"),
            (_("After"), "mean_after", BLUE, ""),
        )
    ]
    layout = _layout(
        barmode="group",
        xaxis={"type": "category"},
        yaxis={"range": [0, 10.5], "tickvals": [0, 2, 4, 6, 8, 10], "title": {"text": _("Energy")}},
    )
    table = Table(
        _("Average energy before and after rests"),
        (_("Rests"), _("With both ratings"), _("Energy before"), _("Energy after")),
        tuple((str(e.label), fmt(e.rated_rests), fmt(e.mean_before), fmt(e.mean_after)) for e in kinds),
    )
    return Chart("energy", title, sentence, _figure(traces, layout), table, how)


def rest_section(summary: PeriodSummary) -> ChartSection:
    return ChartSection("rest", _("Rest and energy"), (rest_chart(summary), energy_chart(summary)))


# --- adherence ---------------------------------------------------------------------------------


def adherence_chart(summary: PeriodSummary) -> Chart:
    title = _("Doses each week")
    how = _("Bars: each week's scheduled doses, by what was logged. Missed: no log at all for a scheduled dose.")
    total = summary.adherence_total
    if not total.scheduled and not total.extra:
        return Chart("adherence", title, _("No doses scheduled or logged in this period."), None, None, how)
    sentence = ngettext(
        "Of %(count)d scheduled dose: %(on_time)d on time, %(late)d late, %(skipped)d skipped and %(missed)d "
        "with nothing logged.",
        "Of %(count)d scheduled doses: %(on_time)d on time, %(late)d late, %(skipped)d skipped and %(missed)d "
        "with nothing logged.",
        total.scheduled,
    ) % {
        "count": total.scheduled,
        "on_time": total.on_time,
        "late": total.late,
        "skipped": total.skipped,
        "missed": total.missed,
    }
    if total.extra:
        sentence += " " + ngettext("%(count)d extra dose.", "%(count)d extra doses.", total.extra) % {
            "count": total.extra
        }
    for own in summary.adherence_by_medicine:
        if own.scheduled:
            sentence += " " + ngettext(
                "%(medicine)s: %(taken)d%% of %(count)d scheduled dose taken (%(late)d%% late), %(skipped)d%% "
                "skipped, %(missed)d%% with nothing logged.",
                "%(medicine)s: %(taken)d%% of %(count)d scheduled doses taken (%(late)d%% late), %(skipped)d%% "
                "skipped, %(missed)d%% with nothing logged.",
                own.scheduled,
            ) % {
                "medicine": own.medicine.label,
                "taken": own.taken_percent,
                "count": own.scheduled,
                "late": own.late_percent,
                "skipped": own.skipped_percent,
                "missed": own.missed_percent,
            }
    # Every week from the first to the last with doses (none: a bar of nothing), so a start and a step place them.
    by_start = {w.start: w for w in summary.adherence}
    weeks = []
    if summary.adherence:
        monday, last = summary.adherence[0].start, summary.adherence[-1].start
        while monday <= last:
            weeks.append(by_start.get(monday))
            monday += dt.timedelta(days=7)
    traces = [
        {
            "type": "bar",
            "x0": _iso(summary.adherence[0].start) if summary.adherence else _iso(summary.start),
            "dx": WEEK_MS,
            "y": [getattr(w, attribute) if w is not None else 0 for w in weeks],
            # One bar per ISO week, centred on its week (Monday to Sunday).
            "xperiod": WEEK_MS,
            "xperiod0": "2000-01-03",
            "xperiodalignment": "middle",
            "name": name,
            "marker": {"color": colour, "pattern": PATTERN | {"shape": pattern}},
            "hovertemplate": _("Week of %(day)s") % {"day": "%{x|%-d %b %Y}"} + "<br>" + name + ": %{y}<extra></extra>",
        }
        for name, attribute, colour, pattern in (
            (_("On time"), "on_time", GREEN, ""),
            (_("Late"), "late", ORANGE, "/"),
            (_("Skipped"), "skipped", SKY, "x"),
            (_("Missed"), "missed", VERMILLION, "."),
        )
    ]
    start = min(summary.start, summary.adherence[0].start) if summary.adherence else summary.start
    layout = _layout(
        barmode="stack",
        bargap=0.2,
        xaxis={
            "type": "date",
            "range": [(start - dt.timedelta(days=4)).isoformat(), (summary.end + dt.timedelta(days=4)).isoformat()],
        },
        yaxis={"title": {"text": _("Doses")}, "rangemode": "tozero"},
    )
    f = _Formats()
    if summary.monthly_rows:
        caption, first, periods, start_of = (
            _("Scheduled doses each month"),
            _("Month"),
            summary.adherence_months,
            f.month,
        )
    else:
        caption, first, periods, start_of = _("Scheduled doses each week"), _("Week"), summary.adherence, f.week
    table = Table(
        caption,
        (first, _("On time"), _("Late"), _("Skipped"), _("Missed"), _("Extra")),
        tuple(
            (
                start_of(p.start),
                *(f.number(n) for n in (p.on_time, p.late, p.skipped, p.missed, p.extra)),
            )
            for p in periods
        ),
    )
    return Chart("adherence", title, sentence, _figure(traces, layout), table, how)


# --- the page ------------------------------------------------------------------------------------


def trends_page(summary: PeriodSummary) -> tuple[ChartSection, ...]:
    """Every chart of the Trends page, grouped in sections, in reading order."""
    return (
        trend_section(summary),
        dose_section(summary),
        ChartSection(
            "autonomic-bulbar",
            _("Week by week: autonomic and bulbar symptoms")
            if summary.weekly_points
            else _("Day by day: autonomic and bulbar symptoms"),
            (heat_map_chart(summary),),
        ),
        rest_section(summary),
        ChartSection("adherence", _("Taking doses"), (adherence_chart(summary),)),
    )
