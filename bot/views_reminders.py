"""What a unit's group receives: one notice or reminder, or a compact list when several are due at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot import texts
from bot.domain.enums import PingKind
from bot.domain.vndates import format_date
from bot.services.notices import render_notice
from bot.textsplit import shorten
from db.models import Assignment, Directive, Duty, Unit

_ONE_DUTY_CHARS = 1500
_LIST_DUTY_CHARS = 220


@dataclass(frozen=True)
class DueItem:
    ping_id: int
    kind: PingKind
    attempts: int
    directive: Directive
    duty: Duty
    assignment: Assignment
    unit: Unit


def _deadline(assignment: Assignment) -> str:
    return format_date(assignment.deadline) if isinstance(assignment.deadline, date) else texts.ND_ONGOING


def _days(assignment: Assignment, today: date) -> int:
    return abs((assignment.deadline - today).days) if assignment.deadline else 0


def _headline(item: DueItem, today: date) -> str:
    return texts.REMIND_HEADLINES[item.kind.value].format(days=_days(item.assignment, today))


def _one(item: DueItem, today: date) -> str:
    if item.kind == PingKind.NOTICE:
        return render_notice(item.directive, item.duty, item.assignment)
    return texts.REMINDER.format(
        headline=_headline(item, today),
        number=texts.esc(item.directive.number or f"#{item.directive.id}"),
        title=texts.esc(shorten(item.directive.title, 200)),
        label=texts.esc(item.duty.label),
        text=texts.esc(shorten(item.duty.text, _ONE_DUTY_CHARS)),
        role=texts.NOTICE_ROLE[item.assignment.role.value],
        deadline=texts.esc(_deadline(item.assignment)),
    )


def render_batch(items: list[DueItem], today: date) -> str:
    """One item reads like a letter; several become a numbered list, and a reply names the number.

    `today` is the local date (days to or past the deadline are counted from it).
    """
    if len(items) == 1:
        return _one(items[0], today)
    lines = [texts.REMIND_LIST_HEADER.format(unit=texts.esc(items[0].unit.name), n=len(items))]
    for n, item in enumerate(items, 1):
        lines.append(
            texts.REMIND_LIST_LINE.format(
                n=n,
                headline=_headline(item, today),
                number=texts.esc(item.directive.number or f"#{item.directive.id}"),
                label=texts.esc(item.duty.label),
                text=texts.esc(shorten(item.duty.text, _LIST_DUTY_CHARS)),
                role=texts.NOTICE_ROLE[item.assignment.role.value],
                deadline=texts.esc(_deadline(item.assignment)),
            )
        )
    lines.append(texts.REMIND_LIST_FOOTER)
    return "\n".join(lines)
