"""Small vector charts (SVG) for the clinic summary, from a PeriodSummary.

Both the PDF and the print page embed each SVG in the document as a data: image:
the charts stay vector (sharp when printed or zoomed), nothing is fetched, no markup
is marked safe, and the SVG's own attributes neither meet the print page's Content
Security Policy nor WeasyPrint's HTML style cascade (which, for SVG inline in the
HTML, warns on every stroke and doubles the time to make the PDF). Nothing here
computes a statistic: every number comes from diary.summary.

The dose-timing chart of each medicine (axes, ticks, labels, a legend) is drawn with
matplotlib (no browser on the server): the object API (no pyplot, so no global
figure state is shared between requests), text kept as text in DejaVu Sans (WeasyPrint
finds it through fontconfig: Debian's fonts-dejavu-core), and a fixed hash salt so the
same data give the same SVG byte for byte.

The sparkline of each trend row is a line and a few dots in a 30 x 6 mm box, with no
axis or text, and a 90-day report has 19 of them: its SVG is written here, four
elements. Profiled on a warm 90-day report, matplotlib making the sparklines (about
20 ms each) and WeasyPrint drawing the SVG it wrote (a group, a clip path and a CSS
style="" for every line) took over a third of the time to make the PDF.
The rules that keep them fast: few elements (never one per dot); presentation
attributes only, no <style> element and no style="" (WeasyPrint parses each style as
CSS); dots as cubic curves, not arcs (see _circles). Numbers have at most two
decimals, and the same data give the same SVG byte for byte.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.ticker import MultipleLocator

from diary import scales
from diary.summary import DoseCurve

MM = 1 / 25.4  # inches per millimetre
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 6.5,
    "svg.fonttype": "none",
    "svg.hashsalt": "lems-diary-report",
    # Labels hold the person's own words (a medicine's name): "$...$" in them is text, not a formula.
    "text.parse_math": False,
    "axes.linewidth": 0.5,
    "axes.edgecolor": "#6b6b6b",
    "xtick.major.width": 0.5,
    "ytick.major.width": 0.5,
    "xtick.major.size": 2,
    "ytick.major.size": 2,
}
PT = 25.4 / 72  # millimetres per point
BLUE = "#0072B2"  # Okabe-Ito, as on the web charts (diary/charts.py)
VERMILLION = "#D55E00"
INK = "#1a1a1a"
BASELINE = "#d0d0d0"


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


# --- the dose chart (matplotlib) ----------------------------------------------------------


def _render(figure: Figure, alt: str) -> Svg:
    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None, "Creator": None})
    return Svg(buffer.getvalue(), alt)


def _dots(axes: Axes, xs: Sequence[float], ys: Sequence[float], *, radius: float, **style: Any) -> None:
    """Many dots drawn as one path of small octagons (``radius`` in points).

    matplotlib writes one SVG element per marker, and the PDF renderer handles each one on
    its own: a year of quick checks took seconds. One path draws the same dots in a blink.
    """
    figure = axes.get_figure()
    assert figure is not None
    box = axes.get_position()
    (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    rx = radius * (x1 - x0) / (box.width * figure.get_figwidth() * 72)
    ry = radius * (y1 - y0) / (box.height * figure.get_figheight() * 72)
    corners = [(math.cos(math.pi * (2 * k + 1) / 8), math.sin(math.pi * (2 * k + 1) / 8)) for k in range(8)]
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for x, y in zip(xs, ys, strict=True):
        vertices += [(x + rx * cx, y + ry * cy) for cx, cy in corners] + [(x, y)]
        codes += [Path.MOVETO, *[Path.LINETO] * 7, Path.CLOSEPOLY]
    if vertices:
        # add_artist, not add_patch: the limits are set already, and measuring every dot is slow.
        axes.add_artist(PathPatch(Path(vertices, codes), linewidth=0, **style))


def dose_chart(curve: DoseCurve, *, x_label: str, y_label: str, dots_label: str, line_label: str, alt: str) -> Svg:
    """Quick-check strength against hours since the last dose: each check, and the hourly average."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(84 * MM, 40 * MM))
        axes = figure.add_axes((0.1, 0.2, 0.87, 0.68))
        furthest = max((h for h, _s in curve.points), default=6.0)
        axes.set_xlim(0, max(6.0, furthest + 0.5))
        axes.set_ylim(-0.5, 10.5)
        axes.yaxis.set_major_locator(MultipleLocator(2))
        axes.xaxis.set_major_locator(MultipleLocator(1 if furthest <= 8 else 2 if furthest <= 14 else 4))
        axes.grid(True, color="#e4e4e4", linewidth=0.4)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        _dots(axes, [h for h, _s in curve.points], [s for _h, s in curve.points], radius=1.1, color=BLUE, alpha=0.45)
        handles = [
            Line2D([], [], linestyle="none", marker="o", markersize=2.4, color=BLUE, alpha=0.6, label=dots_label)
        ]
        if curve.bins:
            # The line breaks where hours have too few checks for an average: it never bridges a gap.
            xs: list[float] = []
            ys: list[float] = []
            for index, dose_bin in enumerate(curve.bins):
                if index and dose_bin.start_hour > curve.bins[index - 1].end_hour:
                    xs.append(float("nan"))
                    ys.append(float("nan"))
                xs.append((dose_bin.start_hour + dose_bin.end_hour) / 2)
                ys.append(dose_bin.mean_strength)
            (line,) = axes.plot(xs, ys, color=VERMILLION, linewidth=1.2, marker="s", markersize=2.5, label=line_label)
            handles.append(line)
        axes.set_xlabel(x_label, labelpad=1.5)
        axes.set_ylabel(y_label, labelpad=1.5)
        axes.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=2,
            frameon=False,
            fontsize=6,
            handlelength=1.5,
            borderaxespad=0.1,
        )
    return _render(figure, alt)
