"""The summary's chart: one horizontal stacked bar per unit (or per directive), as PNG bytes.

Headless and thread-safe: a bare `Figure` drawn by `FigureCanvasAgg`. Never pyplot (its global
registry of figures leaks them and is not thread-safe) and never a global backend or rcParams
change. Every text is given the DejaVu Sans that ships with matplotlib, by file, so the output does
not depend on the host's fonts and Vietnamese diacritics always have glyphs.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final, Literal

import matplotlib
from matplotlib.artist import Artist
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator, NullLocator
from matplotlib.transforms import ScaledTranslation, Transform

from bot.domain.classify import Category
from bot.domain.ongoing import OngoingState
from bot.domain.summary import Summary, UnitLine
from bot.texts import (
    CHART_AXIS_DIRECTIVES,
    CHART_AXIS_UNITS,
    CHART_MORE_DIRECTIVES,
    CHART_MORE_UNITS,
    CHART_NO_DATA,
    CHART_ONGOING_LABELS,
    CHART_TITLE,
)
from bot.views.categories import LABELS

# User-facing text lives in bot/texts.py.

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies; fixed so that a
# category keeps its colour from one week to the next. The second colour is the count's text.
COLOURS: Final[dict[Category, tuple[str, str]]] = {
    Category.DONE_ON_TIME: ("#009E73", "white"),  # green
    Category.DONE_LATE: ("#E69F00", "black"),  # orange
    Category.IN_PROGRESS_ON_TIME: ("#0072B2", "white"),  # blue
    Category.OVERDUE: ("#D55E00", "white"),  # vermilion (red)
    Category.NOT_DUE: ("#BBBBBB", "black"),  # grey
    Category.ONGOING: ("#CC79A7", "black"),  # reddish purple
}
# Ongoing duties have no deadline category: the unit chart splits them by what the unit did in the
# period, so a unit that reported 60% does not look like a silent one.
ONGOING_COLOURS: Final[dict[OngoingState, tuple[str, str]]] = {
    OngoingState.AWAITING: ("#F0E442", "black"),  # yellow
    OngoingState.REPORTED: ("#56B4E9", "black"),  # sky blue
    OngoingState.SILENT: ("#CC79A7", "black"),  # reddish purple, as "Thường xuyên" was
}
Segment = Category | OngoingState
SEGMENT_COLOURS: Final[dict[Segment, tuple[str, str]]] = {
    **{c: v for c, v in COLOURS.items()},
    **{s: v for s, v in ONGOING_COLOURS.items()},
}
SEGMENT_LABELS: Final[dict[Segment, str]] = {
    **{c: v for c, v in LABELS.items()},
    **{state: CHART_ONGOING_LABELS[state.value] for state in ONGOING_COLOURS},
}
ORDER: Final = tuple(LABELS)  # the directive chart's segments, left to right, and its legend
UNIT_ORDER: Final[tuple[Segment, ...]] = (*(c for c in LABELS if c is not Category.ONGOING), *ONGOING_COLOURS)

# A power of two: a pixel count divided by it is an exact float, so the PNG comes out exactly
# `chart_size_px` (with 100 dpi, 29 / 100 * 100 truncates to 28 px).
DPI: Final = 128
WIDTH_PX: Final = 1280  # Telegram shows photos at most 1280 px wide
BASE_PX: Final = 256  # title, legend, axis and margins
BAR_PX: Final = 44  # per bar
MAX_HEIGHT_PX: Final = 2560
EMPTY_SIZE_PX: Final = (960, 320)
NAME_LIMIT: Final = 38  # characters of a bar's label before it is shortened with "…"
BAR_HEIGHT: Final = 0.7  # of a bar's slot
# The layout is computed in pixels from the texts' measures, not by matplotlib's constrained layout,
# which measured every artist twice and took about half of the rendering time.
PAD_PX: Final = 8  # between the figure's edges and the title, legend and labels
GAP_PX: Final = 10  # between the title and the axes, and between the x axis's label and the legend
TICK_PT: Final = 3.5  # matplotlib's default tick length, and pad between a tick and its label
LABEL_PAD_PT: Final = 4.0  # matplotlib's default pad between the tick labels and the axis label
TOTAL_PAD_PT: Final = 4.0  # between a bar's end and its total
# zlib level of the PNG: 1 is several times faster than Pillow's default 6, for a few % more bytes on
# these flat-coloured charts.
PNG_COMPRESS_LEVEL: Final = 1

_FONT_DIR: Final = Path(matplotlib.get_data_path(), "fonts", "ttf")
_FONT: Final = _FONT_DIR / "DejaVuSans.ttf"
_FONT_BOLD: Final = _FONT_DIR / "DejaVuSans-Bold.ttf"


def chart_size_px(bars: int) -> tuple[int, int]:
    """Width and height of the PNG for `bars` bars: the height grows with them, up to a cap."""
    if bars <= 0:
        return EMPTY_SIZE_PX
    return WIDTH_PX, min(BASE_PX + bars * BAR_PX, MAX_HEIGHT_PX)


def shorten(text: str, limit: int = NAME_LIMIT) -> str:
    """One line of at most `limit` characters plus "…"; composed (NFC) so that a decomposed
    diacritic from a pasted document is drawn as one glyph, not a misplaced combining mark."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


ChartKind = Literal["unit", "directive"]


def render_chart(summary: Summary, *, by: ChartKind = "unit", max_bars: int = 20) -> bytes:
    """The PNG of `summary`: the first `max_bars` units (in their ranked order) or directives."""
    rows = _rows(summary, by)
    title = chart_title(summary, by=by, max_bars=max_bars)
    shown = rows[:max_bars]
    if not shown:
        return _render_empty(title)
    axis_text = CHART_AXIS_UNITS if by == "unit" else CHART_AXIS_DIRECTIVES
    order = UNIT_ORDER if by == "unit" else ORDER
    return _render_bars(title, axis_text, [shorten(name) for name, _ in shown], [counts for _, counts in shown], order)


def chart_title(summary: Summary, *, by: ChartKind = "unit", max_bars: int = 20) -> str:
    """The chart's title; a second line says how many bars were left out, if any."""
    if max_bars < 1:
        raise ValueError("max_bars must be at least 1")
    title = CHART_TITLE.format(period=unicodedata.normalize("NFC", summary.period.label))
    total = len(summary.units) if by == "unit" else len(summary.directives)
    if total > max_bars:
        more_text = CHART_MORE_UNITS if by == "unit" else CHART_MORE_DIRECTIVES
        title += "\n" + more_text.format(shown=max_bars, more=total - max_bars)
    return title


def _unit_segments(line: UnitLine) -> dict[Segment, int]:
    """The unit's categories, with its not-done ongoing assignments split by state (a confirmed one
    is already counted as done on time)."""
    segments: dict[Segment, int] = {c: n for c, n in line.categories.items() if c is not Category.ONGOING}
    split = 0
    for state in ONGOING_COLOURS:
        segments[state] = line.ongoing.get(state, 0)
        split += segments[state]
    # Rows built without the ongoing split (older callers): keep them as silent, never drop them.
    segments[OngoingState.SILENT] += max(line.categories.get(Category.ONGOING, 0) - split, 0)
    return segments


def _rows(summary: Summary, by: ChartKind) -> list[tuple[str, Mapping[Segment, int]]]:
    if by == "unit":
        return [(line.unit_name, _unit_segments(line)) for line in summary.units]
    if by == "directive":
        rows: list[tuple[str, Mapping[Segment, int]]] = []
        for line in summary.directives:
            name = f"{line.number} — {line.title}" if line.title.strip() else line.number
            rows.append((name, {c: n for c, n in line.categories.items()}))
        return rows
    raise ValueError(f"unknown chart kind: {by!r}")


def _new_figure(size_px: tuple[int, int]) -> Figure:
    figure = Figure(figsize=(size_px[0] / DPI, size_px[1] / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)  # attaches itself to the figure
    return figure


def _png(figure: Figure) -> bytes:
    # The canvas's print_png draws once at the figure's own size and dpi. Figure.savefig would read
    # rcParams["savefig.*"], which could crop or resize it.
    canvas = figure.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    buffer = io.BytesIO()
    # matplotlib leaves it unannotated
    canvas.print_png(buffer, pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})  # type: ignore[no-untyped-call]
    return buffer.getvalue()


def _renderer(figure: Figure) -> RendererAgg:
    """The renderer that will draw the PNG (the canvas keeps one for its size and dpi)."""
    canvas = figure.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    renderer: RendererAgg = canvas.get_renderer()  # type: ignore[no-untyped-call]  # unannotated
    return renderer


def _suptitle(figure: Figure, title: str) -> float:
    """Adds the title at the top of `figure`; returns its bottom edge, in pixels from the top."""
    text = figure.suptitle(
        title,
        y=1 - PAD_PX / figure.bbox.height,
        va="top",
        fontproperties=FontProperties(fname=_FONT_BOLD, size=13),
        parse_math=False,
    )
    return PAD_PX + text.get_window_extent(_renderer(figure)).height


def _render_empty(title: str) -> bytes:
    figure = _new_figure(chart_size_px(0))
    _suptitle(figure, title)
    figure.text(
        0.5,
        0.4,
        CHART_NO_DATA,
        ha="center",
        va="center",
        color="#555555",
        fontproperties=FontProperties(fname=_FONT, size=14),
    )
    return _png(figure)


class _Labels(Artist):
    """One-line texts of one font and alignment at many places, drawn by a single Text moved from
    place to place: a Text (or a tick) per label cost more to create than to draw, and left
    thousands of objects behind for the garbage collector."""

    def __init__(self, text: Text, labels: Sequence[tuple[float, float, str, str]]) -> None:
        super().__init__()
        self.set_zorder(text.get_zorder())
        self._text = text
        self._labels = labels  # (x, y, text, colour)

    def draw(self, renderer: RendererBase) -> None:
        text = self._text
        for x, y, label, colour in self._labels:
            text.set_position((x, y))
            text.set_text(label)
            text.set_color(colour)
            text.draw(renderer)
        self.stale = False


def _template(figure: Figure, transform: Transform, prop: FontProperties, ha: str, va: str = "center") -> Text:
    text = Text(fontproperties=prop, ha=ha, va=va, transform=transform, clip_on=False, parse_math=False)
    text.set_figure(figure)
    return text


def _render_bars(
    title: str,
    axis_text: str,
    names: list[str],
    counts: Sequence[Mapping[Segment, int]],
    order: Sequence[Segment] = ORDER,
) -> bytes:
    width, height = size = chart_size_px(len(names))
    # Smaller text once the height cap squeezes the bars.
    points = 10.0 if (height - BASE_PX) / len(names) >= 30 else 8.0
    font = FontProperties(fname=_FONT, size=points)
    small = FontProperties(fname=_FONT, size=points - 1)

    figure = _new_figure(size)
    renderer = _renderer(figure)
    top = _suptitle(figure, title) + GAP_PX

    # The legend in a band along the bottom edge, its rows centred.
    handles = [Patch(facecolor=SEGMENT_COLOURS[segment][0], label=SEGMENT_LABELS[segment]) for segment in order]
    legend = figure.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, PAD_PX / height),
        borderaxespad=0,
        ncols=3,
        prop=font,
        frameon=False,
    )
    legend_top = legend.get_window_extent(renderer).y1

    totals = [sum(row.get(segment, 0) for segment in order) for row in counts]
    x_max = max(max(totals), 1)
    x_limit = x_max * 1.08  # room for the totals

    # The axes and their texts are made first, then the axes placed from the texts' measures (a
    # Text's measures are cached: drawing it later measures nothing again).
    axes = figure.add_axes((0, 0, 1, 1))
    offset = figure.dpi_scale_trans
    names_text = _template(
        figure,
        axes.get_yaxis_transform() + ScaledTranslation(-2 * TICK_PT / 72, 0, offset),
        font,
        "right",
        "center_baseline",  # as matplotlib aligns y tick labels
    )
    name_width = 0.0
    for name in names:
        names_text.set_text(name)
        name_width = max(name_width, names_text.get_window_extent(renderer).width)
    axis_label = axes.set_xlabel(axis_text, fontproperties=small)
    digits = _template(figure, axes.transData, small, "center")
    digits.set_text("0" * len(str(int(x_limit))))  # as wide as the widest x tick label
    digits_box = digits.get_window_extent(renderer)

    # Below the axes, above the legend: the ticks, their labels and the axis label. Left: the
    # longest name, its pad and tick. Right: half the widest x tick label, which may be centred on
    # the axes' right edge.
    bottom = (
        legend_top
        + GAP_PX
        + axis_label.get_window_extent(renderer).height
        + digits_box.height
        + (2 * TICK_PT + LABEL_PAD_PT) * DPI / 72
    )
    left = PAD_PX + name_width + 2 * TICK_PT * DPI / 72
    right = PAD_PX + digits_box.width / 2
    axes.set_position((left / width, bottom / height, 1 - (left + right) / width, 1 - (top + bottom) / height))

    # Every segment in one collection: 120 separate Rectangles took 0.2 s to add and draw. The
    # counts are written inside their segments only where they fit (about 2.5 % of the axis a digit).
    half = BAR_HEIGHT / 2
    polygons = []
    colours = []
    inside: list[tuple[float, float, str, str]] = []
    for y, row in enumerate(counts):
        x0 = 0
        for segment in order:
            value = row.get(segment, 0)
            if value:
                x1 = x0 + value
                polygons.append(((x0, y - half), (x1, y - half), (x1, y + half), (x0, y + half)))
                colour, text_colour = SEGMENT_COLOURS[segment]
                colours.append(colour)
                if value / x_max >= 0.025 * len(str(value)):
                    inside.append((x0 + value / 2, y, str(value), text_colour))
                x0 = x1
    axes.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors="white", linewidths=0.5), autolim=False)
    axes.add_artist(_Labels(_template(figure, axes.transData, small, "center"), inside))
    # The total just after the end of each bar.
    after_bar = axes.transData + ScaledTranslation(TOTAL_PAD_PT / 72, 0, offset)
    totals_labels = [(total, y, str(total), "black") for y, total in enumerate(totals)]
    axes.add_artist(_Labels(_template(figure, after_bar, small, "left"), totals_labels))

    # The y axis drawn as its ticks would be (tick marks and names), without a Tick object a bar.
    axes.yaxis.set_major_locator(NullLocator())
    axes.add_artist(_Labels(names_text, [(0, y, name, "black") for y, name in enumerate(names)]))
    axes.add_artist(
        Line2D(
            [0] * len(names),
            range(len(names)),
            linestyle="none",
            marker=0,  # matplotlib.markers.TICKLEFT, as y ticks are drawn
            markersize=TICK_PT,
            markeredgewidth=0.8,  # matplotlib's default tick width
            color="black",
            transform=axes.get_yaxis_transform(),
            clip_on=False,
        )
    )
    axes.set_ylim(len(names) - 0.5, -0.5)  # first (best ranked) on top, no empty margin
    axes.set_xlim(0, x_limit)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="x", labelfontfamily="DejaVu Sans", labelsize=points - 1)
    axes.grid(axis="x", color="#E5E5E5", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _png(figure)
