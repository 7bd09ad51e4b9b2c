"""Small vector charts (SVG) for the clinic summary, drawn with matplotlib from a PeriodSummary.

Both the PDF and the print page embed each SVG in the document as a data: image:
the charts stay vector (sharp when printed or zoomed), nothing is fetched, no markup
is marked safe, and the SVG's own style attributes neither meet the print page's
Content Security Policy nor WeasyPrint's HTML style cascade (which, for SVG inline in
the HTML, warns on every stroke and doubles the time to make the PDF). Nothing here computes a statistic:
every number comes from diary.summary. The matplotlib object API is used (no
pyplot), so no global figure state is shared between requests; text stays text in
DejaVu Sans (WeasyPrint finds it through fontconfig: Debian's fonts-dejavu-core),
and the fixed hash salt makes the same data give the same SVG byte for byte.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
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
BLUE = "#0072B2"  # Okabe-Ito, as on the web charts (diary/charts.py)
VERMILLION = "#D55E00"
GREY = "#9a9a9a"
INK = "#1a1a1a"
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


@dataclass(frozen=True)
class Svg:
    """One drawn chart: the SVG document and how to put it in HTML."""

    document: str
    #: What the chart shows, for the image's text alternative.
    alt: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.document.encode()).decode("ascii")


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


def sparkline(values: Sequence[float | None], item: scales.Item, *, alt: str) -> Svg:
    """Weekly medians as a tiny line, drawn so that up is always worse (the table's columns say the numbers).

    The vertical range is the item's whole scale, so a flat line at the bottom
    means "no trouble", not "no change".
    """
    low, high = item.scale.low, item.scale.high
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(30 * MM, 6 * MM))
        axes = figure.add_axes((0.02, 0.12, 0.96, 0.76))
        axes.set_axis_off()
        axes.set_xlim(-0.5, max(len(values) - 0.5, 0.5))
        pad = (high - low) * 0.08
        if item.higher_is_worse:
            axes.set_ylim(low - pad, high + pad)
        else:
            axes.set_ylim(high + pad, low - pad)
        axes.axhline(low, color="#d0d0d0", linewidth=0.6)
        xs = list(range(len(values)))
        ys = [float("nan") if v is None else v for v in values]
        axes.plot(xs, ys, color=BLUE, linewidth=0.9, solid_capstyle="round")
        rated_points = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        _dots(axes, [x for x, _v in rated_points], [v for _x, v in rated_points], radius=0.65, color=BLUE)
        rated = [i for i, v in enumerate(values) if v is not None]
        if rated:
            last = rated[-1]
            axes.plot([last], [values[last]], linestyle="none", marker="o", markersize=2.4, color=INK)
    return _render(figure, alt)


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
