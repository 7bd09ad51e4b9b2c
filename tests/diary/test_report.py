"""The clinic summary (PDF and print page), its period, and export / import of all the data."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from diary import report_charts, report_figures, scales, summary
from diary.demo import build_demo
from diary.export import KINDS, checksum, data_fields, export_data
from diary.models import ActivityEntry, ClinicianLink, DataImport, DayEntry, Diary, Paper, ReportRecord, VisitQuestion
from diary.periods import months_before
from diary.report import report_build, report_pdf
from diary.sharing import clinician_link_create
from tests.conftest import People
from tests.diary.report_data import HARD_NOTE, QUESTIONS, build_known_diary

D = dt.date


def make_url(people: People) -> str:
    return reverse("diary:report_make", args=[people.diary.pk])


def pdf_text(content: bytes) -> tuple[int, list[str]]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), [" ".join(page.extract_text().split()) for page in reader.pages]


def download(client: Client, people: People, **data: str) -> Any:
    return client.post(make_url(people), {"format": "pdf", "paper": "a4", **data})


# --- the PDF ---------------------------------------------------------------------------------


def test_the_pdf_shows_the_summary_figures_of_a_known_diary(people: People) -> None:
    known = build_known_diary(people)
    result = summary.period_summary(diary=people.diary, start=known.start, end=known.end)
    figures = report_figures.report_figures(diary=people.diary, summary=result)
    response = download(people.client_for("viewer"), people, start="2025-03-03", end="2025-03-30")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="clinic-summary-2025-03-03-to-2025-03-30.pdf"'
    assert "no-store" in response["Cache-Control"]
    pages, texts = pdf_text(response.content)
    assert pages <= 2
    text = " ".join(texts)
    # Every page: the patient, the period, and its number.
    for number, page in enumerate(texts, start=1):
        assert "Diary summary: Pat Patient" in page
        assert "3 Mar 2025 to 30 Mar 2025" in page
        assert f"Page {number} of {pages}" in page
    assert f"{result.days_logged} days logged ({result.share_percent}%)" in text
    assert "28 days logged (100%)" in text
    # First against last fortnight, from the summary.
    legs = figures.edges["weakness_hips"]
    assert f"Legs 0–3 {legs.first:.0f} {legs.last:.0f} better 28" in text
    assert "% normal 0–100% 70% 80% better 28" in text
    # The three hardest days, with their burden, context and note.
    for worst in figures.worst_days:
        assert f"{worst.day:%a} {worst.day.day} {worst.day:%b %Y} {worst.burden}%" in text
    assert "Wed 5 Mar 2025 92% 3 3 9" in text and "heat" in text
    assert HARD_NOTE.replace(" ", "") in text.replace(" ", "")  # a line may break anywhere in the note
    # Events and prompts.
    assert "Fall: 1 · Near-fall: 1" in text
    assert "Emergency" in text and "25 Mar" in text
    # Adherence, skip reasons, side effects.
    # Per medicine: scheduled, taken, late, skipped, nothing logged, extra, reasons for skipping.
    [own] = figures.medicine_adherence
    a = own.adherence
    assert (a.scheduled, a.taken_percent, a.late_percent, a.skipped_percent, a.missed_percent) == (56, 93, 4, 5, 2)
    assert "Amifampridine (3,4-DAP) 56 93% 4% 5% 2% 0 Nausea: 2; No reason given: 1" in text
    assert "Amifampridine (3,4-DAP) Tingling of mouth, fingers or limbs 2 4 5" in text
    assert (
        "highest 1–2 h after a dose (7 of 10, based on 25 checks) and lowest 5–6 h after (4, based on 25 checks)"
        in text
    )
    # The treatment course: legs before and after, from the summary.
    [course] = figures.courses
    assert f"{course.before_mean:.1f} (7 days) {course.after_mean:.1f} (13 days)" in text
    assert "2.1 (7 days) 1.2 (13 days)" in text
    # The first three open questions, in order; not the fourth, not the ticked-off one.
    positions = [text.index(q) for q in QUESTIONS[:3]]
    assert positions == sorted(positions)
    assert QUESTIONS[3] not in text and "Already asked" not in text
    assert ReportRecord.objects.get().start == D(2025, 3, 3)


def test_the_pdf_is_vector_letter_size_and_escapes_what_people_typed(people: People) -> None:
    known = build_known_diary(people)
    built = report_build(diary=people.diary, start=known.start, end=known.end, paper=Paper.LETTER)
    content = report_pdf(built)
    reader = PdfReader(io.BytesIO(content))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (612, 792)  # US Letter, in points
    # The charts are drawn as vectors: no picture anywhere in the file.
    assert all(not page.images for page in reader.pages)
    # A note with markup is shown as typed, never interpreted.
    assert "<b>atall</b>" in "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")


def test_the_appendix_lists_the_days_only_when_asked(people: People) -> None:
    build_known_diary(people)
    without = download(people.client_for("owner"), people, start="2025-03-03", end="2025-03-30")
    with_appendix = download(people.client_for("owner"), people, start="2025-03-03", end="2025-03-30", appendix="on")
    assert "Appendix" not in " ".join(pdf_text(without.content)[1])
    pages, texts = pdf_text(with_appendix.content)
    text = " ".join(texts)
    assert "Appendix: day by day" in text and "Mon 3 Mar" in text and "Sun 30 Mar" in text


@pytest.mark.parametrize("paper", [Paper.A4, Paper.LETTER])
def test_three_months_of_the_demo_diary_fit_on_two_pages(db: None, paper: str) -> None:
    today = D(2026, 5, 20)
    diary = build_demo(days=182, today=today)
    for order, text in enumerate(("Could the afternoon dose come earlier? " * 4, "Is the tingling a worry?", "IVIG?")):
        VisitQuestion.objects.create(diary=diary, text=text, order=order)
    start = months_before(today, 3) + dt.timedelta(days=1)
    built = report_build(diary=diary, start=start, end=today, paper=paper)
    assert built.figures.events_total >= 1 and built.figures.courses  # a full report, not an empty one
    pages, texts = pdf_text(report_pdf(built))
    assert pages <= 2
    assert "Alex Demo" in texts[-1] and f"Page {pages} of {pages}" in texts[-1]


def test_an_empty_period_makes_a_report_that_says_so(people: People) -> None:
    response = download(people.client_for("owner"), people, start="2024-01-01", end="2024-01-31")
    assert response.status_code == 200
    pages, texts = pdf_text(response.content)
    assert pages == 1 and "No entries in this period." in texts[0]


# --- the charts ------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
LEGS, PERCENT_NORMAL = scales.ITEMS_BY_FIELD["weakness_hips"], scales.ITEMS_BY_FIELD["percent_normal"]


def parsed(chart: report_charts.Svg) -> ElementTree.Element:
    root = ElementTree.fromstring(chart.document)
    # Presentation attributes only: WeasyPrint would parse every style as CSS (see diary/report_charts.py).
    assert "<style" not in chart.document and "style=" not in chart.document
    return root


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def polylines(d: str) -> list[list[tuple[float, float]]]:
    """The points of each subpath of a path made only of M and L."""
    assert set(re.sub(r"[-\d. ]", "", d)) <= {"M", "L"}, d
    runs = []
    for part in d.split("M")[1:]:
        values = numbers(part)
        runs.append(list(zip(values[::2], values[1::2], strict=True)))
    return runs


def spark(root: ElementTree.Element) -> dict[str, Any]:
    """The sparkline's pieces: the baseline's y, the line's subpaths, the dots' centres, the last dot."""
    paths = root.findall(f"{SVG}path")
    [baseline] = [p for p in paths if p.get("stroke") == report_charts.BASELINE]
    lines = [p for p in paths if p.get("stroke") == report_charts.BLUE]
    [dots] = [p for p in paths if p.get("fill") == report_charts.BLUE]
    [last] = root.findall(f"{SVG}circle")
    # Each dot starts at its left edge, one radius from its centre.
    radius = numbers(dots.get("d", "").split("c")[1])[2] / 2
    starts = [numbers(part)[:2] for part in dots.get("d", "").split("M")[1:]]
    return {
        "baseline": numbers(baseline.get("d", ""))[1],
        "lines": polylines(lines[0].get("d", "")) if lines else [],
        "dots": [(x + radius, y) for x, y in starts],
        "last": (float(last.get("cx", "")), float(last.get("cy", ""))),
        "elements": len(root),
    }


def near(found: list[tuple[float, float]], expected: list[tuple[float, float]]) -> bool:
    """The same points, give or take the rounding to hundredths of a millimetre."""
    return len(found) == len(expected) and all(
        abs(x - ex) < 0.015 and abs(y - ey) < 0.015 for (x, y), (ex, ey) in zip(found, expected, strict=True)
    )


def test_a_sparkline_breaks_at_a_missing_week_and_marks_every_rated_week() -> None:
    root = parsed(report_charts.sparkline([1, 2, None, 3, 2.5, None, 0], LEGS, alt="Legs"))
    assert root.get("width") == "30mm" and root.get("height") == "6mm" and root.get("viewBox") == "0 0 30 6"
    found = spark(root)
    assert found["elements"] == 4  # WeasyPrint pays for every element: baseline, line, dots, last dot
    step = 28.8 / 7  # seven weeks across the 28.8 mm between the margins
    week_x = [round(0.6 + (i + 0.5) * step, 2) for i in range(7)]
    # Two pieces of line, weeks 0-1 and 3-4: nothing drawn across the gaps, nothing for the lone last week.
    assert [[x for x, _y in run] for run in found["lines"]] == [week_x[0:2], week_x[3:5]]
    assert [x for x, _y in found["dots"]] == pytest.approx([week_x[i] for i in (0, 1, 3, 4, 6)], abs=0.015)
    dots = found["dots"]
    assert near(found["lines"][0] + found["lines"][1], dots[0:2] + dots[2:4])  # the line goes through the dots
    assert near([found["last"]], [dots[-1]]) and found["last"][0] == week_x[6]
    # Week 6 is 0 on a 0-3 scale: at the bottom, on the baseline.
    assert found["last"][1] == found["baseline"]


def test_a_sparkline_puts_worse_up_whichever_way_the_scale_runs() -> None:
    legs = spark(parsed(report_charts.sparkline([0, 3], LEGS, alt="")))
    percent = spark(parsed(report_charts.sparkline([100, 0], PERCENT_NORMAL, alt="")))
    for found in (legs, percent):
        (best_x, best_y), (worst_x, worst_y) = found["dots"]
        assert best_x < worst_x and worst_y < best_y  # y grows downwards: the worse week is drawn higher
        # The baseline marks "no trouble" (0 for legs, 100% for %normal): the bottom, where the best week is.
        assert found["baseline"] == best_y
        # The whole scale with 8% to spare: 0.08 / 1.16 of the 4.56 mm between the margins, above and below.
        assert (round(worst_y - 0.72, 2), round(5.28 - best_y, 2)) == (0.31, 0.31)
        assert len(found["lines"]) == 1 and near(found["lines"][0], found["dots"])
    assert legs["dots"] == percent["dots"] and legs["baseline"] == percent["baseline"]


def test_the_charts_are_the_same_bytes_every_time() -> None:
    first = report_charts.sparkline([0, 3, None, 1.5], LEGS, alt="x")
    assert first == report_charts.sparkline([0, 3, None, 1.5], LEGS, alt="x")
    assert first.document == (
        '<svg xmlns="http://www.w3.org/2000/svg" width="30mm" height="6mm" viewBox="0 0 30 6">'
        '<path d="M0.6 4.97H29.4" fill="none" stroke="#d0d0d0" stroke-width="0.21"/>'
        '<path d="M4.2 4.97L11.4 1.03" fill="none" stroke="#0072B2" stroke-width="0.32" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
        '<path d="M3.97 4.97c0 -0.31 0.46 -0.31 0.46 0s-0.46 0.31 -0.46 0z'
        "M11.17 1.03c0 -0.31 0.46 -0.31 0.46 0s-0.46 0.31 -0.46 0z"
        'M25.57 3c0 -0.31 0.46 -0.31 0.46 0s-0.46 0.31 -0.46 0z" fill="#0072B2"/>'
        '<circle cx="25.8" cy="3" r="0.6" fill="#1a1a1a"/></svg>'
    )
    curve = summary.DoseCurve(summary.Medicine("x", "X"), ((0.5, 7), (5.25, 4)), ())
    labels = {"x_label": "x", "y_label": "y", "dots_label": "d", "line_label": "l", "alt": "a"}
    assert report_charts.dose_chart(curve, **labels) == report_charts.dose_chart(curve, **labels)


def test_the_dose_chart_draws_each_check_and_the_hourly_average_with_its_gaps() -> None:
    points = ((0.25, 7), (0.75, 8), (1.5, 6), (4.5, 4), (5.5, 3), (12.5, 9))
    bins = (
        summary.DoseBin(0, 1, 2, 7.5),
        summary.DoseBin(1, 2, 1, 6.0),
        summary.DoseBin(4, 5, 1, 4.0),  # no average for 2-4 h: the line breaks
        summary.DoseBin(5, 6, 1, 3.0),
    )
    curve = summary.DoseCurve(summary.Medicine("amifampridine", "3,4-DAP <b>&</b> $x$"), points, bins)
    chart = report_charts.dose_chart(
        curve,
        x_label="Hours since the last dose of 3,4-DAP <b>&</b> $x$",
        y_label="Leg strength (0–10)",
        dots_label="Quick check",
        line_label="Hourly average",
        alt="six checks",
    )
    root = ElementTree.fromstring(chart.document)  # a medicine's name with markup is escaped: it still parses
    assert chart.alt == "six checks" and "<b>" not in chart.document
    texts = ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]
    # Text stays text (DejaVu Sans in the PDF), and "$x$" in a person's words is not a formula.
    assert "Hours since the last dose of 3,4-DAP <b>&</b> $x$" in texts
    assert {"Leg strength (0–10)", "Quick check", "Hourly average"} <= set(texts)
    # Checks up to 12.5 h: a tick every 2 h to 12; strength 0-10, a tick every 2.
    assert {"0", "2", "4", "6", "8", "10", "12"} <= set(texts) and "1" not in texts
    # The hourly average: one line of 4 points with a gap (a NaN splits it into two pieces of path).
    lines = [p.get("d", "") for p in root.iter(f"{SVG}path") if "#d55e00" in (p.get("style") or "").lower()]
    assert any(d.count("M") == 2 for d in lines), lines


def test_the_report_draws_each_trend_row_from_its_weekly_medians(people: People) -> None:
    known = build_known_diary(people)
    built = report_build(diary=people.diary, start=known.start, end=known.end)
    [legs] = [row for row in built.trend_rows if row.item.field == "weakness_hips"]
    weekly = [week.medians["weakness_hips"] for week in built.summary.weeks]
    assert len(weekly) == 4 and None not in weekly
    assert legs.chart is not None and legs.chart.alt.startswith("Legs, median of each week: ")
    found = spark(parsed(legs.chart))
    assert len(found["dots"]) == 4 and len(found["lines"]) == 1 and near(found["lines"][0], found["dots"])
    # A higher (worse) median is drawn higher up (smaller y), the same median at the same height.
    heights = [y for _x, y in found["dots"]]
    for i in range(4):
        for j in range(4):
            assert (weekly[i] > weekly[j]) == (heights[i] < heights[j])
    assert weekly[0] > weekly[-1]  # legs 2 in the first fortnight, 1 in the second: the line falls
    assert [row.chart for row in built.trend_rows if row.item.field == "speech"] == [None]  # never rated
    _pages, texts = pdf_text(report_pdf(built))
    assert "Symptoms: weekly median" in texts[0] and "Legs 0–3" in texts[0] and "% normal 0–100%" in texts[0]


# --- the period ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2025-03-10", "2025-03-01", "The period ends before it starts"),
        ("2025-03-10", "2999-01-01", "The end date cannot be in the future."),
        ("yesterday", "2025-03-01", "Enter the start date as a date"),
        ("2020-01-01", "2025-03-01", "Choose a period of at most two years."),
        ("2025-03-01", "", "Enter the last day of the period."),
    ],
)
def test_bad_periods_get_a_clear_message_not_an_error_page(people: People, start: str, end: str, message: str) -> None:
    response = download(people.client_for("owner"), people, start=start, end=end)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert not ReportRecord.objects.exists()
    printed = people.client_for("owner").get(
        reverse("diary:report_print", args=[people.diary.pk]), {"start": start, "end": end}
    )
    assert printed.status_code == 400 and message in printed.content.decode()


def test_the_period_defaults_to_three_months_then_to_since_the_last_report(people: People) -> None:
    today = people.diary.today()
    client = people.client_for("owner")
    page = client.get(reverse("diary:report", args=[people.diary.pk])).content.decode()
    three_months = months_before(today, 3) + dt.timedelta(days=1)
    assert f'name="start" value="{three_months.isoformat()}"' in page
    assert f'name="end" value="{today.isoformat()}"' in page
    ReportRecord.objects.create(
        diary=people.diary, start=today - dt.timedelta(days=60), end=today - dt.timedelta(days=20)
    )
    page = client.get(reverse("diary:report", args=[people.diary.pk])).content.decode()
    since = today - dt.timedelta(days=19)
    assert f'name="start" value="{since.isoformat()}"' in page
    # Both dates left empty: the suggested period.
    assert download(client, people, start="", end="").status_code == 200
    assert ReportRecord.objects.order_by("-created_at", "-pk").first().start == since  # type: ignore[union-attr]
    # Made again the same day, the same period is suggested again.
    page = client.get(reverse("diary:report", args=[people.diary.pk])).content.decode()
    assert f'name="start" value="{since.isoformat()}"' in page


# --- the print page and the clinician's link ---------------------------------------------------------


def test_the_print_page_has_no_site_navigation_and_the_same_figures(people: People) -> None:
    build_known_diary(people)
    client = people.client_for("viewer")
    response = client.post(make_url(people), {"format": "print", "start": "2025-03-03", "end": "2025-03-30"})
    assert response.status_code == 303
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<nav" not in html and "site-header" not in html
    assert "Diary summary: Pat Patient" in html and "92%" in html and "data:image/svg+xml;base64," in html
    assert "&lt;b&gt;at all&lt;/b&gt;" in html and "<b>at all</b>" not in html
    # One activity entry for the print page, none for the hop to it.
    assert list(ActivityEntry.objects.values_list("action", "what")) == [
        ("exported", "the clinic summary (print page)")
    ]


def test_the_print_page_makes_the_same_number_of_queries_for_any_length(people: People) -> None:
    build_known_diary(people)
    client = people.client_for("owner")
    url = reverse("diary:report_print", args=[people.diary.pk])
    client.get(url)  # the session is saved once, on the first request
    counts = []
    for start in ("2025-03-10", "2025-03-03"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"start": start, "end": "2025-03-30"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_clinician_link_shows_the_print_page_read_only(people: People) -> None:
    day_entry = DayEntry.objects.create(diary=people.diary, date=people.diary.today(), fatigue=7)
    assert day_entry.pk
    _link, token = clinician_link_create(diary=people.diary, label="Dr Okafor", days=7, by=people.owner)
    page = Client().get(reverse("clinician_view", args=[token]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Diary summary: Pat Patient" in html and "Read-only link" in html
    assert "Back to the clinic summary" not in html and "<form" not in html
    assert ClinicianLink.objects.get().label == "Dr Okafor"


def test_the_download_is_logged_for_every_member(people: People) -> None:
    assert download(people.client_for("viewer"), people).status_code == 200
    assert download(people.client_for("owner"), people).status_code == 200
    entries = list(ActivityEntry.objects.order_by("at").values_list("actor", "action", "what"))
    assert entries == [("Vic", "exported", "the clinic summary"), ("Pat", "exported", "the clinic summary")]


# --- questions -----------------------------------------------------------------------------------


def test_questions_are_added_edited_ticked_off_and_ordered(people: People) -> None:
    client = people.client_for("editor")
    diary_id = people.diary.pk
    for text in ("First", "Second", "Third"):
        assert client.post(reverse("diary:question_add", args=[diary_id]), {"text": text}).status_code == 302
    first, second, third = VisitQuestion.objects.order_by("order")
    client.post(reverse("diary:question_move", args=[diary_id, third.pk]), {"direction": "up"})
    assert list(VisitQuestion.objects.order_by("order").values_list("text", flat=True)) == ["First", "Third", "Second"]
    client.post(reverse("diary:question_edit", args=[diary_id, first.pk]), {"text": "  First,   changed "})
    client.post(reverse("diary:question_done", args=[diary_id, second.pk]), {"done": "1"})
    page = people.client_for("viewer").get(reverse("diary:questions", args=[diary_id])).content.decode()
    assert "First, changed" in page and "Put back on the list" not in page  # a viewer reads, without buttons
    second.refresh_from_db()
    assert second.done and second.updated_by == people.editor
    bad = client.post(reverse("diary:question_add", args=[diary_id]), {"text": "   "})
    assert bad.status_code == 400 and "Write the question first." in bad.content.decode()
    assert (
        people.client_for("viewer").post(reverse("diary:question_add", args=[diary_id]), {"text": "x"}).status_code
        == 403
    )
    client.post(reverse("diary:question_delete", args=[diary_id, second.pk]))
    assert VisitQuestion.objects.count() == 2
    other = VisitQuestion.objects.create(diary=people.stranger_diary, text="Theirs")
    assert client.post(reverse("diary:question_done", args=[diary_id, other.pk])).status_code == 404


# --- export and import ------------------------------------------------------------------------------


def comparable(diary: Diary) -> dict[str, Any]:
    """Every stored value of the diary, with links written as positions instead of ids."""
    section: dict[str, Any] = {
        "patient_name": diary.patient_name,
        "time_zone": diary.time_zone,
        "created_at": Diary.objects.get(pk=diary.pk).created_at,
    }
    positions: dict[str, dict[int, int]] = {}
    for kind in KINDS:
        model = kind.model
        rows = list(model.objects.filter(diary=diary).order_by("pk"))  # type: ignore[attr-defined]
        positions[kind.key] = {row.pk: index for index, row in enumerate(rows)}
        values = []
        for row in rows:
            record = {}
            for field in data_fields(model):
                value = getattr(row, field.attname)
                if field.name in kind.links and value is not None:
                    value = positions[kind.links[field.name]][value]
                record[field.name] = value
            values.append(record)
        section[kind.key] = values
    return section


def test_export_then_import_gives_identical_data_field_by_field(people: People) -> None:
    demo = build_demo(days=120, today=D(2026, 5, 20))
    VisitQuestion.objects.create(diary=demo, text="Ask about “heat” — and ünïcode", order=1)
    owner = demo.memberships.get().user
    client = Client()
    client.force_login(owner)
    response = client.get(reverse("diary:export_json", args=[demo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert re.match(r'attachment; filename="diary-export-\d{4}-\d{2}-\d{2}\.json"', response["Content-Disposition"])
    document = json.loads(response.content)
    assert document["format"] == "lems-diary-export" and document["format_version"] == 2
    assert all(document["counts"][kind.key] > 0 for kind in KINDS)

    importer = people.client_for("stranger")
    upload = io.BytesIO(response.content)
    upload.name = "diary.json"
    result = importer.post(reverse("diary:import"), {"file": upload})
    assert result.status_code == 302
    imported = Diary.objects.exclude(pk__in=[demo.pk, people.diary.pk, people.stranger_diary.pk]).get()
    assert imported.memberships.get().user == people.stranger
    assert comparable(imported) == comparable(demo)
    # Who entered the records does not travel: the importing person did.
    assert set(imported.day_entries.values_list("created_by", flat=True)) == {people.stranger.pk}
    # The new diary exports to the same data again.
    again = export_data(diary=imported)["diary"]
    original = document["diary"]
    assert {k: v for k, v in again.items() if not isinstance(v, list)} == {
        k: v for k, v in original.items() if not isinstance(v, list)
    }
    assert [len(again[kind.key]) for kind in KINDS] == [len(original[kind.key]) for kind in KINDS]


def test_the_csv_zip_holds_one_file_per_kind(people: People) -> None:
    import zipfile

    build_known_diary(people)
    response = people.client_for("viewer").get(reverse("diary:export_csv", args=[people.diary.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert names == {"diary.csv", *(f"{kind.key}.csv" for kind in KINDS)}
    days = archive.read("day_entries.csv").decode("utf-8-sig").splitlines()
    assert len(days) == 1 + 28 and days[0].startswith("id,") and ",date,note," in days[0]
    assert ActivityEntry.objects.filter(action="exported", what="all the diary's data (CSV)").count() == 1


def test_a_formula_in_a_note_stays_text_in_the_csv(people: People) -> None:
    import zipfile

    DayEntry.objects.create(diary=people.diary, date=D(2025, 1, 1), note='=HYPERLINK("http://x")')
    response = people.client_for("owner").get(reverse("diary:export_csv", args=[people.diary.pk]))
    days = zipfile.ZipFile(io.BytesIO(response.content)).read("day_entries.csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in days


def exported(people: People) -> dict[str, Any]:
    build_known_diary(people)
    return export_data(diary=people.diary)


def test_a_format_1_file_still_imports_with_the_newer_fields_not_answered(people: People) -> None:
    from diary.export import ADDED_IN_2

    build_known_diary(people)
    document = json.loads(people.client_for("owner").get(reverse("diary:export_json", args=[people.diary.pk])).content)
    old = document["diary"]
    for key, names in ADDED_IN_2.items():
        for row in old[key]:
            for name in names:
                del row[name]
    del old["weekly_entries"], old["red_flag_prompts"]
    document["format_version"] = 1
    document["counts"] = {key: len(rows) for key, rows in old.items() if isinstance(rows, list)}
    document["checksum"] = checksum(old)
    response = post_import(people.client_for("stranger"), json.dumps(document).encode())
    assert response.status_code == 302, re.findall(r"not imported.</strong>([^<]*)", response.content.decode())
    imported = Diary.objects.exclude(pk=people.diary.pk).get(patient_name=people.diary.patient_name)
    assert imported.day_entries.count() == people.diary.day_entries.count()
    assert set(imported.day_entries.values_list("cough_too_weak", flat=True)) == {None}


def post_import(client: Client, content: bytes) -> Any:
    upload = io.BytesIO(content)
    upload.name = "diary.json"
    return client.post(reverse("diary:import"), {"file": upload})


def resealed(document: dict[str, Any]) -> bytes:
    """The document with its counts and checksum made to fit again (as a forger would)."""
    document["counts"] = {kind.key: len(document["diary"][kind.key]) for kind in KINDS}
    document["checksum"] = checksum(document["diary"])
    return json.dumps(document).encode()


def bad_files(document: dict[str, Any]) -> dict[str, tuple[bytes, str]]:
    good = json.dumps(document).encode()
    newer = {**document, "format_version": 3}
    changed = json.loads(good)
    changed["diary"]["day_entries"][0]["fatigue"] = 9 if changed["diary"]["day_entries"][0]["fatigue"] != 9 else 8
    short = json.loads(good)
    short["diary"]["events"].pop()
    off_scale = json.loads(good)
    off_scale["diary"]["events"][-1]["kind"] = "teleport"
    twice = json.loads(good)
    twice["diary"]["day_entries"].append(dict(twice["diary"]["day_entries"][0], id=10**9))
    dangling = json.loads(good)
    dangling["diary"]["dose_logs"][-1]["medication"] = 10**9
    return {
        "not json": (b"\x89PNG\r\n\x1a\n not a diary", "This file is not a diary export from this app."),
        "someone else's json": (b'{"hello": "world"}', "This file is not a diary export from this app."),
        "truncated": (good[: len(good) // 2], "The file is incomplete"),
        "newer": (json.dumps(newer).encode(), "made by a newer version of the diary"),
        "changed": (json.dumps(changed).encode(), "has been changed or damaged"),
        "records missing": (json.dumps(short).encode(), "The file is incomplete: some records are missing."),
        "a value off its scale": (resealed(off_scale), "values this diary cannot store"),
        "two entries for one day": (resealed(twice), "contradict each other"),
        "a link to nothing": (resealed(dangling), "points to one that is not in the file"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "not json",
        "someone else's json",
        "truncated",
        "newer",
        "changed",
        "records missing",
        "a value off its scale",
        "two entries for one day",
        "a link to nothing",
    ],
)
def test_bad_import_files_are_refused_with_a_reason_and_nothing_is_imported(people: People, case: str) -> None:
    content, message = bad_files(exported(people))[case]
    diaries = Diary.objects.count()
    rows = {kind.key: kind.model.objects.count() for kind in KINDS}  # type: ignore[attr-defined]
    response = post_import(people.client_for("stranger"), content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Diary.objects.count() == diaries
    assert {kind.key: kind.model.objects.count() for kind in KINDS} == rows  # type: ignore[attr-defined]
    assert not DataImport.objects.exists()


def test_an_import_that_would_duplicate_data_is_refused(people: People) -> None:
    content = json.dumps(exported(people)).encode()
    # The owner already has these records in their diary.
    refused = post_import(people.client_for("owner"), content)
    assert refused.status_code == 400 and "already in the diary of Pat Patient" in refused.content.decode()
    # Someone else may import them once, as a new diary of their own; a second time is refused.
    assert post_import(people.client_for("stranger"), content).status_code == 302
    again = post_import(people.client_for("stranger"), content)
    assert again.status_code == 400 and "already been imported" in again.content.decode()
    assert Diary.objects.filter(memberships__user=people.stranger).count() == 2


def test_import_needs_a_sign_in_and_a_file(people: People) -> None:
    assert Client().get(reverse("diary:import")).status_code == 302
    response = people.client_for("stranger").post(reverse("diary:import"), {})
    assert response.status_code == 400 and "Choose the file to import." in response.content.decode()


@pytest.mark.parametrize("keep", [0.1, 0.37, 0.5, 0.9, 0.999])
def test_a_file_cut_anywhere_is_called_incomplete(people: People, keep: float) -> None:
    from diary.export import ImportRefused, export_json, import_json

    build_known_diary(people)
    raw = export_json(diary=people.diary)
    with pytest.raises(ImportRefused, match="The file is incomplete"):
        import_json(raw=raw[: int(len(raw) * keep)], user=people.stranger)
    assert not Diary.objects.filter(memberships__user=people.stranger).exclude(pk=people.stranger_diary.pk).exists()


def test_the_export_format_is_pinned() -> None:
    """docs/export-format.md lists these fields; changing them is a new FORMAT_VERSION."""
    from diary.export import FORMAT_VERSION

    items = [
        "weakness_hips", "weakness_shoulders", "weakness_neck", "stairs", "chair_rise", "walking_distance",
        "lifting", "fatigue", "fatigue_worst_time", "facilitation_noticed", "long_effort_weaker", "speech",
        "chewing", "swallowing", "choking", "double_vision", "eyelid_droop", "breathlessness", "cough_too_weak", "dry_mouth",
        "dry_eyes", "dizziness_standing", "bowel_movement", "straining", "muscle_pain", "percent_normal",
        "sleep_quality", "hot_environment", "illness_fever", "ivig_headache",
    ]  # fmt: skip
    stamps = ["created_at", "updated_at"]
    expected = {
        "day_entries": [*stamps, "date", "note", "note_version", *items],
        "quick_checks": [*stamps, "taken_at", "strength", "fatigue", "note", "client_token"],
        "medications": [
            *stamps,
            "kind",
            "name",
            "strength",
            "unit",
            "dose_amount",
            "times",
            "start_date",
            "end_date",
            "prescriber",
            "previous",
        ],  # fmt: skip
        "dose_logs": [
            *stamps,
            "medication",
            "scheduled_for",
            "taken_at",
            "status",
            "amount",
            "with_food",
            "skip_reason",
            "client_token",
        ],  # fmt: skip
        "side_effects": [*stamps, "dose", "symptom", "severity", "onset_minutes", "note"],
        "rest_periods": [
            *stamps,
            "started_at",
            "ended_at",
            "planned",
            "trigger",
            "position",
            "energy_before",
            "energy_after",
            "client_token",
        ],  # fmt: skip
        "treatment_sessions": [
            *stamps,
            "kind",
            "other_name",
            "course",
            "cycle",
            "date",
            "product",
            "reactions",
            "benefit",
            "benefit_started",
            "benefit_faded",
        ],  # fmt: skip
        "events": [
            *stamps,
            "kind",
            "occurred_at",
            "ended_on",
            "activity",
            "location",
            "injury",
            "head_strike",
            "food_or_drink",
            "cleared_by_itself",
            "breathing_difficulty",
            "cough_too_weak",
            "temperature",
            "chest_symptoms",
            "coughing_blood",
            "antibiotic",
            "reason",
            "treatments_given",
            "medicine_name",
            "medicine_started",
            "prescriber",
            "weakness_change",
            "procedure_type",
            "description",
            "emergency_help_called",
            "face_throat_swelling",
            "bp_lying_systolic",
            "bp_lying_diastolic",
            "bp_standing_systolic",
            "bp_standing_diastolic",
            "scan_type",
            "result",
            "note",
            "client_token",
        ],  # fmt: skip
        "visit_questions": [*stamps, "text", "done", "suggestion_key", "suggested", "dismissed_at", "order"],
        "weekly_entries": [
            *stamps,
            "week_start",
            "weight_kg",
            "decreased_sweating",
            "erectile_dysfunction",
            "morning_headaches",
            "daytime_sleepiness",
        ],  # fmt: skip
        "red_flag_prompts": ["day", "level", "key", "reason", "answer", "shown_at"],
    }
    assert FORMAT_VERSION == 2
    assert {kind.key: [f.name for f in data_fields(kind.model)] for kind in KINDS} == expected
