"""Small vector charts (SVG) for the clinic summary, written by hand from a PeriodSummary.

Both the PDF and the print page embed each SVG in the document as a data: image:
the charts stay vector (sharp when printed or zoomed), nothing is fetched, no markup
is marked safe, and the SVG's own attributes neither meet the print page's Content
Security Policy nor WeasyPrint's HTML style cascade (which, for SVG inline in the
HTML, warns on every stroke and doubles the time to make the PDF). Nothing here
computes a statistic: every number comes from diary.summary.

Both charts, the sparkline of each trend row and the dose-timing chart of each medicine,
are written here by hand rather than drawn with matplotlib, for speed. Profiled on a
warm 90-day report (19 sparklines, one or two dose charts), matplotlib making the
figures (about 20 ms a sparkline, 50-100 ms a dose chart) and WeasyPrint drawing the SVG
it wrote took over 40% of the time to make the PDF. WeasyPrint pays for every SVG
element, and matplotlib wrote a group, a clip path and a CSS style="" for every line,
tick and label, and its translucent dots made WeasyPrint measure their bounding box.
Written by hand, a sparkline is four elements and a dose chart about twenty-five: the
lines and all the dots of a chart are a few paths, and the labels. Making them takes
a few milliseconds in all, WeasyPrint draws them in less than half the time, and the
warm 90-day PDF takes about 45% less time than with matplotlib.

The rules that keep them fast: few elements (never one per dot); presentation attributes
only, no <style> element and no style="" (WeasyPrint parses each style as CSS); dots as
cubic curves, not arcs (see _circles); translucency as fill-opacity on a path, not
opacity on a group. Text stays text in DejaVu Sans (WeasyPrint finds it through
fontconfig: Debian's fonts-dejavu-core); the tick labels are placed from the font's
advance widths rather than with text-anchor, which WeasyPrint draws as one more group.
Numbers have at most two decimals, and the same data give the same SVG byte for byte.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from diary import scales
from diary.summary import DoseCurve

PT = 25.4 / 72  # millimetres per point
BLUE = "#0072B2"  # Okabe-Ito, as on the web charts (diary/charts.py)
VERMILLION = "#D55E00"
INK = "#1a1a1a"
BASELINE = "#d0d0d0"
GRID = "#e4e4e4"
SPINE = "#6b6b6b"
FONT = "DejaVu Sans, sans-serif"

#: DejaVu Sans advance widths of the printable ASCII characters (" " to "~"), in 1/2048 em.
#: Enough to lay out the legend and the tick labels; other characters count as a lower-case letter.
DEJAVU_SANS_WIDTHS = (
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087,
    2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612,
    1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024,
    1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253,
    1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
)  # fmt: skip
OTHER_WIDTH = 1260


@dataclass(frozen=True)
class Svg:
    """One drawn chart: the SVG document and how to put it in HTML."""

    document: str
    #: What the chart shows, for the image's text alternative.
    alt: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.document.encode()).decode("ascii")


def _num(value: float) -> str:
    """A coordinate, short: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def text_width(text: str, size: float) -> float:
    """How wide ``text`` is in DejaVu Sans at ``size`` (no kerning: close enough to place things by)."""
    units = sum(
        DEJAVU_SANS_WIDTHS[ord(c) - 32] if 32 <= ord(c) < 32 + len(DEJAVU_SANS_WIDTHS) else OTHER_WIDTH for c in text
    )
    return units * size / 2048


def _circles(centres: Iterable[tuple[float, float]], radius: float) -> str:
    """Path data for many dots, all in one path: each dot two half circles, one cubic Bézier each.

    WeasyPrint draws each SVG element on its own and each costs time, so a year of quick
    checks must not be a year of elements. Two curves are round to within 2% of the radius
    (invisible at a millimetre) and WeasyPrint reads them about five times faster than the
    same circle written as arcs, which it turns into six curves through matrix arithmetic.
    """
    k, d = _num(4 / 3 * radius), _num(2 * radius)
    return "".join(f"M{_num(x - radius)} {_num(y)}c0 -{k} {d} -{k} {d} 0s-{d} {k} -{d} 0z" for x, y in centres)


def _polylines(runs: Iterable[Sequence[tuple[float, float]]]) -> str:
    """Path data for lines through each run of points: a new subpath per run, so no gap is ever bridged.

    A run of one point draws nothing (its dot shows it).
    """
    return "".join(
        f"M{_num(run[0][0])} {_num(run[0][1])}L" + " ".join(f"{_num(x)} {_num(y)}" for x, y in run[1:])
        for run in runs
        if len(run) > 1
    )


def _text(x: float, y: float, text: str, *, size: float | None = None, extra: str = "") -> str:
    font_size = f' font-size="{_num(size)}"' if size is not None else ""
    return f'<text x="{_num(x)}" y="{_num(y)}"{font_size}{extra}>{xml_escape(text)}</text>'


# --- the sparkline -------------------------------------------------------------------------------

#: The sparkline's box, in millimetres (the size it is shown at: static/css/report.css).
SPARK_WIDTH, SPARK_HEIGHT = 30, 6
#: Where the line may go inside the box (the margins the matplotlib version had).
SPARK_LEFT, SPARK_RIGHT = 0.6, 29.4
SPARK_TOP, SPARK_BOTTOM = 0.72, 5.28


def sparkline(values: Sequence[float | None], item: scales.Item, *, alt: str) -> Svg:
    """Weekly medians as a tiny line, drawn so that up is always worse (the table's columns say the numbers).

    The vertical range is the item's whole scale (with 8% to spare above and below), so a
    flat line at the bottom means "no trouble", not "no change"; the grey baseline marks
    that end. A week without a rating (None) breaks the line: it never bridges a gap.
    Small dots mark each rated week, a larger dark one the last. Four SVG elements in all.
    """
    low, high = item.scale.low, item.scale.high
    span = (high - low) or 1
    pad = span * 0.08

    def y_of(value: float) -> float:
        worse = (value - low + pad) / (span + 2 * pad)  # the share of the way from the bottom
        if not item.higher_is_worse:
            worse = 1 - worse
        return SPARK_BOTTOM - worse * (SPARK_BOTTOM - SPARK_TOP)

    # Week i sits in the middle of its own slot.
    step = (SPARK_RIGHT - SPARK_LEFT) / max(len(values), 1)
    points = [None if v is None else (SPARK_LEFT + (i + 0.5) * step, y_of(v)) for i, v in enumerate(values)]
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is not None:
            runs[-1].append(point)
        elif runs[-1]:
            runs.append([])
    rated = [p for p in points if p is not None]
    best = low if item.higher_is_worse else high
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SPARK_WIDTH}mm" height="{SPARK_HEIGHT}mm" '
        f'viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}">',
        f'<path d="M{_num(SPARK_LEFT)} {_num(y_of(best))}H{_num(SPARK_RIGHT)}" fill="none" '
        f'stroke="{BASELINE}" stroke-width="{_num(0.6 * PT)}"/>',
    ]
    if line := _polylines(runs):
        parts.append(
            f'<path d="{line}" fill="none" stroke="{BLUE}" stroke-width="{_num(0.9 * PT)}" '
            'stroke-linecap="round" stroke-linejoin="round"/>'
        )
    if rated:
        x, y = rated[-1]
        parts += [
            f'<path d="{_circles(rated, 0.65 * PT)}" fill="{BLUE}"/>',
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(1.7 * PT)}" fill="{INK}"/>',
        ]
    parts.append("</svg>")
    return Svg("".join(parts), alt)


# --- the dose-timing chart -----------------------------------------------------------------------

#: The dose chart's box, 84 × 40 mm, in points (the SVG's user unit here, as font sizes are in points).
DOSE_WIDTH, DOSE_HEIGHT = 84 / PT, 40 / PT
#: The plot area: 10% from the left, 20% from the bottom, 87% × 68% of the box.
DOSE_LEFT, DOSE_RIGHT = 0.1 * DOSE_WIDTH, 0.97 * DOSE_WIDTH
DOSE_TOP, DOSE_BOTTOM = 0.12 * DOSE_HEIGHT, 0.8 * DOSE_HEIGHT
TICK = 2.0  # tick length, outwards
TICK_PAD = 3.5  # between a tick and its label
TICK_FONT, LEGEND_FONT = 6.5, 6.0
DIGIT = 1303 / 2048  # every digit of DejaVu Sans is this wide, in em


def dose_chart(curve: DoseCurve, *, x_label: str, y_label: str, dots_label: str, line_label: str, alt: str) -> Svg:
    """Quick-check strength against hours since the last dose: each check, and the hourly average.

    Strength runs 0–10 up the side; hours from the dose along the bottom, at least 6.
    """
    furthest = max((h for h, _s in curve.points), default=6.0)
    x_max = max(6.0, furthest + 0.5)
    x_step = 1 if furthest <= 8 else 2 if furthest <= 14 else 4

    def at(hours: float, strength: float) -> tuple[float, float]:
        x = DOSE_LEFT + hours / x_max * (DOSE_RIGHT - DOSE_LEFT)
        y = DOSE_BOTTOM - (strength + 0.5) / 11 * (DOSE_BOTTOM - DOSE_TOP)
        return x, y

    x_ticks = [step * x_step for step in range(int(x_max // x_step) + 1)]
    y_ticks = range(0, 11, 2)
    xs = {tick: at(tick, 0)[0] for tick in x_ticks}
    ys = {tick: at(0, tick)[1] for tick in y_ticks}
    left, right, top, bottom = (_num(v) for v in (DOSE_LEFT, DOSE_RIGHT, DOSE_TOP, DOSE_BOTTOM))
    grid = "".join(f"M{_num(x)} {bottom}V{top}" for x in xs.values()) + "".join(
        f"M{left} {_num(y)}H{right}" for y in ys.values()
    )
    ticks = "".join(f"M{_num(x)} {bottom}v{_num(TICK)}" for x in xs.values()) + "".join(
        f"M{left} {_num(y)}h-{_num(TICK)}" for y in ys.values()
    )
    # The line breaks where hours have too few checks for an average: it never bridges a gap.
    runs: list[list[tuple[float, float]]] = []
    for index, dose_bin in enumerate(curve.bins):
        if not index or dose_bin.start_hour > curve.bins[index - 1].end_hour:
            runs.append([])
        runs[-1].append(at((dose_bin.start_hour + dose_bin.end_hour) / 2, dose_bin.mean_strength))
    # The legend, above the plot on the left: a handle 9 pt long, then its label.
    legend_y, legend_text_y = 7.06, 9.16
    handle_x = DOSE_LEFT + 3.0
    dots_text_x = handle_x + 9 + 4.8
    line_handle_x = dots_text_x + text_width(dots_label, LEGEND_FONT) + 12
    squares = [point for run in runs for point in run]
    if curve.bins:
        runs.append([(line_handle_x, legend_y), (line_handle_x + 9, legend_y)])
        squares.append((line_handle_x + 4.5, legend_y))
    half = 1.75  # a 2.5 pt square and its 1 pt edge
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="84mm" height="40mm" '
        f'viewBox="0 0 {_num(DOSE_WIDTH)} {_num(DOSE_HEIGHT)}">',
        f'<path d="{grid}" fill="none" stroke="{GRID}" stroke-width="0.4"/>',
    ]
    if curve.points:
        dots = _circles((at(h, s) for h, s in curve.points), 1.1)
        parts.append(f'<path d="{dots}" fill="{BLUE}" fill-opacity="0.45"/>')
    if line := _polylines(runs):
        parts.append(
            f'<path d="{line}" fill="none" stroke="{VERMILLION}" stroke-width="1.2" '
            'stroke-linecap="square" stroke-linejoin="round"/>'
        )
    if squares:
        marks = "".join(
            f"M{_num(x - half)} {_num(y - half)}h{_num(2 * half)}v{_num(2 * half)}h-{_num(2 * half)}z"
            for x, y in squares
        )
        parts.append(f'<path d="{marks}" fill="{VERMILLION}"/>')
    parts += [
        f'<path d="M{left} {top}V{bottom}H{right}" fill="none" stroke="{SPINE}" stroke-width="0.5" '
        'stroke-linecap="square"/>',
        f'<path d="{ticks}" fill="none" stroke="#000" stroke-width="0.5"/>',
        f'<circle cx="{_num(handle_x + 4.5)}" cy="{_num(legend_y)}" r="1.7" fill="{BLUE}" fill-opacity="0.6"/>',
        f'<g font-family="{FONT}" font-size="{_num(TICK_FONT)}">',
    ]
    # Tick labels, placed by their width (digits only) rather than by text-anchor.
    label_top = DOSE_BOTTOM + TICK + TICK_PAD
    for tick, x in xs.items():
        parts.append(_text(x - len(str(tick)) * DIGIT * TICK_FONT / 2, label_top + 4.94, str(tick)))
    for tick, y in ys.items():
        parts.append(_text(DOSE_LEFT - TICK - TICK_PAD - len(str(tick)) * DIGIT * TICK_FONT, y + 2.47, str(tick)))
    x_middle, y_middle = (DOSE_LEFT + DOSE_RIGHT) / 2, (DOSE_TOP + DOSE_BOTTOM) / 2
    parts += [
        _text(x_middle, 109.15, x_label, extra=' text-anchor="middle"'),
        _text(6.98, y_middle, y_label, extra=f' text-anchor="middle" transform="rotate(-90 6.98 {_num(y_middle)})"'),
        _text(dots_text_x, legend_text_y, dots_label, size=LEGEND_FONT),
    ]
    if curve.bins:
        parts.append(_text(line_handle_x + 9 + 4.8, legend_text_y, line_label, size=LEGEND_FONT))
    parts.append("</g></svg>")
    return Svg("".join(parts), alt)
