"""diary/numbers.py: one way to write a figure, so the Trends page and the clinic PDF read the same."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from diary import scales
from diary.models import DoseStatus, Medication, MedicineKind
from diary.numbers import figure_text, figure_value, rating_text
from diary.services import (
    day_entry_save_scores,
    dose_log_record,
    local_moment,
    medication_replace,
    quick_check_save,
)
from tests.conftest import People
from tests.diary.test_report import pdf_text

START, END = dt.date(2025, 1, 6), dt.date(2025, 3, 22)  # 76 days
DAYS = 76


@pytest.mark.parametrize(
    ("value", "expected"),
    [(6.397, "6.4"), (6.35, "6.4"), (2.25, "2.3"), (1.5, "1.5"), (2.0, "2"), (6.97, "7"), (0.04, "0"), (None, "–")],
)
def test_a_figure_is_rounded_half_up_never_cut(value: float | None, expected: str) -> None:
    assert figure_text(value) == expected
    if value is not None:  # a chart draws the number the text says
        assert figure_value(value) == float(expected)


def test_a_rating_reads_in_its_scales_own_words() -> None:
    items = scales.ITEMS_BY_FIELD
    assert rating_text(70.0, items["percent_normal"]) == "70%"
    assert rating_text(2.5, items["walking_distance"]) == "50–200 m / 200 m–1 km"
    assert rating_text(1.5, items["dry_mouth"]) == "1.5"


def build_diary(people: People) -> None:
    """76 days, each rated; a medicine twice a day with checks 1.5 h and 4.5 h after its morning dose."""
    diary, owner = people.diary, people.owner
    amifampridine, prednisone = (
        Medication.objects.create(
            diary=diary,
            kind=kind,
            dose_amount=Decimal(10),
            times=times,
            start_date=dt.date(2025, 1, 1),
            created_by=owner,
            updated_by=owner,
        )
        for kind, times in ((MedicineKind.AMIFAMPRIDINE, ["08:00", "14:00"]), (MedicineKind.PREDNISONE, ["08:00"]))
    )
    for n in range(DAYS):
        day = START + dt.timedelta(days=n)
        first, last = n < 14, n >= DAYS - 14
        scores = {
            "weakness_hips": 2 if n < DAYS // 2 else 1,
            # Medians 1.5 in the first fortnight and 2 in the last: half a level, about the same.
            "dry_mouth": (1 + n % 2) if first else 2 if last else 1,
            # Medians 6.5 and 5: less than two points.
            "fatigue": (6 + n % 2) if first else 5,
            # Short of breath on 27 of the 76 days, never on most days of a fortnight: medians 0 and 0.
            "breathlessness": 1 if n % 3 == 0 or n == 1 else 0,
            "percent_normal": 60 if n < DAYS // 2 else 70,
        }
        day_entry_save_scores(diary=diary, date=day, scores=scores, by=owner)
        for medication, at in ((amifampridine, "08:00"), (amifampridine, "14:00"), (prednisone, "08:00")):
            moment = local_moment(diary, day, dt.time.fromisoformat(at))
            dose_log_record(
                medication=medication,
                token=uuid.uuid4(),
                status=DoseStatus.TAKEN,
                by=owner,
                scheduled_for=moment,
                taken_at=moment,
            )
        # 30 checks at 7 and 46 at 6 an hour and a half after the dose: 486 / 76 = 6.39...
        for at, strength in (("09:30", 7 if n < 30 else 6), ("12:30", 4)):
            quick_check_save(
                diary=diary,
                token=uuid.uuid4(),
                by=owner,
                strength=strength,
                taken_at=local_moment(diary, day, dt.time.fromisoformat(at)),
            )


def trends_text(people: People) -> str:
    url = reverse("diary:trends", args=[people.diary.pk])
    response = people.client_for("owner").get(url, {"period": "custom", "start": str(START), "end": str(END)})
    assert response.status_code == 200
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return " ".join(text.split())


def report_text(people: People) -> str:
    response = people.client_for("owner").post(
        reverse("diary:report_make", args=[people.diary.pk]),
        {"format": "pdf", "paper": "a4", "start": str(START), "end": str(END)},
    )
    assert response.status_code == 200
    return " ".join(pdf_text(response.content)[1])


CHANGE = r"(better|worse|about the same|not enough data)"


def test_trends_and_the_pdf_state_the_same_figures_for_the_same_period(people: People) -> None:
    build_diary(people)
    trends, report = trends_text(people), report_text(people)
    assert "76 of 76 days" in trends and "76 days logged (100%)" in report
    expected = {
        "weakness_hips": ("2", "1", "better"),
        "dry_mouth": ("1.5", "2", "about the same"),
        "fatigue": ("6.5", "5", "about the same"),
        "breathlessness": ("0", "0", "about the same"),
        "percent_normal": ("60%", "70%", "better"),
    }
    for field, figures in expected.items():
        label = re.escape(str(scales.ITEMS_BY_FIELD[field].short_label))
        on_trends = re.search(
            label + r": rated on 76 of 76 days, average .*? Median of the first 14 days (\S+) \(based on 14 days\), "
            r"of the last 14 days (\S+) \(based on 14 days\): " + CHANGE + r"\.",
            trends,
        )
        in_report = re.search(label + r" \S+ (\S+) (\S+) " + CHANGE + r" 76 ", report)
        assert on_trends is not None and in_report is not None, field
        assert on_trends.groups() == in_report.groups() == figures, field
    # An episodic symptom: how many days it came, beside its median, in both.
    assert "Breath: rated on 76 of 76 days, average 0.4. Any symptom on 27 of 76 days logged." in trends
    assert "Breath 0–3 0 0 about the same 76 27 / 76" in report
    assert "Legs 0–3 2 1 better 76 –" in report  # not an episodic symptom
    # The hourly averages after a dose, rounded the same way (486 / 76 = 6.39...), with their counts.
    dose = (
        "Average strength was highest 1–2 h after a dose (6.4 of 10, based on 76 checks) "
        "and lowest 4–5 h after (4, based on 76 checks)."
    )
    assert dose in trends and dose in report
    # Adherence per medicine, not pooled.
    assert (
        "Amifampridine (3,4-DAP): 100% of 152 scheduled doses taken (0% late), 0% skipped, 0% with nothing logged."
        in trends
    )
    assert "Amifampridine (3,4-DAP) 152 100% 0% 0% 0% 0 –" in report
    assert "Prednisone or prednisolone 76 100% 0% 0% 0% 0 –" in report
    # A medicine taken once a day has no dose-timing chart on either.
    assert "since the last dose of Prednisone" not in trends and "since the last dose of Prednisone" not in report


def test_a_dose_change_reads_old_to_new_on_its_date_in_both(people: People) -> None:
    diary, owner = people.diary, people.owner
    first = Medication.objects.create(
        diary=diary,
        kind=MedicineKind.AMIFAMPRIDINE,
        dose_amount=Decimal(10),
        times=["07:00", "11:00", "15:00", "19:00"],
        start_date=dt.date(2025, 1, 1),
        created_by=owner,
        updated_by=owner,
    )
    medication_replace(current=first, changes={"dose_amount": Decimal(15)}, from_day=dt.date(2025, 2, 1), by=owner)
    day_entry_save_scores(diary=diary, date=START, scores={"fatigue": 4}, by=owner)
    change = "Amifampridine (3,4-DAP): 10 mg × 4 a day → 15 mg × 4 a day"
    url = reverse("diary:trends", args=[diary.pk])
    page = people.client_for("owner").get(url, {"period": "custom", "start": str(START), "end": str(END)})
    shared = re.search(r'<script id="markers-symptoms" type="application/json">(.*?)</script>', page.content.decode())
    assert shared is not None
    [marks] = [trace for trace in json.loads(shared.group(1))["data"] if trace["name"] == "Medicine change"]
    assert (marks["x"], marks["text"]) == (["2025-02-01"], [change])
    assert f"1 Feb: {change}" in report_text(people)


def test_the_demo_diarys_trends_and_90_day_summary_state_no_figure_on_fewer_than_ten_points(db: None) -> None:
    from django.test import Client

    from diary.demo import build_demo

    today = dt.date(2026, 5, 20)
    diary = build_demo(days=182, today=today)
    client = Client()
    client.force_login(diary.memberships.get().user)
    start = today - dt.timedelta(days=89)
    period = {"start": str(start), "end": str(today)}
    page = client.get(reverse("diary:trends", args=[diary.pk]), {"period": "custom", **period}).content.decode()
    trends = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    pdf = client.post(reverse("diary:report_make", args=[diary.pk]), {"format": "pdf", "paper": "a4", **period})
    summary = " ".join(pdf_text(pdf.content)[1])
    for text in (trends, summary):
        counts = [int(n) for n in re.findall(r"based on (\d+) (?:checks|days)", text)]
        assert counts, "the figures say what they rest on"
        assert min(counts) >= 10, counts
