"""How a figure is written: the one formatter of the Trends page and the clinic summary.

Both show the same statistics from diary.summary; written by one function, the same
value reads the same in both (6.397 is "6.4" everywhere, never "6.3" in one place).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

from diary import scales

#: Shown where there is no value.
NO_VALUE = "–"
WALKING_LABELS = ("<10 m", "10–50 m", "50–200 m", "200 m–1 km", ">1 km")


def _rounded(value: float | int, places: int) -> Decimal:
    # Through the shortest text of the float, so 2.25 rounds to 2.3 as written, not as stored in binary.
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def figure_value(value: float | int, *, places: int = 1) -> float:
    """The number figure_text writes, for a chart's data (Python's round() would make 6.25 6.2)."""
    return float(_rounded(value, places))


def figure_text(value: float | int | None, *, places: int = 1) -> str:
    """A figure rounded half up to ``places`` decimals in the active language; a whole number without decimals."""
    if value is None:
        return NO_VALUE
    rounded = _rounded(value, places)
    if rounded == rounded.to_integral_value():
        return number_format(int(rounded), 0, force_grouping=True)
    return number_format(rounded, places)


def rating_text(value: float | int | None, item: scales.Item | None = None) -> str:
    """A rating or a median of one item as people read it: 1.5, 70%, "50–200 m"."""
    if value is None:
        return NO_VALUE
    if item is not None and item.scale is scales.WALKING:
        low, high = math.floor(value), math.ceil(value)
        if low == high:
            return WALKING_LABELS[low]
        return f"{WALKING_LABELS[low]} / {WALKING_LABELS[high]}"
    text = figure_text(value)
    if item is not None and item.scale is scales.PERCENT:
        return f"{text}%"
    return text
