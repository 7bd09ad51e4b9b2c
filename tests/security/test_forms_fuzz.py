"""Whatever a form is fed, the answer is a form error or a save, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from diary import scales
from diary.forms import DayChoiceForm, DayEntryForm, DiaryForm, NoteForm, QuickCheckForm
from diary.models import DayEntry
from tests.conftest import People

junk = st.one_of(
    st.text(max_size=30), st.integers(-(10**20), 10**20).map(str), st.sampled_from(["", " ", "1e3", "NaN"])
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(scales.ITEM_FIELDS), junk, max_size=8))
def test_the_day_form_never_accepts_a_value_off_its_scale(data: dict[str, str]) -> None:
    form = DayEntryForm(data)
    if form.is_valid():
        for field, value in form.scores().items():
            assert value is None or value in scales.ITEMS_BY_FIELD[field].scale.values


@settings(max_examples=40, deadline=None)
@given(from_form(DayEntryForm))
def test_every_valid_day_form_holds_only_scale_values(form: DayEntryForm) -> None:
    assert form.is_valid()
    for field, value in form.scores().items():
        assert value is None or value in scales.ITEMS_BY_FIELD[field].scale.values


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["token", "strength", "fatigue", "note"]), junk))
def test_the_quick_check_form_validates_any_input(data: dict[str, str]) -> None:
    form = QuickCheckForm(data)
    if form.is_valid():
        for key in ("strength", "fatigue"):
            assert form.cleaned_data[key] is None or 0 <= form.cleaned_data[key] <= 10


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["patient_name", "time_zone"]), junk), st.dictionaries(st.just("note"), junk))
def test_the_diary_and_note_forms_validate_any_input(diary_data: dict[str, str], note_data: dict[str, str]) -> None:
    DiaryForm(diary_data).is_valid()
    NoteForm({**note_data, "version": "0"}).is_valid()


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.just("date"), junk))
def test_the_day_picker_never_accepts_a_future_day(data: dict[str, str]) -> None:
    today = dt.date(2026, 1, 1)
    form = DayChoiceForm(data, today=today)
    if form.is_valid():
        assert form.cleaned_data["date"] <= today


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(scales.ITEM_FIELDS), value=junk)
def test_a_tap_with_any_value_is_saved_or_refused_never_an_error(people: People, field: str, value: str) -> None:
    client = people.client_for("owner")
    url = reverse("diary:day_field", args=[people.diary.pk, people.diary.today().isoformat(), field])
    response = client.post(url, {field: value}, HTTP_HX_REQUEST="true")
    assert response.status_code in (200, 400)
    entry = DayEntry.objects.filter(diary=people.diary).first()
    if response.status_code == 400:
        assert "Choose one of the buttons" in response.content.decode()
    else:
        stored = getattr(entry, field)
        assert stored is None or stored in scales.ITEMS_BY_FIELD[field].scale.values


LOGGING_FORMS = {
    "MedicationForm": [
        "kind",
        "name",
        "strength",
        "unit",
        "dose_amount",
        "times_text",
        "start_date",
        "end_date",
        "confirm_large",
    ],
    "DoseDetailForm": [
        "medication",
        "scheduled_for",
        "token",
        "status",
        "taken_time",
        "taken_date",
        "amount",
        "with_food",
        "skip_reason",
        "confirm_large",
        "side_effect",
        "side_effect_severity",
        "side_effect_onset",
    ],
    "DoseTakeForm": ["medication", "scheduled_for", "token"],
    "RestAddForm": ["token", "day", "start", "end", "energy_before", "energy_after", "planned", "trigger", "position"],
    "TreatmentForm": [
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
    ],
}
EVENT_KEYS = [
    "token",
    "when_0",
    "when_1",
    "injury",
    "head_strike",
    "temperature",
    "bp_lying_systolic",
    "bp_lying_diastolic",
    "bp_standing_systolic",
    "bp_standing_diastolic",
    "ended_on",
    "weakness_change",
    "medicine_started",
]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_logging_form_answers_any_input_with_errors_not_exceptions(people: People, data: st.DataObject) -> None:
    from diary import forms_logging

    for name, keys in LOGGING_FORMS.items():
        values = data.draw(st.dictionaries(st.sampled_from(keys), junk), label=name)
        form = getattr(forms_logging, name)(values, diary=people.diary)
        form.is_valid()
    for kind in forms_logging.EVENT_FIELDS:
        values = data.draw(st.dictionaries(st.sampled_from(EVENT_KEYS), junk), label=kind)
        forms_logging.EventForm(values, diary=people.diary, kind=kind).is_valid()
    for form_class in (forms_logging.RestStartForm, forms_logging.RestEndForm, forms_logging.MedicationStopForm):
        form_class(
            data.draw(
                st.dictionaries(st.sampled_from(["token", "energy_before", "energy_after", "planned", "stop_on"]), junk)
            )
        ).is_valid()
