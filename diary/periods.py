"""The period a Trends page (and later the report) covers, chosen by a GET form."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DEFAULT_PERIOD = "3m"
CUSTOM = "custom"

#: Ready-made periods: key, button label, how far back from today.
PERIODS: tuple[tuple[str, Promise], ...] = (
    ("2w", _("2 weeks")),
    ("3m", _("3 months")),
    ("1y", _("1 year")),
    ("all", _("All")),
)
PERIOD_LABELS: dict[str, Promise] = {**dict(PERIODS), CUSTOM: _("Your dates")}


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the month's last day if it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date
    #: The start asked for, when the diary began later and the period was shortened.
    asked_start: dt.date | None = None

    @property
    def label(self) -> str:
        if self.key == CUSTOM:
            return str(_("%(start)s to %(end)s") % {"start": date_format(self.start), "end": date_format(self.end)})
        return str(PERIOD_LABELS[self.key])

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[*PERIODS, (CUSTOM, PERIOD_LABELS[CUSTOM])],
        required=False,
        error_messages={
            "invalid_choice": _("Choose one of the periods: 2 weeks, 3 months, 1 year, all or your dates.")
        },
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the start date as a date, for example 2025-03-01.")},
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the end date as a date, for example 2025-03-31.")},
    )

    def __init__(self, *args: Any, today: dt.date, first_day: dt.date | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.first_day = first_day
        self.fields["end"].widget.attrs["max"] = today.isoformat()
        self.fields["start"].widget.attrs["max"] = today.isoformat()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "period" in self.errors:
            return cleaned
        asked_dates = bool(self.data.get("start") or self.data.get("end"))
        key = cleaned.get("period") or (CUSTOM if asked_dates else DEFAULT_PERIOD)
        cleaned["period"] = key
        if key != CUSTOM:
            # A ready-made period ignores dates left over in the address.
            for field in ("start", "end"):
                self.errors.pop(field, None)
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Enter the first day of the period."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Enter the last day of the period."))
        if start is None or end is None:
            return cleaned
        if end > self.today:
            self.add_error("end", _("The end date cannot be in the future."))
        elif start > end:
            self.add_error("start", _("The start date must be on or before the end date."))
        return cleaned

    def chosen_period(self) -> Period:
        """The chosen period, or the default one when the form has errors."""
        if self.is_bound and self.is_valid():
            key = self.cleaned_data["period"]
            if key == CUSTOM:
                return self._fit(key, self.cleaned_data["start"], self.cleaned_data["end"])
        else:
            key = DEFAULT_PERIOD
        return self._fit(key, self._start_of(key), self.today)

    def _start_of(self, key: str) -> dt.date:
        if key == "2w":
            return self.today - dt.timedelta(days=13)
        if key == "3m":
            return months_before(self.today, 3) + dt.timedelta(days=1)
        if key == "1y":
            return months_before(self.today, 12) + dt.timedelta(days=1)
        return min(self.first_day or self.today, self.today)

    def _fit(self, key: str, start: dt.date, end: dt.date) -> Period:
        """Days before the diary's first data are left out: they hold nothing, and were not "missed"."""
        if self.first_day is not None and start < self.first_day:
            return Period(key, min(self.first_day, end), end, asked_start=start)
        return Period(key, start, end)
