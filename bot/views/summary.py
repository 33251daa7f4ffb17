"""The summary as Telegram HTML: every line keeps its tags closed, so split_html can cut between lines."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.domain import callbacks
from bot.domain.classify import Category
from bot.domain.enums import ReportKind
from bot.domain.summary import Headline, Period, Summary, UnitLine
from bot.domain.vndates import format_date
from bot.texts import files as texts_files
from bot.textsplit import shorten
from bot.views.ongoing import ongoing_section, stats_lines, unit_suffix

_UNITS_SHOWN = 15
_OVERDUE_SHOWN = 30
_QUOTES_SHOWN = 30  # the channel post stays a few messages long; the workbook has every report
_SILENT_SHOWN = 60
_QUOTE_CHARS = 160


def rate(value: float | None) -> str:
    return texts.SUMMARY_NO_RATE if value is None else f"{value * 100:.0f}%".replace(".", ",")


def _delta(now: float | int | None, before: float | int | None, *, percent: bool = False) -> str:
    if now is None or before is None:
        return ""
    diff = now - before
    if percent:
        points = round(diff * 100)
        return (
            texts.SUMMARY_DELTA.format(sign="+" if points > 0 else "", value=texts.SUMMARY_POINTS.format(n=points))
            if points
            else ""
        )
    return texts.SUMMARY_DELTA.format(sign="+" if diff > 0 else "", value=int(diff)) if diff else ""


def _headline(h: Headline, prev: Headline | None) -> str:
    p = prev
    return texts.SUMMARY_HEADLINE.format(
        in_force=h.in_force, d_in_force=_delta(h.in_force, p.in_force if p else None),
        due_in_period=h.due_in_period, due_overall=h.due_overall,
        done_on_time=h.done_on_time, d_done_on_time=_delta(h.done_on_time, p.done_on_time if p else None),
        done_late=h.done_late, d_done_late=_delta(h.done_late, p.done_late if p else None),
        in_progress=h.in_progress_on_time,
        d_in_progress=_delta(h.in_progress_on_time, p.in_progress_on_time if p else None),
        overdue=h.overdue, d_overdue=_delta(h.overdue, p.overdue if p else None),
        not_due=h.not_due, ongoing=h.ongoing,
        completion=rate(h.completion_rate),
        d_completion=_delta(h.completion_rate, p.completion_rate if p else None, percent=True),
        on_time=rate(h.on_time_rate),
        d_on_time=_delta(h.on_time_rate, p.on_time_rate if p else None, percent=True),
    )  # fmt: skip


def unit_line(n: int, u: UnitLine) -> str:
    return texts.SUMMARY_UNIT_LINE.format(
        n=n,
        unit=texts.esc(u.unit_name),
        completion=rate(u.completion_rate),
        on_time=rate(u.on_time_rate),
        response=rate(u.response_rate),
    ) + unit_suffix(u)


def _top(summary: Summary, scope_number: str | None) -> list[str]:
    """The title, the as-of day, the "no change" line in a quiet period, and the headline figures."""
    scope = texts.SUMMARY_SCOPE.format(number=texts.esc(scope_number)) if scope_number else ""
    lines = [
        texts.WEEKLY_TITLE.format(period=texts.esc(summary.period.label), scope=scope),
        texts.SUMMARY_AS_OF.format(date=format_date(summary.as_of)),
    ]
    if summary.nothing_new:
        lines.append(texts.SUMMARY_NOTHING_NEW)
    lines.append(_headline(summary.headline, summary.previous))
    return lines


def render_no_change(summary: Summary) -> str:
    """The short post of a period with nothing new: the headline only (the overdue count is in it)."""
    return "\n".join(_top(summary, None))


def render_summary(summary: Summary, *, scope_number: str | None = None) -> str:
    lines = _top(summary, scope_number)
    if summary.directives:
        lines.append(texts.SUMMARY_DIRECTIVES)
        for d in summary.directives:
            overdue = texts.SUMMARY_DIRECTIVE_OVERDUE.format(n=d.overdue) if d.overdue else ""
            lines.append(
                texts.SUMMARY_DIRECTIVE_LINE.format(
                    number=texts.esc(d.number), done=d.done, duties=d.duties, overdue=overdue,
                    title=texts.esc(shorten(d.title, 90)),
                )
            )  # fmt: skip
    if summary.units:
        lines.append(texts.SUMMARY_UNITS)
        lines.extend(unit_line(n, u) for n, u in enumerate(summary.units[:_UNITS_SHOWN], 1))
        if len(summary.units) > _UNITS_SHOWN:
            lines.append(texts.SUMMARY_UNITS_MORE.format(n=len(summary.units) - _UNITS_SHOWN))
    lines.append(texts.SUMMARY_OVERDUE.format(n=len(summary.overdue)))
    if not summary.overdue:
        lines.append(texts.SUMMARY_OVERDUE_NONE)
    for o in summary.overdue[:_OVERDUE_SHOWN]:
        lines.append(
            texts.SUMMARY_OVERDUE_LINE.format(
                number=texts.esc(o.directive_number), label=texts.esc(o.duty_label), days=o.days_overdue,
                deadline=format_date(o.deadline), units=texts.esc(", ".join(o.lead_units)),
            )
        )  # fmt: skip
    if len(summary.overdue) > _OVERDUE_SHOWN:
        lines.append(texts.SUMMARY_MORE.format(n=len(summary.overdue) - _OVERDUE_SHOWN))
    lines.extend(ongoing_section(summary.ongoing))
    if summary.silent_units:
        names = ", ".join(summary.silent_units[:_SILENT_SHOWN])
        if len(summary.silent_units) > _SILENT_SHOWN:
            names += f", … (+{len(summary.silent_units) - _SILENT_SHOWN})"
        lines.append(texts.SUMMARY_SILENT.format(n=len(summary.silent_units), units=texts.esc(names)))
    if summary.files_in_period:
        lines.append(texts_files.SUMMARY_FILES.format(n=summary.files_in_period))
    lines.append(texts.SUMMARY_QUOTES.format(n=len(summary.quotes)))
    if not summary.quotes:
        lines.append(texts.SUMMARY_QUOTES_NONE)
    # The newest matter most to a reader of this week's post.
    for q in summary.quotes[-_QUOTES_SHOWN:]:
        values = {
            "unit": texts.esc(q.unit_name),
            "number": texts.esc(q.directive_number),
            "label": texts.esc(q.duty_label),
            "on": format_date(q.received_on),
            "text": texts.esc(shorten(" ".join(q.text.split()), _QUOTE_CHARS)),
        }
        if q.kind == ReportKind.EXTENSION:
            to = format_date(q.requested_deadline) if q.requested_deadline else "?"
            lines.append(texts.SUMMARY_QUOTE_EXTENSION.format(**values, to=to))
        else:
            lines.append(texts.SUMMARY_QUOTE_BLOCKED.format(**values))
    if len(summary.quotes) > _QUOTES_SHOWN:
        lines.append(texts.SUMMARY_MORE.format(n=len(summary.quotes) - _QUOTES_SHOWN))
    if summary.failed_pings:
        lines.append(texts.SUMMARY_FAILED.format(n=summary.failed_pings))
    return "\n".join(lines)


def unit_counts(u: UnitLine) -> dict[str, int]:
    c = u.categories
    return {
        "on_time": c.get(Category.DONE_ON_TIME, 0),
        "late": c.get(Category.DONE_LATE, 0),
        "in_progress": c.get(Category.IN_PROGRESS_ON_TIME, 0),
        "overdue": c.get(Category.OVERDUE, 0),
    }


def render_unit_stats(unit_id: int, unit_name: str, period: Period, summary: Summary) -> str:
    """/stats: one unit's record in the period, its ongoing duties and its overdue ones."""
    line = next((u for u in summary.units if u.unit_id == unit_id), None)
    if line is None:
        return texts.STATS_NONE.format(unit=texts.esc(unit_name))
    c = line.categories
    text = [
        texts.STATS_TITLE.format(unit=texts.esc(unit_name), period=texts.esc(period.label)),
        texts.STATS_LINE.format(
            n=line.assignments, on_time=c.get(Category.DONE_ON_TIME, 0), late=c.get(Category.DONE_LATE, 0),
            in_progress=c.get(Category.IN_PROGRESS_ON_TIME, 0), overdue=c.get(Category.OVERDUE, 0),
            completion=rate(line.completion_rate), on_time_rate=rate(line.on_time_rate),
            response=rate(line.response_rate), answered=line.answered, reminders=line.reminders,
        ),
    ]  # fmt: skip
    text.extend(stats_lines([i for i in summary.ongoing if i.unit_id == unit_id]))
    overdue = [o for o in summary.overdue if unit_name in o.lead_units]
    if overdue:
        text.append(texts.SUMMARY_OVERDUE.format(n=len(overdue)))
        text.extend(
            texts.SUMMARY_OVERDUE_LINE.format(
                number=texts.esc(o.directive_number), label=texts.esc(o.duty_label), days=o.days_overdue,
                deadline=format_date(o.deadline), units=texts.esc(unit_name),
            )
            for o in overdue
        )  # fmt: skip
    return "\n".join(text)


# --- the "post to the channel" button: one codec, "sum|<start>|<end>" (YYYYMMDD) ------------------
def encode_post(period: Period) -> str:
    return f"sum|{period.start:%Y%m%d}|{period.end:%Y%m%d}"


def decode_post(data: str | None) -> tuple[date, date] | None:
    """The period a post button names; None when forged, garbled or backwards."""
    raw = callbacks.fields(data, "sum", 2)
    start, end = (callbacks.compact_date(raw[0]), callbacks.compact_date(raw[1])) if raw else (None, None)
    return None if start is None or end is None or start > end else (start, end)


def post_keyboard(period: Period) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(texts.SUMMARY_BTN_POST, callback_data=encode_post(period))]])
