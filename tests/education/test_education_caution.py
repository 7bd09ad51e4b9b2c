"""The section 2.4 prompt other code shows when a medicine is added."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from diary.models import Medication, MedicineKind
from education import content
from education.caution import medicine_caution, medicine_caution_text
from tests.conftest import People

PROMPT = (
    "Some medicines can make LEMS weakness worse. Check with your neurologist or pharmacist, "
    "and tell them you have LEMS."
)
NEVER = re.compile(r"\b(avoid|avoided|avoiding|stop|stops|stopped|stopping)\b", re.IGNORECASE)


def test_the_prompt_is_the_domain_wording_and_never_says_avoid_or_stop():
    assert medicine_caution_text() == PROMPT
    assert not NEVER.search(medicine_caution_text())


def test_the_prompt_links_its_learn_page_and_names_its_sources_by_title():
    caution = medicine_caution()
    assert caution.text == PROMPT
    assert caution.page_url == reverse("education:learn_page", args=["medicines-to-check"])
    assert caution.page_title == "Medicines that can worsen LEMS"
    assert [s.key for s in caution.sources] == ["R4", "R33"]
    assert all(s.url and s.title for s in caution.sources)


def test_the_medicines_page_names_the_domain_examples_and_never_says_avoid_or_stop():
    page = content.learn_page("medicines-to-check")
    assert page is not None
    assert PROMPT.replace("\n", " ") in page.body.replace("**", "")
    assert not NEVER.search(page.title + " " + page.summary + " " + page.body)
    for name in (
        "gentamicin",
        "tobramycin",
        "amikacin",
        "ciprofloxacin",
        "levofloxacin",
        "moxifloxacin",
        "erythromycin",
        "azithromycin",
        "clarithromycin",
        "magnesium sulfate",
        "quinine",
        "quinidine",
        "procainamide",
        "propranolol",
        "atenolol",
        "metoprolol",
        "verapamil",
        "diltiazem",
        "Contrast dye",
        "Botulinum toxin",
        "nivolumab",
        "pembrolizumab",
        "ipilimumab",
        "atezolizumab",
    ):
        assert name in page.body, name
    assert "operations-and-procedures" in page.body or "operations and procedures" in page.body


def test_the_alert_card_and_new_medicine_tips_never_say_avoid_or_stop():
    for tip_id in ("T25", "T29"):
        tip = content.tip(tip_id)
        assert tip is not None and not NEVER.search(tip.body), tip_id
    assert "neurologist or pharmacist" in content.tip("T25").body


@pytest.mark.django_db
def test_adding_a_medicine_shows_the_prompt_with_its_page(people: People) -> None:
    url = reverse("diary:medication_add", args=[people.diary.pk])
    html = people.client_for("owner").get(url).content.decode()
    assert PROMPT in html
    assert f'href="{reverse("education:learn_page", args=["medicines-to-check"])}"' in html
    assert "Cautionary drugs (Myasthenia Gravis Foundation of America)" in html


@pytest.mark.django_db
def test_changing_a_medicine_does_not_repeat_the_prompt(people: People) -> None:
    medication = Medication.objects.create(
        diary=people.diary,
        kind=MedicineKind.PYRIDOSTIGMINE,
        dose_amount=Decimal("1"),
        times=["08:00"],
        start_date=dt.date(2026, 1, 1),
    )
    url = reverse("diary:medication_change", args=[people.diary.pk, medication.pk])
    html = people.client_for("owner").get(url).content.decode()
    assert "Check with your neurologist or pharmacist" not in html
