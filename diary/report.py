"""The clinic summary: its period, its content and its PDF.

One builder (``report_build``) gathers everything the summary shows; the PDF,
the print page and the clinician's read-only link all render it through the
same template (templates/diary/report/_content.html). Every number comes from
diary.summary; this module only chooses, orders and words them, and draws the
charts through diary.report_charts.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from diary import report_charts, report_figures, scales, summary
from diary.models import (
    AlertLevel,
    Diary,
    Event,
    EventKind,
    MedicineKind,
    Paper,
    ReportRecord,
    ScanType,
    VisitQuestion,
    WeeklyEntry,
)
from diary.numbers import NO_VALUE, rating_text
from diary.periods import months_before
from diary.report_figures import ReportFigures
from diary.summary import EdgeComparison, PeriodSummary
from diary.timeline import day_window

#: Longest period a report may cover (the appendix of two years is about fifteen pages).
REPORT_MAX_DAYS = 731
#: Open questions that go on the report: the top three, what a visit has time for.
REPORT_QUESTIONS = 3
#: Dose-timing charts on page 2 (one per medicine with quick checks after its doses).
REPORT_DOSE_CHARTS = 2
#: Medicines whose effect rises and falls within hours, so strength against time since a dose
#: means something; not the once-a-day immunosuppressants.
DOSE_TIMING_KINDS = (MedicineKind.AMIFAMPRIDINE, MedicineKind.PYRIDOSTIGMINE)
#: Notes are cut to this length on the report (the whole note stays in the diary).
NOTE_CHARS = 160
APPENDIX_NOTE_CHARS = 70
#: Medicine changes listed under the current medicines.
REPORT_CHANGES_MAX = 4

#: The trends table: domain, then its items.
TREND_ROWS: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    (gettext_lazy("Weakness"), ("weakness_hips", "weakness_shoulders", "weakness_neck")),
    (gettext_lazy("Bulbar"), ("speech", "chewing", "swallowing")),
    (gettext_lazy("Eyes"), ("double_vision", "eyelid_droop")),
    (gettext_lazy("Breathing"), ("breathlessness",)),
    (gettext_lazy("Autonomic"), ("dry_mouth", "dry_eyes", "dizziness_standing")),
    (gettext_lazy("Fatigue"), ("fatigue",)),
    (gettext_lazy("Pain"), ("muscle_pain",)),
    (gettext_lazy("Overall"), ("percent_normal",)),
)
#: Function (item 4): start against end.
FUNCTION_FIELDS: tuple[str, ...] = ("stairs", "chair_rise", "walking_distance", "lifting")

PAGE_SIZES = {Paper.A4: "A4", Paper.LETTER: "letter"}
REPORT_CSS = "css/report.css"
REPORT_PDF_CSS = "css/report-pdf.css"


# --- the period ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DefaultPeriod:
    start: dt.date
    end: dt.date
    #: The report the period follows on from, if any.
    since: ReportRecord | None


def report_default_period(*, diary: Diary, today: dt.date, first_day: dt.date | None) -> DefaultPeriod:
    """Since the last report (the day after its end), or the last 3 months.

    Made again on the day a report ended, the same period is offered again.
    Days before the diary's first data are left out.
    """
    last = ReportRecord.objects.filter(diary=diary).order_by("-created_at", "-pk").first()
    if last is not None:
        start = last.end + dt.timedelta(days=1)
        if start > today:
            start = last.start
    else:
        start = months_before(today, 3) + dt.timedelta(days=1)
    if first_day is not None and start < first_day:
        start = min(first_day, today)
    return DefaultPeriod(min(start, today), today, last)


class ReportForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Enter the first day of the period."),
            "invalid": gettext_lazy("Enter the start date as a date, for example 2025-03-01."),
        },
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Enter the last day of the period."),
            "invalid": gettext_lazy("Enter the end date as a date, for example 2025-03-31."),
        },
    )
    paper = forms.ChoiceField(
        label=gettext_lazy("Paper size"),
        choices=Paper.choices,
        initial=Paper.A4,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Choose A4 or Letter.")},
    )
    appendix = forms.BooleanField(
        label=gettext_lazy("Add a day-by-day table at the end (more pages)"),
        required=False,
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("start", "end"):
            self.fields[name].widget.attrs["max"] = today.isoformat()

    def clean_paper(self) -> str:
        return self.cleaned_data.get("paper") or Paper.A4

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            return cleaned
        if end > self.today:
            self.add_error("end", _("The end date cannot be in the future."))
        elif end < start:
            self.add_error("end", _("The period ends before it starts: choose an end date on or after the start date."))
        elif (end - start).days + 1 > REPORT_MAX_DAYS:
            self.add_error("start", _("Choose a period of at most two years."))
        return cleaned


# --- what the report shows -------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendRow:
    domain: str
    #: Rows the domain cell spans (0 on the rows below its first).
    domain_rows: int
    item: scales.Item
    scale: str
    chart: report_charts.Svg | None
    first: str
    last: str
    change: str | None
    change_text: str
    rated_days: int
    #: "days with any symptom / days logged" for an episodic symptom, "" for the others.
    symptom_days: str = ""


@dataclass(frozen=True)
class EventLine:
    when: dt.datetime
    what: str
    details: str
    level: str
    guidance: str


@dataclass(frozen=True)
class DoseChart:
    medicine: str
    chart: report_charts.Svg
    sentence: str


@dataclass(frozen=True)
class WorstLine:
    worst: report_figures.WorstDay
    #: The day's ratings of scales.SUMMARY_FIELDS, as shown.
    values: tuple[str, ...]


@dataclass(frozen=True)
class AppendixRow:
    day: dt.date
    values: tuple[str, ...]
    context: str
    note: str


@dataclass(frozen=True)
class WeightChange:
    """The first and last weekly weight of the period, and how many weighings lie between."""

    first: Decimal
    last: Decimal
    count: int

    @property
    def percent(self) -> Decimal:
        return ((self.last - self.first) / self.first * 100).quantize(Decimal("0.1"))


def last_tumour_scan(diary: Diary, end: dt.date) -> Event | None:
    _start, until = day_window(diary, end)
    return (
        Event.objects.filter(
            diary=diary,
            kind=EventKind.TEST_OR_SCAN,
            scan_type__in=ScanType.tumour_screening(),
            occurred_at__lt=until,
        )
        .order_by("-occurred_at")
        .first()
    )


def weight_change(diary: Diary, start: dt.date, end: dt.date) -> WeightChange | None:
    weights = list(
        WeeklyEntry.objects.filter(diary=diary, week_start__range=(start, end), weight_kg__isnull=False)
        .order_by("week_start")
        .values_list("weight_kg", flat=True)
    )
    if not weights:
        return None
    return WeightChange(weights[0], weights[-1], len(weights))


@dataclass(frozen=True)
class Report:
    diary: Diary
    summary: PeriodSummary
    figures: ReportFigures
    paper: str
    generated_at: dt.datetime
    trend_rows: tuple[TrendRow, ...]
    function_rows: tuple[TrendRow, ...]
    worst_days: tuple[WorstLine, ...]
    events: tuple[EventLine, ...]
    serious_events: tuple[EventLine, ...]
    dose_charts: tuple[DoseChart, ...]
    questions: tuple[VisitQuestion, ...]
    summary_items: tuple[scales.Item, ...]
    appendix: tuple[AppendixRow, ...] | None
    #: The period was asked to start earlier, before the diary's first data.
    asked_start: dt.date | None = None
    #: The latest tumour-screening scan logged up to the period's end (any time before it).
    last_scan: Event | None = None
    weight: WeightChange | None = None

    @property
    def medication_changes(self) -> tuple[summary.MedicationChange, ...]:
        return self.summary.medication_changes[-REPORT_CHANGES_MAX:]

    @property
    def more_medication_changes(self) -> int:
        return max(0, len(self.summary.medication_changes) - REPORT_CHANGES_MAX)

    @property
    def change_rule(self) -> str:
        """When the trend tables call a change better or worse (the thresholds live on the scales)."""
        return _(
            "“Better”, “worse”: medians %(level)d level (0–3), %(points)d points (0–10) or %(percent)d points (%%) "
            "apart or more, with %(days)d or more days rated in each."
        ) % {
            "level": scales.S3.meaningful_change,
            "points": scales.N10.meaningful_change,
            "percent": scales.PERCENT.meaningful_change,
            "days": summary.MIN_PER_BIN,
        }

    @property
    def day_format(self) -> str:
        """Dates without the year read well within one calendar year; across two they need it."""
        return "j M" if self.summary.start.year == self.summary.end.year else "j M Y"

    @property
    def filename(self) -> str:
        return f"clinic-summary-{self.summary.start.isoformat()}-to-{self.summary.end.isoformat()}.pdf"


#: A rating or a median as people read it (the same words as the Trends page).
fmt = rating_text


def _scale_text(item: scales.Item) -> str:
    if item.scale is scales.PERCENT:
        return "0–100%"
    if item.scale is scales.WALKING:
        return _("distance")
    return f"{item.scale.low}–{item.scale.high}"


def _trend_row(
    result: PeriodSummary, edges: dict[str, EdgeComparison], field: str, domain: str, domain_rows: int
) -> TrendRow:
    series = result.items[field]
    item = series.item
    weekly = [week.medians[field] for week in result.weeks]
    chart = None
    if any(v is not None for v in weekly):
        alt = _("%(item)s, median of each week: %(values)s") % {
            "item": item.short_label,
            "values": ", ".join(fmt(v, item) for v in weekly),
        }
        chart = report_charts.sparkline(weekly, item, alt=alt)
    edge = edges[field]
    return TrendRow(
        domain=domain,
        domain_rows=domain_rows,
        item=item,
        scale=_scale_text(item),
        chart=chart,
        first=fmt(edge.first, item),
        last=fmt(edge.last, item),
        change=edge.change,
        change_text=edge.change_text,
        rated_days=series.rated_days,
        symptom_days=f"{series.symptom_days} / {series.rated_days}" if series.episodic and series.rated_days else "",
    )


def _trend_rows(result: PeriodSummary, figures: ReportFigures) -> tuple[TrendRow, ...]:
    edges = dict(figures.edges)
    rows = []
    for domain, fields in TREND_ROWS:
        for index, field in enumerate(fields):
            rows.append(_trend_row(result, edges, field, str(domain), len(fields) if index == 0 else 0))
    return tuple(rows)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else _("yes") if value else _("no")


def event_details(event: Event) -> str:
    """A short line of what was logged with the event (its own fields; never an interpretation)."""
    parts: list[str] = []
    kind = event.kind
    if kind in (EventKind.FALL, EventKind.NEAR_FALL):
        if event.injury:
            parts.append(str(event.get_injury_display()))
        if event.head_strike:
            parts.append(_("hit their head"))
        if event.activity:
            parts.append(event.activity)
    elif kind == EventKind.CHOKING:
        if event.food_or_drink:
            parts.append(event.food_or_drink)
        if event.breathing_difficulty is not None:
            parts.append(
                _("trouble breathing afterwards: %(answer)s") % {"answer": _yes_no(event.breathing_difficulty)}
            )
    elif kind == EventKind.INFECTION:
        if event.temperature is not None:
            parts.append(_("%(temperature)s °C") % {"temperature": number_format(event.temperature, 1)})
        if event.chest_symptoms:
            parts.append(_("chest symptoms"))
        if event.antibiotic:
            parts.append(_("antibiotic: %(name)s") % {"name": event.antibiotic})
    elif kind == EventKind.EMERGENCY_VISIT:
        parts += [p for p in (event.reason, event.treatments_given) if p]
    elif kind == EventKind.MEDICINE_CHANGE:
        if event.medicine_name:
            started = event.medicine_started
            parts.append(
                (_("started %(name)s") if started is not False else _("stopped %(name)s"))
                % {"name": event.medicine_name}
            )
        if event.weakness_change:
            parts.append(_("weakness afterwards: %(change)s") % {"change": event.get_weakness_change_display()})
    elif kind == EventKind.PROCEDURE:
        if event.procedure_type:
            parts.append(event.procedure_type)
    elif kind in (EventKind.SEIZURE, EventKind.ALLERGIC_REACTION):
        if event.description:
            parts.append(event.description)
        if event.face_throat_swelling:
            parts.append(_("swelling of face, lips or throat"))
        if event.emergency_help_called:
            parts.append(_("emergency help called"))
    elif kind == EventKind.BLOOD_PRESSURE:
        if event.bp_lying_systolic is not None and event.bp_standing_systolic is not None:
            parts.append(
                _("lying or sitting %(lying)s, standing %(standing)s")
                % {
                    "lying": f"{event.bp_lying_systolic}/{event.bp_lying_diastolic or NO_VALUE}",
                    "standing": f"{event.bp_standing_systolic}/{event.bp_standing_diastolic or NO_VALUE}",
                }
            )
        if event.blood_pressure_drop:
            parts.append(_("drop on standing"))
    if event.note:
        parts.append(event.note)
    return "; ".join(parts)


def _event_line(row: report_figures.ReportEvent) -> EventLine:
    alert = row.alert
    return EventLine(
        when=row.local_time,
        what=str(row.event.get_kind_display()),
        details=event_details(row.event),
        level=alert.level if alert else "",
        guidance=(str(AlertLevel(alert.level).label) if alert else ""),
    )


def _dose_charts(result: PeriodSummary) -> tuple[DoseChart, ...]:
    charts: list[DoseChart] = []
    for curve in result.dose_curves:
        kind = curve.medicine.key.split(":", 1)[0]
        if not curve.points or kind not in DOSE_TIMING_KINDS or len(charts) >= REPORT_DOSE_CHARTS:
            continue
        label = curve.medicine.label
        sentence = curve.sentence(fmt)
        chart = report_charts.dose_chart(
            curve,
            x_label=_("Hours since the last dose of %(medicine)s") % {"medicine": label},
            y_label=_("Leg strength (0–10)"),
            dots_label=_("Quick check"),
            line_label=_("Hourly average"),
            alt=sentence,
        )
        charts.append(DoseChart(label, chart, sentence))
    return tuple(charts)


def _appendix(diary: Diary, result: PeriodSummary) -> tuple[AppendixRow, ...]:
    notes = dict(
        diary.day_entries.filter(date__range=(result.start, result.end))
        .exclude(note="")
        .values_list("date", "note")
        .order_by()
    )
    rows = []
    for index, day in enumerate(result.days):
        ratings = {field: result.items[field].values[index] for field in result.items}
        if all(value is None for value in ratings.values()) and day not in notes:
            continue
        context = [
            label
            for field, label in (("hot_environment", _("heat")), ("illness_fever", _("ill")))
            if ratings[field] == 1
        ]
        if day in result.dose_trouble_days:
            context.append(_("dose missed"))
        note = notes.get(day, "")
        rows.append(
            AppendixRow(
                day=day,
                values=tuple(fmt(ratings[f], scales.ITEMS_BY_FIELD[f]) for f in scales.SUMMARY_FIELDS),
                context=", ".join(context),
                note=note if len(note) <= APPENDIX_NOTE_CHARS else note[: APPENDIX_NOTE_CHARS - 1] + "…",
            )
        )
    return tuple(rows)


def report_build(
    *,
    diary: Diary,
    start: dt.date,
    end: dt.date,
    paper: str = Paper.A4,
    appendix: bool = False,
    bounds: summary.DataBounds | None = None,
) -> Report:
    """Everything the clinic summary shows for ``start`` to ``end`` (the diary's days, both included)."""
    if bounds is None:
        bounds = summary.data_bounds(diary=diary)
    asked_start = None
    if bounds.first_day is not None and start < bounds.first_day <= end:
        # Days before the diary's first data hold nothing and were not "missed".
        asked_start, start = start, bounds.first_day
    result = summary.period_summary(diary=diary, start=start, end=end, bounds=bounds)
    figures = report_figures.report_figures(diary=diary, summary=result)
    edges = dict(figures.edges)
    questions = tuple(
        VisitQuestion.objects.filter(diary=diary, done=False, suggested=False).order_by("order", "pk")[
            :REPORT_QUESTIONS
        ]
    )
    return Report(
        diary=diary,
        summary=result,
        figures=figures,
        paper=paper if paper in PAGE_SIZES else Paper.A4,
        generated_at=timezone.now(),
        trend_rows=_trend_rows(result, figures),
        function_rows=tuple(_trend_row(result, edges, f, "", 0) for f in FUNCTION_FIELDS),
        worst_days=tuple(
            WorstLine(w, tuple(fmt(w.scores[f], scales.ITEMS_BY_FIELD[f]) for f in scales.SUMMARY_FIELDS))
            for w in figures.worst_days
        ),
        events=tuple(_event_line(e) for e in figures.events),
        serious_events=tuple(_event_line(e) for e in figures.serious_events),
        dose_charts=_dose_charts(result),
        questions=questions,
        summary_items=tuple(scales.ITEMS_BY_FIELD[f] for f in scales.SUMMARY_FIELDS),
        appendix=_appendix(diary, result) if appendix else None,
        asked_start=asked_start,
        last_scan=last_tumour_scan(diary, result.end),
        weight=weight_change(diary, result.start, result.end),
    )


def report_context(report: Report, *, pdf: bool) -> dict[str, Any]:
    return {
        "report": report,
        "diary": report.diary,
        "summary": report.summary,
        "figures": report.figures,
        "pdf": pdf,
        "note_chars": NOTE_CHARS,
    }


# --- the PDF -----------------------------------------------------------------------------------


def _static_path(name: str) -> str:
    found = finders.find(name)
    if not found:
        found = str(Path(settings.STATIC_ROOT) / name)
    return str(found)


@functools.cache
def _url_fetcher() -> Any:
    """Fetches data: URLs only (the charts). Made once: its HTTPS set-up loads the system's
    certificates, about 45 ms a PDF when it was made each time."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


@functools.cache
def _stylesheets(paper: str, changed: tuple[float, ...]) -> tuple[Any, ...]:
    """The report's stylesheets, parsed once per paper size (and again when a file ``changed``)."""
    from weasyprint import CSS

    fetcher = _url_fetcher()
    return (
        *(CSS(filename=_static_path(name), url_fetcher=fetcher) for name in (REPORT_CSS, REPORT_PDF_CSS)),
        CSS(string=f"@page {{ size: {PAGE_SIZES[Paper(paper)]}; }}", url_fetcher=fetcher),
    )


def report_pdf(report: Report) -> bytes:
    """The summary as a PDF (WeasyPrint). Nothing is fetched: no network, no files but our stylesheets."""
    from weasyprint import HTML

    html = render_to_string("diary/report/pdf.html", report_context(report, pdf=True))
    changed = tuple(Path(_static_path(name)).stat().st_mtime for name in (REPORT_CSS, REPORT_PDF_CSS))
    stylesheets = list(_stylesheets(report.paper, changed))
    document = HTML(string=html, base_url=None, url_fetcher=_url_fetcher())
    pdf = document.write_pdf(stylesheets=stylesheets, pdf_tags=True)
    assert pdf is not None
    return pdf


def report_record(*, report: Report, by: User | None) -> ReportRecord:
    return ReportRecord.objects.create(
        diary=report.diary, start=report.summary.start, end=report.summary.end, paper=report.paper, created_by=by
    )


def period_text(start: dt.date, end: dt.date) -> str:
    return _("%(start)s to %(end)s") % {"start": date_format(start, "j M Y"), "end": date_format(end, "j M Y")}
