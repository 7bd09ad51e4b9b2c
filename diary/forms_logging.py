"""Forms for medications, doses, rests, treatment sessions and events."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from diary import scales
from diary.models import (
    Benefit,
    Diary,
    DoseStatus,
    Event,
    EventKind,
    Injury,
    Medication,
    MedicineKind,
    RestPosition,
    RestTrigger,
    SideEffectSymptom,
    TreatmentSession,
    WeeklyEntry,
)

#: A dose this many times the usual one is probably a typing error (100 instead of 10): ask first.
SUSPICIOUS_FACTOR = 5
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
YES_NO_BLANK = [("", _("Not answered")), ("true", _("Yes")), ("false", _("No"))]


def yes_no_field(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_BLANK,
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def zero_to_ten_optional(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", _("Not rated")), *((n, str(n)) for n in range(11))],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class LocalDateTimeField(forms.SplitDateTimeField):
    """A date and a time typed in the diary's zone; cleaned to an aware datetime."""

    widget = forms.SplitDateTimeWidget(date_attrs={"type": "date"}, time_attrs={"type": "time"})


def not_in_future(moment: dt.datetime | None) -> None:
    # One minute of slack for phones whose clocks run a little fast.
    if moment is not None and moment > timezone.now() + dt.timedelta(minutes=1):
        raise forms.ValidationError(_("That time is in the future. Log things after they happen."))


class DiaryBoundForm(forms.Form):
    def __init__(self, *args: Any, diary: Diary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.diary = diary

    def local(self, moment: dt.datetime | None) -> dt.datetime | None:
        if moment is None:
            return None
        return (
            moment.replace(tzinfo=self.diary.zone) if timezone.is_naive(moment) else moment.astimezone(self.diary.zone)
        )


class DiaryBoundModelForm(forms.ModelForm):
    def __init__(self, *args: Any, diary: Diary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.diary = diary


# --- Medications -------------------------------------------------------------------


class MedicationForm(DiaryBoundModelForm):
    times_text = forms.CharField(
        label=_("Times of day"),
        help_text=_("As prescribed, separated by commas, e.g. 07:00, 11:00, 15:00, 19:00."),
        max_length=200,
    )
    confirm_large = forms.BooleanField(label=_("Yes, this amount is right"), required=False, widget=forms.CheckboxInput)

    class Meta:
        model = Medication
        fields = ["kind", "name", "strength", "unit", "dose_amount", "start_date", "end_date", "prescriber"]
        widgets = {
            "kind": forms.RadioSelect,
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "dose_amount": forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
            "strength": forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}),
        }
        help_texts = {
            "name": _("For “Another medicine”, its name; otherwise optional (e.g. the brand)."),
            "dose_amount": _("How much you take each time, as your prescriber wrote it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["times_text"].initial = ", ".join(self.instance.times)
        self.needs_confirmation = False

    def clean_times_text(self) -> list[str]:
        parts = [part.strip() for part in re.split(r"[,\s;]+", self.cleaned_data["times_text"]) if part.strip()]
        normalised = []
        for part in parts:
            if re.fullmatch(r"\d:\d\d", part):
                part = "0" + part
            if not TIME_RE.match(part):
                raise forms.ValidationError(
                    _("“%(value)s” is not a time. Use 24-hour times such as 07:00.") % {"value": part}
                )
            normalised.append(part)
        if not normalised:
            raise forms.ValidationError(_("Enter at least one time of day."))
        if len(normalised) > 12:
            raise forms.ValidationError(_("At most 12 times a day."))
        if len(set(normalised)) != len(normalised):
            raise forms.ValidationError(_("Each time may appear only once."))
        return sorted(normalised)

    def clean_dose_amount(self) -> Decimal:
        amount = self.cleaned_data["dose_amount"]
        if amount is None or amount <= 0:
            raise forms.ValidationError(_("Enter an amount above zero."))
        return amount

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == MedicineKind.OTHER and not cleaned.get("name"):
            self.add_error("name", _("Enter the medicine's name."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The stop date is before the start date."))
        if start and start > self.diary.today() + dt.timedelta(days=366):
            self.add_error("start_date", _("The start date is more than a year away."))
        strength, amount = cleaned.get("strength"), cleaned.get("dose_amount")
        previous = self.instance.dose_amount if self.instance.pk else None
        reference = previous or strength
        if reference and amount and amount >= reference * SUSPICIOUS_FACTOR and not cleaned.get("confirm_large"):
            self.needs_confirmation = True
            self.add_error(
                "dose_amount",
                _(
                    "%(amount)s is %(factor)s times %(reference)s. Is that right? If so, tick the box below and save again."
                )
                % {"amount": _number(amount), "factor": _number(amount / reference), "reference": _number(reference)},
            )
        cleaned["times"] = cleaned.get("times_text")
        return cleaned


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


class MedicationChangeForm(MedicationForm):
    change_from = forms.DateField(label=_("The change starts on"), widget=forms.DateInput(attrs={"type": "date"}))

    class Meta(MedicationForm.Meta):
        fields = ["kind", "name", "strength", "unit", "dose_amount", "prescriber"]

    def clean_change_from(self) -> dt.date:
        day = self.cleaned_data["change_from"]
        if day < self.instance.start_date:
            raise forms.ValidationError(_("A change cannot start before the prescription itself started."))
        return day


class MedicationStopForm(forms.Form):
    stop_on = forms.DateField(label=_("Last day taken"), widget=forms.DateInput(attrs={"type": "date"}))


# --- Doses ---------------------------------------------------------------------------


def check_slot(diary: Diary, medication: Medication, slot: dt.datetime) -> None:
    """A scheduled time must be one of the prescription's times, on a day it was taken, and not later than today."""
    local = slot.astimezone(diary.zone)
    day = local.date()
    if (
        local.strftime("%H:%M") not in medication.times
        or day < medication.start_date
        or (medication.end_date is not None and day > medication.end_date)
        or day > diary.today()
    ):
        raise forms.ValidationError(_("That is not a scheduled time of this medicine. Reload the page and try again."))


class DoseTakeForm(DiaryBoundForm):
    """One tap: "taken now" for a scheduled slot (the slot and a token come hidden)."""

    medication = forms.IntegerField(widget=forms.HiddenInput)
    scheduled_for = forms.DateTimeField(widget=forms.HiddenInput)
    token = forms.UUIDField(widget=forms.HiddenInput)

    def clean_medication(self) -> Medication:
        medication = Medication.objects.filter(diary=self.diary, pk=self.cleaned_data["medication"]).first()
        if medication is None:
            raise forms.ValidationError(_("That medicine is not in this diary."))
        return medication

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("medication") and cleaned.get("scheduled_for"):
            try:
                check_slot(self.diary, cleaned["medication"], cleaned["scheduled_for"])
            except forms.ValidationError as error:
                self.add_error("scheduled_for", error)
        return cleaned


class DoseDetailForm(DiaryBoundForm):
    """The second control: taken at another time, late, skipped (with a reason) or extra."""

    medication = forms.IntegerField(widget=forms.HiddenInput)
    scheduled_for = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("What happened"), choices=DoseStatus.choices, widget=forms.RadioSelect)
    taken_time = forms.TimeField(
        label=_("Time taken"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    taken_date = forms.DateField(label=_("Date taken"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        max_digits=8,
        decimal_places=3,
        min_value=Decimal("0.001"),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    with_food = yes_no_field(_("With food"))
    skip_reason = forms.CharField(label=_("Why was it skipped?"), required=False, max_length=200)
    confirm_large = forms.BooleanField(label=_("Yes, this amount is right"), required=False)
    side_effect = forms.ChoiceField(
        label=_("Side effect (optional)"), required=False, choices=[("", _("None")), *SideEffectSymptom.choices]
    )
    side_effect_severity = zero_to_ten_optional(_("How bad was it? (0 = barely, 10 = worst)"))
    side_effect_onset = forms.IntegerField(
        label=_("Minutes after the dose it started"), required=False, min_value=0, max_value=24 * 60
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_confirmation = False

    def clean_medication(self) -> Medication:
        medication = Medication.objects.filter(diary=self.diary, pk=self.cleaned_data["medication"]).first()
        if medication is None:
            raise forms.ValidationError(_("That medicine is not in this diary."))
        return medication

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        medication = cleaned.get("medication")
        if status == DoseStatus.SKIPPED:
            if not cleaned.get("skip_reason"):
                self.add_error("skip_reason", _("Say briefly why it was skipped."))
            cleaned["taken_at"] = None
        elif status:
            when = cleaned.get("taken_time")
            if when is None:
                cleaned["taken_at"] = timezone.now()
            else:
                day = cleaned.get("taken_date") or self._slot_day() or self.diary.today()
                cleaned["taken_at"] = dt.datetime.combine(day, when, tzinfo=self.diary.zone)
                try:
                    not_in_future(cleaned["taken_at"])
                except forms.ValidationError as error:
                    self.add_error("taken_time", error)
        if medication and cleaned.get("scheduled_for") and status != DoseStatus.EXTRA:
            try:
                check_slot(self.diary, medication, cleaned["scheduled_for"])
            except forms.ValidationError as error:
                self.add_error("status", error)
        if status == DoseStatus.EXTRA:
            cleaned["scheduled_for"] = None
        elif status and not cleaned.get("scheduled_for"):
            self.add_error("status", _("Only an extra dose can be logged without a scheduled time."))
        amount = cleaned.get("amount")
        if (
            medication
            and amount
            and amount >= medication.dose_amount * SUSPICIOUS_FACTOR
            and not cleaned.get("confirm_large")
        ):
            self.needs_confirmation = True
            self.add_error(
                "amount",
                _(
                    "%(amount)s is much more than your usual %(usual)s. Is that right? If so, tick the box and save again."
                )
                % {"amount": _number(amount), "usual": _number(medication.dose_amount)},
            )
        if cleaned.get("side_effect") and cleaned.get("side_effect_severity") is None:
            self.add_error("side_effect_severity", _("Tap how bad the side effect was."))
        return cleaned

    def _slot_day(self) -> dt.date | None:
        slot = self.cleaned_data.get("scheduled_for")
        return slot.astimezone(self.diary.zone).date() if slot else None


# --- Rest ------------------------------------------------------------------------------


class RestStartForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    energy_before = zero_to_ten_optional(_("Energy now (0 = none, 10 = full)"))


class RestEndForm(forms.Form):
    energy_after = zero_to_ten_optional(_("Energy after the rest (0 = none, 10 = full)"))
    planned = yes_no_field(_("Was this rest planned?"))
    trigger = forms.ChoiceField(
        label=_("Why did you rest?"),
        required=False,
        choices=[("", _("Not answered")), *RestTrigger.choices],
        widget=forms.RadioSelect,
    )
    position = forms.ChoiceField(
        label=_("Position"),
        required=False,
        choices=[("", _("Not answered")), *RestPosition.choices],
        widget=forms.RadioSelect,
    )


class RestAddForm(RestEndForm, DiaryBoundForm):
    """A rest added afterwards, with its start and end (and the questions "End rest" asks)."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Started"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Ended"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    energy_before = zero_to_ten_optional(_("Energy before (0 = none, 10 = full)"))
    energy_after = zero_to_ten_optional(_("Energy after (0 = none, 10 = full)"))

    field_order = ["token", "day", "start", "end", "energy_before", "energy_after", "planned", "trigger", "position"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, start, end = cleaned.get("day"), cleaned.get("start"), cleaned.get("end")
        if day and start and end:
            started = dt.datetime.combine(day, start, tzinfo=self.diary.zone)
            ended = dt.datetime.combine(day, end, tzinfo=self.diary.zone)
            if ended <= started:
                self.add_error("end", _("The end is before the start. For a rest past midnight, log two rests."))
            try:
                not_in_future(ended)
            except forms.ValidationError as error:
                self.add_error("end", error)
            cleaned["started_at"], cleaned["ended_at"] = started, ended
        return cleaned


# --- Treatment sessions ---------------------------------------------------------------


class TreatmentForm(DiaryBoundModelForm):
    class Meta:
        model = TreatmentSession
        fields = [
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
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "benefit": forms.RadioSelect,
            "date": forms.DateInput(attrs={"type": "date"}),
            "benefit_started": forms.DateInput(attrs={"type": "date"}),
            "benefit_faded": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        today = self.diary.today()
        if cleaned.get("kind") == "other" and not cleaned.get("other_name"):
            self.add_error("other_name", _("Enter the treatment's name."))
        for field in ("benefit_started", "benefit_faded"):
            if cleaned.get(field) and cleaned[field] > today:
                self.add_error(field, _("That date has not happened yet."))
        started, faded = cleaned.get("benefit_started"), cleaned.get("benefit_faded")
        if started and faded and faded < started:
            self.add_error("benefit_faded", _("The benefit cannot fade before it started."))
        if started and cleaned.get("date") and started < cleaned["date"]:
            self.add_error("benefit_started", _("The benefit cannot start before the treatment."))
        return cleaned


# --- Events ------------------------------------------------------------------------------

#: Which fields each kind of event asks for: only what that kind needs, so the form stays short.
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    EventKind.FALL: ("activity", "location", "injury", "head_strike"),
    EventKind.NEAR_FALL: ("activity", "location"),
    EventKind.CHOKING: ("food_or_drink", "cleared_by_itself", "breathing_difficulty", "cough_too_weak"),
    EventKind.INFECTION: ("ended_on", "temperature", "chest_symptoms", "coughing_blood", "antibiotic"),
    EventKind.EMERGENCY_VISIT: ("ended_on", "reason", "treatments_given"),
    EventKind.MEDICINE_CHANGE: ("medicine_name", "medicine_started", "prescriber", "weakness_change"),
    EventKind.PROCEDURE: ("procedure_type",),
    EventKind.SEIZURE: ("description", "emergency_help_called"),
    EventKind.ALLERGIC_REACTION: (
        "description",
        "face_throat_swelling",
        "breathing_difficulty",
        "emergency_help_called",
    ),
    EventKind.BLOOD_PRESSURE: (
        "bp_lying_systolic",
        "bp_lying_diastolic",
        "bp_standing_systolic",
        "bp_standing_diastolic",
    ),
    EventKind.TEST_OR_SCAN: ("scan_type", "result"),
}
BOOLEAN_EVENT_FIELDS = (
    "head_strike",
    "cleared_by_itself",
    "breathing_difficulty",
    "cough_too_weak",
    "coughing_blood",
    "chest_symptoms",
    "medicine_started",
    "emergency_help_called",
    "face_throat_swelling",
)


class EventForm(DiaryBoundModelForm):
    token = forms.UUIDField(widget=forms.HiddenInput)
    when = LocalDateTimeField(label=_("When"), require_all_fields=True)

    class Meta:
        model = Event
        # Every field some kind of event asks for (EVENT_FIELDS), each kind keeping its own order.
        fields = [*dict.fromkeys(name for names in EVENT_FIELDS.values() for name in names), "note"]
        widgets = {
            "injury": forms.RadioSelect,
            "weakness_change": forms.RadioSelect,
            "scan_type": forms.RadioSelect,
            "ended_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = set(EVENT_FIELDS[kind]) | {"note", "token", "when"}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for name in BOOLEAN_EVENT_FIELDS:
            if name in self.fields:
                self.fields[name] = yes_no_field(capfirst(Event._meta.get_field(name).verbose_name))
        if kind == EventKind.ALLERGIC_REACTION:
            self.fields["breathing_difficulty"].label = _("Trouble breathing")
        if kind == EventKind.INFECTION:
            self.fields["ended_on"].label = _("Over on (leave empty while it lasts)")
        if "injury" in self.fields:
            self.fields["injury"].choices = [("", _("Not answered")), *Injury.choices]
        if "weakness_change" in self.fields:
            self.fields["weakness_change"].choices = [("", _("Not answered")), *Benefit.choices]
        for name in ("bp_lying_systolic", "bp_standing_systolic"):
            if name in self.fields:
                self.fields[name].validators.append(_range_validator(50, 260))
        for name in ("bp_lying_diastolic", "bp_standing_diastolic"):
            if name in self.fields:
                self.fields[name].validators.append(_range_validator(30, 160))
        if "temperature" in self.fields:
            self.fields["temperature"].validators.append(_range_validator(34, 43))

    def clean_when(self) -> dt.datetime:
        moment = self.cleaned_data["when"]
        moment = moment.replace(tzinfo=self.diary.zone) if timezone.is_naive(moment) else moment
        not_in_future(moment)
        return moment

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.kind == EventKind.BLOOD_PRESSURE:
            values = [cleaned.get(name) for name in EVENT_FIELDS[EventKind.BLOOD_PRESSURE]]
            if any(value is None for value in values):
                raise forms.ValidationError(_("Enter all four numbers: lying or sitting, then standing."))
            if (
                cleaned["bp_lying_diastolic"] >= cleaned["bp_lying_systolic"]
                or cleaned["bp_standing_diastolic"] >= cleaned["bp_standing_systolic"]
            ):
                raise forms.ValidationError(_("The upper number must be bigger than the lower one."))
        ended = cleaned.get("ended_on")
        if ended and cleaned.get("when") and ended < cleaned["when"].astimezone(self.diary.zone).date():
            self.add_error("ended_on", _("The end date is before the start."))
        return cleaned


def _range_validator(low: float, high: float) -> Any:
    def check(value: Any) -> None:
        if value is not None and not (low <= float(value) <= high):
            raise forms.ValidationError(
                _("%(value)s looks like a typing error: expected between %(low)s and %(high)s.")
                % {"value": value, "low": low, "high": high}
            )

    return check


class WeeklyEntryForm(forms.ModelForm):
    """The weekly questions: every one optional, each a row of large buttons, weight typed."""

    class Meta:
        model = WeeklyEntry
        fields = ["weight_kg", "decreased_sweating", "erectile_dysfunction", "morning_headaches", "daytime_sleepiness"]
        widgets = {"weight_kg": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("decreased_sweating", "erectile_dysfunction", "morning_headaches", "daytime_sleepiness"):
            field = self.fields[name]
            scale = scales.S3 if name == "erectile_dysfunction" else scales.F3
            self.fields[name] = forms.TypedChoiceField(
                label=field.label,
                choices=[("", _("Not answered")), *scale.choices],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=_("This week") if scale is scales.F3 else None,
            )
        self.fields["weight_kg"].help_text = _("Optional. Weigh at the same time of day each week if you can.")

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}
