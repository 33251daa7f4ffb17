"""The summary's chart: one horizontal stacked bar per unit (or per directive), as PNG bytes.

Headless and thread-safe: a bare `Figure` drawn by `FigureCanvasAgg`. Never pyplot (its global
registry of figures leaks them and is not thread-safe) and never a global backend or rcParams
change. Every text is given the DejaVu Sans that ships with matplotlib, by file, so the output does
not depend on the host's fonts and Vietnamese diacritics always have glyphs.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Final, Literal

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.text import Annotation
from matplotlib.ticker import MaxNLocator

from bot.domain.classify import LABELS, Category
from bot.domain.summary import Summary
from bot.texts import (
    CHART_AXIS_DIRECTIVES,
    CHART_AXIS_UNITS,
    CHART_MORE_DIRECTIVES,
    CHART_MORE_UNITS,
    CHART_NO_DATA,
    CHART_TITLE,
)

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
ORDER: Final = tuple(LABELS)  # the segments, left to right, and the legend

# A power of two: a pixel count divided by it is an exact float, so the PNG comes out exactly
# `chart_size_px` (with 100 dpi, 29 / 100 * 100 truncates to 28 px).
DPI: Final = 128
WIDTH_PX: Final = 1280  # Telegram shows photos at most 1280 px wide
BASE_PX: Final = 256  # title, legend, axis and margins
BAR_PX: Final = 44  # per bar
MAX_HEIGHT_PX: Final = 2560
EMPTY_SIZE_PX: Final = (960, 320)
NAME_LIMIT: Final = 38  # characters of a bar's label before it is shortened with "…"

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
    return _render_bars(title, axis_text, [shorten(name) for name, _ in shown], [counts for _, counts in shown])


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


def _rows(summary: Summary, by: ChartKind) -> list[tuple[str, dict[Category, int]]]:
    if by == "unit":
        return [(line.unit_name, line.categories) for line in summary.units]
    if by == "directive":
        return [
            (f"{line.number} — {line.title}" if line.title.strip() else line.number, line.categories)
            for line in summary.directives
        ]
    raise ValueError(f"unknown chart kind: {by!r}")


def _new_figure(size_px: tuple[int, int]) -> Figure:
    # Constrained layout makes room for long labels and the legend without changing the size.
    figure = Figure(figsize=(size_px[0] / DPI, size_px[1] / DPI), dpi=DPI, facecolor="white", layout="constrained")
    FigureCanvasAgg(figure)  # attaches itself to the figure
    return figure


def _png(figure: Figure) -> bytes:
    # The canvas's print_png draws once at the figure's own size and dpi. Figure.savefig would draw
    # twice (once for the layout) and read rcParams["savefig.*"], which could crop or resize it.
    canvas = figure.canvas
    assert isinstance(canvas, FigureCanvasAgg)
    buffer = io.BytesIO()
    canvas.print_png(buffer)  # type: ignore[no-untyped-call]  # matplotlib leaves it unannotated
    return buffer.getvalue()


def _render_empty(title: str) -> bytes:
    figure = _new_figure(chart_size_px(0))
    figure.suptitle(title, fontproperties=FontProperties(fname=_FONT_BOLD, size=13), parse_math=False)
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


def _render_bars(title: str, axis_text: str, names: list[str], counts: list[dict[Category, int]]) -> bytes:
    size = chart_size_px(len(names))
    # Smaller text once the height cap squeezes the bars.
    points = 10.0 if (size[1] - BASE_PX) / len(names) >= 30 else 8.0
    font = FontProperties(fname=_FONT, size=points)
    small = FontProperties(fname=_FONT, size=points - 1)

    figure = _new_figure(size)
    figure.suptitle(title, fontproperties=FontProperties(fname=_FONT_BOLD, size=13), parse_math=False)
    axes = figure.add_subplot()

    totals = [sum(row.get(category, 0) for category in ORDER) for row in counts]
    x_max = max(max(totals), 1)
    positions = list(range(len(names)))
    lefts = [0] * len(names)
    container = None
    counts_texts: list[Annotation] = []
    for category in ORDER:
        colour, text_colour = COLOURS[category]
        widths = [row.get(category, 0) for row in counts]
        container = axes.barh(positions, widths, left=lefts, height=0.7, color=colour, edgecolor="white", linewidth=0.5)
        # A count is written inside its segment only where it fits (about 2.5 % of the axis a digit).
        labels = ["" if value == 0 or value / x_max < 0.025 * len(str(value)) else str(value) for value in widths]
        texts = axes.bar_label(container, labels=labels, label_type="center", color=text_colour, fontproperties=small)
        counts_texts.extend(texts)
        lefts = [left + width for left, width in zip(lefts, widths, strict=True)]
    if container is not None:
        # The total at the end of each bar: the last container ends where the bar does.
        counts_texts.extend(
            axes.bar_label(container, labels=[str(total) for total in totals], padding=4, fontproperties=small)
        )
    # The counts lie inside the axes (the x limit leaves room for the totals): leaving them out of
    # the constrained layout's measures halves the rendering time and changes nothing.
    for text in counts_texts:
        text.set_in_layout(False)

    axes.set_yticks(positions, labels=names, fontproperties=font, parse_math=False)
    axes.set_ylim(len(names) - 0.5, -0.5)  # first (best ranked) on top, no empty margin
    axes.set_xlim(0, x_max * 1.08)  # room for the totals
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="x", labelfontfamily="DejaVu Sans", labelsize=points - 1)
    axes.set_xlabel(axis_text, fontproperties=small)
    axes.grid(axis="x", color="#E5E5E5", linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)

    handles = [Patch(facecolor=COLOURS[category][0], label=LABELS[category]) for category in ORDER]
    figure.legend(handles=handles, loc="outside lower center", ncols=3, prop=font, frameon=False)
    return _png(figure)
