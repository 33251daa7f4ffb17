"""Ongoing duties (no deadline) as a leader reads them: who reported in the period and how far,
who reported done and whether it is confirmed, who is silent and for how long, the response rate."""

from __future__ import annotations

from collections.abc import Sequence

from bot import texts
from bot.domain.ongoing import OngoingFigures, OngoingItem, OngoingState, figures
from bot.domain.summary import UnitLine
from bot.domain.vndates import format_date

_SHOWN = 30


def rate(value: float | None) -> str:
    return texts.SUMMARY_NO_RATE if value is None else f"{value * 100:.0f}%"


def _counts(f: OngoingFigures) -> dict[str, object]:
    c = f.counts
    return {
        "n": f.assignments,
        "reported": c[OngoingState.REPORTED],
        "awaiting": c[OngoingState.AWAITING],
        "confirmed": c[OngoingState.CONFIRMED],
        "silent": c[OngoingState.SILENT],
        "rate": rate(f.response_rate),
    }


def state_text(item: OngoingItem) -> str:
    if item.state is OngoingState.CONFIRMED:
        return texts.ONGOING_CONFIRMED
    if item.state is OngoingState.AWAITING:
        return texts.ONGOING_AWAITING
    if item.state is OngoingState.REPORTED:
        on = format_date(item.last_report_on) if item.last_report_on else "?"
        percent = texts.ONGOING_PERCENT.format(percent=item.percent) if item.percent is not None else ""
        return texts.ONGOING_REPORTED.format(on=on) + percent
    if item.last_report_on is None:
        return texts.ONGOING_NEVER.format(days=item.silent_days or 0)
    return texts.ONGOING_SILENT.format(days=item.silent_days or 0, on=format_date(item.last_report_on))


def item_line(item: OngoingItem) -> str:
    return texts.ONGOING_LINE.format(
        number=texts.esc(item.directive_number), label=texts.esc(item.duty_label),
        unit=texts.esc(item.unit_name), state=state_text(item),
    )  # fmt: skip


def ongoing_section(items: Sequence[OngoingItem], *, shown: int = _SHOWN) -> list[str]:
    """The summary's block on ongoing duties; nothing when there is none."""
    if not items:
        return []
    lines = [texts.SUMMARY_ONGOING.format(**_counts(figures(items)))]
    lines.extend(item_line(item) for item in items[:shown])
    if len(items) > shown:
        lines.append(texts.SUMMARY_MORE.format(n=len(items) - shown))
    return lines


def unit_suffix(line: UnitLine) -> str:
    """ "; thường xuyên 2: 1 đã báo cáo trong kỳ, 1 chưa báo cáo trong kỳ, phản hồi 50%" for a unit line."""
    n = sum(line.ongoing.values())
    if not n:
        return ""
    parts = ", ".join(
        texts.SUMMARY_UNIT_ONGOING_PART.format(n=count, state=texts.ONGOING_STATE_NAMES[state.value])
        for state, count in line.ongoing.items()
        if count
    )
    return texts.SUMMARY_UNIT_ONGOING.format(n=n, parts=parts, rate=rate(line.ongoing_response_rate))


def stats_lines(items: Sequence[OngoingItem]) -> list[str]:
    """/stats of one unit: its ongoing figures and each of its ongoing assignments."""
    if not items:
        return []
    return [texts.STATS_ONGOING.format(**_counts(figures(items))), *(item_line(item) for item in items)]
