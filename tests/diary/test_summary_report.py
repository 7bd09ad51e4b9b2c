"""The clinic report's figures in diary/summary.py, against the diary worked out by hand in report_data.py."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from diary import report_figures, scales, summary
from diary.models import DoseStatus, Medication, MedicineKind
from diary.services import day_entry_save_scores, dose_log_record, local_moment
from tests.conftest import People
from tests.diary.report_data import HARD_NOTE, build_known_diary

D = dt.date


@pytest.fixture
def figures(people: People) -> report_figures.ReportFigures:
    known = build_known_diary(people)
    result = summary.period_summary(diary=people.diary, start=known.start, end=known.end)
    return report_figures.report_figures(diary=people.diary, summary=result)


def test_first_and_last_fortnight_are_compared_by_median(figures: report_figures.ReportFigures) -> None:
    assert figures.edge_days == 14
    legs = figures.edges["weakness_hips"]
    assert (legs.first, legs.last, legs.change) == (2.0, 1.0, "better")
    fatigue = figures.edges["fatigue"]
    assert (fatigue.first, fatigue.last, fatigue.change) == (6.0, 4.0, "better")
    percent = figures.edges["percent_normal"]
    assert (percent.first, percent.last, percent.change) == (70.0, 80.0, "better")
    assert figures.edges["weakness_shoulders"].change == "same"
    assert figures.edges["speech"].change is None  # never rated


def test_a_short_period_compares_halves_that_never_overlap(people: People) -> None:
    build_known_diary(people)
    result = summary.period_summary(diary=people.diary, start=D(2025, 3, 4), end=D(2025, 3, 7))
    width, edges = summary.edge_comparisons(result)
    assert width == 2
    assert (edges["weakness_hips"].first, edges["weakness_hips"].last) == (2.5, 2.0)


def test_the_three_hardest_days_with_their_context(figures: report_figures.ReportFigures) -> None:
    worst = figures.worst_days
    assert [(w.day, w.burden) for w in worst] == [(D(2025, 3, 5), 92), (D(2025, 3, 12), 79), (D(2025, 3, 20), 66)]
    assert worst[0].heat and not worst[0].illness and worst[0].note == HARD_NOTE
    assert worst[1].illness and not worst[1].heat and worst[1].note == ""
    assert worst[0].scores["weakness_hips"] == 3 and worst[0].scores["percent_normal"] == 20


def test_a_day_needs_four_burden_items_rated(people: People) -> None:
    assert report_figures.day_burden({"fatigue": 10, "weakness_hips": 3, "percent_normal": 0}) is None
    assert (
        report_figures.day_burden({"fatigue": 10, "weakness_hips": 3, "percent_normal": 0, "walking_distance": 0})
        == 1.0
    )
    assert (
        report_figures.day_burden({"fatigue": 0, "weakness_hips": 0, "percent_normal": 100, "walking_distance": 4})
        == 0.0
    )


def test_a_missed_dose_marks_the_day(people: People) -> None:
    known = build_known_diary(people)
    result = summary.period_summary(diary=people.diary, start=known.start, end=known.end)
    assert D(2025, 3, 29) in result.dose_trouble_days  # nothing logged for 14:00
    assert D(2025, 3, 6) in result.dose_trouble_days  # skipped
    assert D(2025, 3, 8) not in result.dose_trouble_days  # late is taken


def test_red_flag_prompts_are_those_stored_when_shown(figures: report_figures.ReportFigures) -> None:
    prompts = [(p.level, p.reason, p.days) for p in figures.entry_prompts]
    assert prompts == [
        (
            "emergency",
            "Short of breath at rest or lying flat, or cannot finish a sentence without a breath",
            (D(2025, 3, 25),),
        ),
        (
            "urgent",
            "Could not use your hips, shoulders or neck without help",
            (D(2025, 3, 5), D(2025, 3, 12), D(2025, 3, 20)),
        ),
        ("urgent", "A fall where you were hurt or hit your head", (D(2025, 3, 15),)),
        ("discuss", "Possible side effects of a medicine", (D(2025, 3, 4), D(2025, 3, 8))),
        ("discuss", "A near-fall", (D(2025, 3, 22),)),
    ]
    events = [(e.event.kind, e.alert.level if e.alert else None) for e in figures.events]
    assert events == [("fall", "urgent"), ("near_fall", "discuss")]
    assert figures.events_total == 2 and figures.events_not_listed == 0
    assert [(c.label, c.count) for c in figures.event_counts] == [("Fall", 1), ("Near-fall", 1)]


def test_adherence_shares_and_skip_reasons(figures: report_figures.ReportFigures) -> None:
    a = figures.adherence
    assert (a.scheduled, a.taken, a.on_time, a.late, a.skipped, a.missed, a.extra) == (56, 93, 89, 4, 5, 2, 0)
    assert [(r.label, r.count) for r in figures.skip_reasons] == [("Nausea", 2), ("No reason given", 1)]


def test_side_effects_by_medicine(figures: report_figures.ReportFigures) -> None:
    [row] = figures.side_effects
    assert row.medicine == "Amifampridine (3,4-DAP)"
    assert (row.count, row.mean_severity, row.worst_severity) == (2, 4.0, 5)


def test_a_treatment_course_with_the_leg_score_before_and_after(figures: report_figures.ReportFigures) -> None:
    [course] = figures.courses
    assert (course.first, course.last, course.sessions, course.course) == (
        D(2025, 3, 10),
        D(2025, 3, 11),
        2,
        "Course 1",
    )
    assert course.before_days == 7 and course.before_mean == pytest.approx(15 / 7)
    assert course.after_days == 13 and course.after_mean == pytest.approx(15 / 13)
    assert course.benefit == "Better" and course.benefit_started == D(2025, 3, 17)
    assert course.reactions == ("Headache",)


def test_rests_per_day(figures: report_figures.ReportFigures) -> None:
    assert (figures.rest.planned, figures.rest.unplanned) == (1, 1)
    assert figures.rest.planned_per_day == pytest.approx(1 / 28)
    assert figures.rest.unplanned_per_day == pytest.approx(1 / 28)
    assert figures.rest.minutes_per_day == pytest.approx(50 / 28)


def test_current_medicines_are_those_of_the_last_day(figures: report_figures.ReportFigures) -> None:
    assert [m.kind for m in figures.current_medications] == ["amifampridine"]


def test_an_empty_period_has_no_figures_but_no_errors(people: People) -> None:
    result = summary.period_summary(diary=people.diary, start=D(2024, 1, 1), end=D(2024, 1, 1))
    figures = report_figures.report_figures(diary=people.diary, summary=result)
    assert figures.worst_days == () and figures.courses == () and figures.events == ()
    assert figures.adherence.taken is None and figures.edge_days == 0


@pytest.mark.parametrize(
    ("field", "first", "last", "expected"),
    [
        ("dry_mouth", 1.5, 2.0, "same"),  # F3: half a level is not a change
        ("dry_mouth", 1.0, 2.0, "worse"),
        ("weakness_hips", 2.0, 1.5, "same"),  # S3
        ("weakness_hips", 2.5, 1.5, "better"),
        ("breathlessness", 0.0, 0.5, "same"),
        ("fatigue", 5.0, 6.5, "same"),  # N10: two points
        ("fatigue", 4.0, 6.0, "worse"),
        ("muscle_pain", 6.0, 4.0, "better"),
        ("percent_normal", 70.0, 75.0, "same"),  # %normal: ten points, and higher is better
        ("percent_normal", 70.0, 80.0, "better"),
        ("percent_normal", 80.0, 70.0, "worse"),
        ("sleep_quality", 4.0, 6.0, "better"),  # higher is better
        ("sleep_quality", 6.0, 5.0, "same"),
        ("walking_distance", 2.0, 3.0, "better"),  # a level further
        ("dry_mouth", None, 2.0, None),
    ],
)
def test_a_change_is_better_or_worse_only_past_its_scales_threshold(
    field: str, first: float | None, last: float | None, expected: str | None
) -> None:
    item = scales.ITEMS_BY_FIELD[field]
    assert summary.change_between(item, first, last) == expected
    edge = summary.EdgeComparison(item, first, last, first_days=14, last_days=14)
    assert edge.change == expected


def test_each_scale_keeps_its_threshold() -> None:
    thresholds = {s.key: s.meaningful_change for s in (scales.S3, scales.F3, scales.BREATHING, scales.N10)}
    assert thresholds == {"S3": 1, "F3": 1, "BREATHING": 1, "N10": 2}
    assert (scales.N10_GOOD.meaningful_change, scales.PERCENT.meaningful_change) == (2, 10)


def test_a_comparison_needs_ten_days_rated_on_each_side(people: People) -> None:
    for n in range(28):
        day = D(2025, 3, 3) + dt.timedelta(days=n)
        first_half = n < 14
        scores = {"weakness_hips": 2 if first_half else 0}
        if first_half or n >= 19:  # the last fortnight has dry mouth on 9 days only
            scores["dry_mouth"] = 0 if first_half else 3
        day_entry_save_scores(diary=people.diary, date=day, scores=scores, by=people.owner)
    result = summary.period_summary(diary=people.diary, start=D(2025, 3, 3), end=D(2025, 3, 30))
    _width, edges = result.edges
    legs, dry = edges["weakness_hips"], edges["dry_mouth"]
    assert (legs.first_days, legs.last_days, legs.change, legs.change_text) == (14, 14, "better", "better")
    assert (dry.first, dry.last, dry.first_days, dry.last_days) == (0.0, 3.0, 14, 9)
    assert (dry.change, dry.change_text) == ("few", "not enough data")


def test_skip_reasons_are_kept_per_medicine(people: People) -> None:
    known = build_known_diary(people)
    other = Medication.objects.create(
        diary=people.diary,
        kind=MedicineKind.PYRIDOSTIGMINE,
        dose_amount=Decimal(60),
        times=["12:00"],
        start_date=D(2025, 3, 1),
        created_by=people.owner,
        updated_by=people.owner,
    )
    for n in range(28):
        day = known.start + dt.timedelta(days=n)
        scheduled = local_moment(people.diary, day, dt.time(12, 0))
        skipped = n < 3
        dose_log_record(
            medication=other,
            token=uuid.uuid4(),
            status=DoseStatus.SKIPPED if skipped else DoseStatus.TAKEN,
            by=people.owner,
            scheduled_for=scheduled,
            taken_at=None if skipped else scheduled,
            skip_reason="Diarrhoea" if skipped else "",
        )
    result = summary.period_summary(diary=people.diary, start=known.start, end=known.end)
    figures = report_figures.report_figures(diary=people.diary, summary=result)
    rows = {
        row.adherence.medicine.label: (row.adherence.taken_percent, [(r.label, r.count) for r in row.skip_reasons])
        for row in figures.medicine_adherence
    }
    assert rows == {
        "Amifampridine (3,4-DAP)": (93, [("Nausea", 2), ("No reason given", 1)]),
        "Pyridostigmine": (89, [("Diarrhoea", 3)]),
    }
