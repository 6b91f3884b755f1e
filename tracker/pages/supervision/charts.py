"""The dashboard's charts, drawn on the server as SVG with matplotlib: no script, no CDN."""

from __future__ import annotations

import io
import math
from collections import defaultdict
from collections.abc import Sequence

import matplotlib
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.lines import TICKDOWN, TICKLEFT, Line2D
from matplotlib.ticker import NullLocator, ScalarFormatter
from matplotlib.transforms import ScaledTranslation

from tracker.delays.trends import RouteTimes, WeekShare

# Text stays text in the SVG: small files, and the browser's own fonts show Vietnamese.
# Margins are fixed rather than computed (bbox_inches="tight" draws every chart twice).
SVG_STYLE = {"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9}
MAX_LINES = 8
MAX_WRITTEN_WEEKS = 12  # past this many weeks the lateness grid's cells are too small for their figures
MAX_LABELLED_WEEKS = 13  # past this many, week labels side by side overlap: every few weeks is labelled
LATENESS = LinearSegmentedColormap.from_list("lateness", ["#1a9850", "#fee08b", "#d73027"])


def _svg(figure: Figure) -> bytes:
    with matplotlib.rc_context(SVG_STYLE):
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _empty(figure: Figure, message: str) -> bytes:
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, message, ha="center", va="center", color="#555")
    return _svg(figure)


def _joined(pieces: list[list[tuple[float, float]]]) -> tuple[list[float], list[float]]:
    """Many polylines as the x and y of one, broken by NaN."""
    points = [point for piece in pieces for point in [*piece, (math.nan, math.nan)]]
    return [x for x, _ in points], [y for _, y in points]


def _draw_boxes(axes: Axes, boxes: list[dict], flier: dict) -> None:
    """What Axes.bxp(widths=0.6) draws, as three artists rather than seven a route: matplotlib's
    cost is per artist. Boxes, whiskers and caps in thin black, the medians orange."""
    outlines, medians = [], []
    for row, b in enumerate(boxes, start=1):
        top, bottom = row - 0.3, row + 0.3
        outlines.append([(b["q1"], top), (b["q3"], top), (b["q3"], bottom), (b["q1"], bottom), (b["q1"], top)])
        for edge, end in ((b["q1"], b["whislo"]), (b["q3"], b["whishi"])):
            outlines += [[(edge, row), (end, row)], [(end, row - 0.15), (end, row + 0.15)]]  # whisker, cap
        medians.append([(b["med"], top), (b["med"], bottom)])
    axes.plot(*_joined(outlines), color="black", linewidth=1)
    axes.plot(*_joined(medians), color="C1", linewidth=1, solid_capstyle="butt", zorder=2.1)
    fliers = [(hours, row) for row, b in enumerate(boxes, start=1) for hours in b["fliers"]]
    axes.plot([h for h, _ in fliers], [r for _, r in fliers], linestyle="none", **flier)


# Where matplotlib puts the left and bottom tick marks and labels: label 7 pt out (3.5 mark + 3.5 pad).
_SIDES = {
    "x": (TICKDOWN, (0, -7 / 72), {"ha": "center", "va": "top"}),
    "y": (TICKLEFT, (-7 / 72, 0), {"ha": "right", "va": "center_baseline"}),
}


def _tick_marks(axes: Axes, axis: str, places: Sequence[float], size: float = 3.5, width: float = 0.8) -> tuple:
    """Tick marks at places on the left or bottom axis as one artist (matplotlib's major size by
    default); the axis's transform and the marks' x and y."""
    transform = axes.get_xaxis_transform() if axis == "x" else axes.get_yaxis_transform()
    across = [0] * len(places)
    xs, ys = (places, across) if axis == "x" else (across, places)
    axes.add_artist(Line2D(xs, ys, transform=transform, clip_on=False, linestyle="none", marker=_SIDES[axis][0],
                           markersize=size, markeredgewidth=width, color="black"))  # fmt: skip
    return transform, xs, ys


def _label_axis(axes: Axes, axis: str, places: Sequence[float], labels: list[str], **font: object) -> None:
    """Tick marks and labels on the left (axis 'y') or bottom ('x') as matplotlib draws them, without
    its Tick objects: with fifty routes or weeks those cost more than the boxes or cells."""
    _, shift, align = _SIDES[axis]
    getattr(axes, f"set_{axis}ticks")([])
    transform, xs, ys = _tick_marks(axes, axis, places)
    shifted = transform + ScaledTranslation(*shift, axes.figure.dpi_scale_trans)
    for x, y, label in zip(xs, ys, labels, strict=True):
        axes.text(x, y, label, transform=shifted, **align, **font)


# Tick labels 7 pt below the axis and about 10 pt tall, then matplotlib's 4 pt pad above the axis label.
_X_LABEL_PAD = 7 + 10 + 4


def _log_x_axis(axes: Axes) -> None:
    """The log scale's ticks, minor ticks, labels and grid where matplotlib puts them, without its
    Tick objects: the minor ticks of a few decades alone cost as much as fifty routes' boxes."""
    low, high = axes.get_xlim()
    majors = [x for x in axes.xaxis.get_majorticklocs() if low <= x <= high]
    minors = [x for x in axes.xaxis.get_minorticklocs() if low <= x <= high]
    labels = axes.xaxis.get_major_formatter().format_ticks(majors)
    axes.xaxis.set_minor_locator(NullLocator())
    _label_axis(axes, "x", majors, labels)
    transform, _, _ = _tick_marks(axes, "x", minors, size=2, width=0.6)  # matplotlib's minor size
    axes.vlines(majors, 0, 1, transform=transform, color="#b0b0b0", linewidth=0.8, alpha=0.3, zorder=1.5)  # grid
    axes.xaxis.labelpad = _X_LABEL_PAD


def transit_box_plot(routes: list[RouteTimes], *, title: str, xlabel: str, empty: str, limit: str,
                     slowest: str) -> bytes:  # fmt: skip
    """One horizontal box per route on a log scale reaching its slowest leg, its limit as a red line."""
    figure = Figure(figsize=(7, 0.45 * max(len(routes), 4) + 1.2))
    if not routes:
        return _empty(figure, empty)
    axes = figure.add_subplot()
    boxes = [route.box() for route in routes]
    flier = {"marker": "o", "markersize": 3, "markerfacecolor": "#d73027", "markeredgecolor": "#d73027"}
    _draw_boxes(axes, boxes, flier)
    limited = [(row, route.limit_hours) for row, route in enumerate(routes, start=1) if route.limit_hours]
    if limited:  # one collection of short red lines, not one artist per route
        rows, hours = zip(*limited, strict=True)
        axes.vlines(hours, [r - 0.4 for r in rows], [r + 0.4 for r in rows], color="#b2182b", linewidth=2)
    axes.set_xscale("log")
    hours = [b["whislo"] for b in boxes] + [b["longest"] for b in boxes] + [r.limit_hours or 1 for r in routes]
    axes.set_xlim(max(min(hours) * 0.8, 1 / 60), max(hours) * 1.25)
    axes.xaxis.set_major_formatter(ScalarFormatter())  # plain hours, not 10^1
    _log_x_axis(axes)
    _label_axis(axes, "y", range(1, len(boxes) + 1), [f"{b['label']} ({b['count']})" for b in boxes])
    axes.set_ylim(len(routes) + 0.5, 0.5)  # the first route on top
    axes.plot([], [], color="#b2182b", linewidth=2, label=limit)
    axes.plot([], [], linestyle="none", **flier, label=slowest)
    axes.legend(fontsize=7, loc="lower right")
    height = figure.get_figheight()
    figure.subplots_adjust(left=0.34, right=0.97, top=1 - 0.35 / height, bottom=0.5 / height)  # inches kept for text
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    return _svg(figure)


def _busiest(shares: list[WeekShare], limit: int) -> list[str]:
    totals: dict[str, int] = defaultdict(int)
    for share in shares:
        totals[share.group] += share.count
    return sorted(sorted(totals), key=lambda group: -totals[group])[:limit]


def on_time_lines(shares: list[WeekShare], *, title: str, ylabel: str, empty: str) -> bytes:
    """The weekly on-time share of the busiest routes, one line each."""
    figure = Figure(figsize=(7, 3.6))
    if not shares:
        return _empty(figure, empty)
    axes = figure.add_subplot()
    for group in _busiest(shares, MAX_LINES):
        points = [s for s in shares if s.group == group]
        axes.plot([s.week for s in points], [100 * s.on_time_share for s in points], marker="o", label=group)
    axes.set_ylim(0, 105)
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7, loc="lower left")
    axes.tick_params(axis="x", labelrotation=30)
    figure.subplots_adjust(left=0.1, right=0.97, top=0.9, bottom=0.2)
    return _svg(figure)


def lateness_grid(shares: list[WeekShare], *, title: str, empty: str, legend: str, week: str) -> bytes:
    """Units by ISO week, coloured from green (all on time) to red (all late), the late share written in."""
    figure = Figure(figsize=(7.5, 0.42 * max(len({s.group for s in shares}), 4) + 1.6))
    if not shares:
        return _empty(figure, empty)
    units = sorted({s.group for s in shares})
    weeks = sorted({s.week for s in shares})
    late = [[float("nan")] * len(weeks) for _ in units]
    for share in shares:
        late[units.index(share.group)][weeks.index(share.week)] = 100 * (1 - share.on_time_share)
    axes = figure.add_subplot()
    # Not resampled: the SVG carries one pixel a cell, which the browser scales up crisply,
    # rather than a picture of the whole grid at the page's size (half the drawing of a year's).
    image = axes.imshow(late, cmap=LATENESS, vmin=0, vmax=100, aspect="auto", interpolation="none")
    written = [] if len(weeks) > MAX_WRITTEN_WEEKS else late  # a year's grid is read by its colours
    for row, values in enumerate(written):
        for column, value in enumerate(values):
            if not math.isnan(value):  # NaN: that unit finished no leg that week
                colour = "white" if value > 75 else "black"  # readable on the red end of the scale
                # On the figure, placed by the grid's data: the same picture as axes.text, without
                # an axes's clip path to build for each of a few hundred figures inside it anyway.
                figure.text(column, row, f"{value:.0f}%", transform=axes.transData, ha="center", va="center",
                            fontsize=7, color=colour)  # fmt: skip
    step = math.ceil(len(weeks) / MAX_LABELLED_WEEKS)
    labelled = range(0, len(weeks), step)
    labels = [f"{week} {weeks[i].isocalendar().week}\n{weeks[i]:%d/%m}" for i in labelled]
    _label_axis(axes, "x", labelled, labels, fontsize=7)
    _label_axis(axes, "y", range(len(units)), units)
    colour_bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
    colour_bar.set_label(legend)
    axes.set_title(title)
    height = figure.get_figheight()
    figure.subplots_adjust(left=0.2, right=0.9, top=1 - 0.35 / height, bottom=0.55 / height)
    return _svg(figure)
