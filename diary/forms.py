"""Forms: every value that comes in is validated here, htmx parameters included."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from diary import scales
from diary.models import Diary, validate_time_zone

NOT_RATED = ""


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone and not zone.startswith("Etc/"))
    return [("UTC", "UTC"), *((zone, zone.replace("_", " ")) for zone in zones)]


class DiaryForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        initial="UTC",
        help_text=_("Where the patient lives. It decides when a new diary day starts."),
    )

    class Meta:
        model = Diary
        fields = ["patient_name", "time_zone"]
        labels = {"patient_name": _("Patient's name")}
        help_texts = {"patient_name": _("The person whose diary this is. It appears on the clinic summary.")}

    def clean_patient_name(self) -> str:
        name = " ".join(self.cleaned_data["patient_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the patient's name."))
        return name

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"]
        validate_time_zone(value)
        return value


def score_field(item: scales.Item) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=item.label,
        choices=[(NOT_RATED, _("Not rated")), *item.scale.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the buttons for “%(label)s”.") % {"label": item.label}},
    )


class _ScoresForm(forms.Form):
    def scores(self) -> dict[str, int | None]:
        return {field: self.cleaned_data.get(field) for field in self.fields}


class DayEntryForm(_ScoresForm):
    """All of a day's scores."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in scales.ITEMS:
            self.fields[item.field] = score_field(item)


@functools.lru_cache(maxsize=len(scales.ITEMS) * 8)
def _shared_score_field(field: str, language: str | None) -> forms.TypedChoiceField:
    # Its error message is translated when it is built: one per language.
    return score_field(scales.ITEMS_BY_FIELD[field])


class DayItemForm(_ScoresForm):
    """One item of the day: what a tap sends. It is never shown, only checked, so its field
    is built once per item and language and shared (building it per tap cost as much as
    checking the value)."""

    def __init__(self, data: Any, *, field: str) -> None:
        super().__init__(data)
        self.fields = {field: _shared_score_field(field, get_language())}


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything else about today, in your own words."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class DayChoiceForm(forms.Form):
    """Pick a past day to open (History). Future days cannot be logged."""

    date = forms.DateField(label=_("Open another day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date"].widget.attrs["max"] = today.isoformat()

    def clean_date(self) -> dt.date:
        return check_day(self.cleaned_data["date"], today=self.today)


EARLIEST_DAY = dt.date(1900, 1, 1)


def check_day(day: dt.date, *, today: dt.date) -> dt.date:
    if day > today:
        raise forms.ValidationError(_("That day has not happened yet. You can log today or any past day."))
    if day < EARLIEST_DAY:
        raise forms.ValidationError(_("That date is too far in the past."))
    return day


def zero_to_ten(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class QuickCheckForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    strength = zero_to_ten(_("Leg strength now (0 = none, 10 = normal)"))
    fatigue = zero_to_ten(_("Fatigue now (0 = none, 10 = worst)"))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("strength") is None and cleaned.get("fatigue") is None and not cleaned.get("note"):
            raise forms.ValidationError(_("Tap a number for strength or fatigue."))
        return cleaned
