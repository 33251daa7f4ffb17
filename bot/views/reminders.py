"""What a unit's group receives: one notice or reminder, or a compact list when several are due at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.domain.enums import AssignmentStatus, ExtensionStatus, PingKind
from bot.domain.vndates import format_date
from bot.refs import directive_ref
from bot.services.notices import NOTICE_DUTY_CHARS, render_notice
from bot.textsplit import shorten
from db.models import Assignment, Directive, Duty, StatusReport, Unit

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
    deadline = item.assignment.deadline
    if item.kind == PingKind.ESCALATION and (deadline is None or deadline >= today):
        return texts.REMIND_HEADLINE_SILENT  # escalated for silence, not for the deadline
    return texts.REMIND_HEADLINES[item.kind.value].format(days=_days(item.assignment, today))


def _one(item: DueItem, today: date) -> str:
    if item.kind == PingKind.NOTICE:
        return render_notice(item.directive, item.duty, item.assignment)
    return texts.REMINDER.format(
        headline=_headline(item, today),
        number=texts.esc(directive_ref(item.directive)),
        title=texts.esc(shorten(item.directive.title, 200)),
        code=item.assignment.id,
        label=texts.esc(item.duty.label),
        text=texts.esc(shorten(item.duty.text, _ONE_DUTY_CHARS)),
        role=texts.NOTICE_ROLE[item.assignment.role.value],
        deadline=texts.esc(_deadline(item.assignment)),
    )


def status_text(assignment: Assignment, last: StatusReport | None, tz: tzinfo) -> str:
    """The recorded state of an assignment in one line, as a unit reads it."""
    out = texts.ASSIGNMENT_STATUS_NAMES[assignment.status.value]
    if assignment.status == AssignmentStatus.IN_PROGRESS and assignment.percent is not None:
        out += texts.STATUS_PERCENT.format(percent=assignment.percent)
    if assignment.status == AssignmentStatus.REPORTED_DONE:
        out += texts.STATUS_AWAITING
    if assignment.blocked:
        out += texts.STATUS_BLOCKED_FLAG
    if assignment.extension_status == ExtensionStatus.REQUESTED:
        out += (
            texts.STATUS_EXTENSION_ASKED.format(to=format_date(assignment.extension_to))
            if assignment.extension_to
            else texts.STATUS_EXTENSION_ASKED_NO_DATE
        )
    if last is not None:
        at = (last.edited_at or last.received_at).astimezone(tz)
        out += texts.STATUS_BY.format(who=texts.REPORT_KIND_NAMES[last.kind.value], at=at.strftime("%H:%M %d/%m"))
    return out


def shortened(item: DueItem) -> bool:
    limit = _ONE_DUTY_CHARS if item.kind != PingKind.NOTICE else NOTICE_DUTY_CHARS
    return len(item.duty.text) > limit


def answer_keyboard(items: list[DueItem], *, full_button: bool = True) -> InlineKeyboardMarkup | None:
    """✅ ⏳ ⚠️ 📅 per open duty; a compact list names each by its code, like its text."""
    rows: list[list[InlineKeyboardButton]] = []
    for item in items:
        if item.assignment.status == AssignmentStatus.CONFIRMED:
            continue
        aid = item.assignment.id
        if len(items) == 1:
            rows.append([InlineKeyboardButton(texts.BTN_DONE, callback_data=f"r|{aid}|d"),
                         InlineKeyboardButton(texts.BTN_PROGRESS, callback_data=f"r|{aid}|p")])  # fmt: skip
            rows.append([InlineKeyboardButton(texts.BTN_BLOCKED, callback_data=f"r|{aid}|b"),
                         InlineKeyboardButton(texts.BTN_EXTEND, callback_data=f"r|{aid}|e")])  # fmt: skip
            if full_button and shortened(item):
                rows.append([InlineKeyboardButton(texts.BTN_FULL, callback_data=f"r|{aid}|f")])
        else:
            rows.append(
                [InlineKeyboardButton(f"{aid} {mark}", callback_data=f"r|{aid}|{code}") for code, mark in
                 texts.BTN_SHORT.items()]
            )  # fmt: skip
    return InlineKeyboardMarkup(rows) if rows else None


def render_batch(items: list[DueItem], today: date, statuses: dict[int, str] | None = None) -> str:
    """One item reads like a letter; several become a list keyed by each duty's code (its assignment
    id, stable across messages, unlike a position), and a reply names the code.

    `today` is the local date (days to or past the deadline are counted from it). `statuses`, by
    assignment id, are the recorded answers shown when the message is edited after a tap.
    """
    statuses = statuses or {}
    if len(items) == 1:
        item = items[0]
        line = statuses.get(item.assignment.id)
        return _one(item, today) + (texts.STATUS_LINE.format(status=line) if line else "")
    # New duties only: headed as an assignment, not as a reminder.
    header = texts.NOTICE_LIST_HEADER if all(i.kind == PingKind.NOTICE for i in items) else texts.REMIND_LIST_HEADER
    lines = [header.format(unit=texts.esc(items[0].unit.name), n=len(items))]
    for item in items:
        lines.append(
            texts.REMIND_LIST_LINE.format(
                n=item.assignment.id,  # the duty's code: the same in every message and in /mytasks
                headline=_headline(item, today),
                number=texts.esc(directive_ref(item.directive)),
                label=texts.esc(item.duty.label),
                text=texts.esc(shorten(item.duty.text, _LIST_DUTY_CHARS)),
                role=texts.NOTICE_ROLE[item.assignment.role.value],
                deadline=texts.esc(_deadline(item.assignment)),
            )
        )
        if line := statuses.get(item.assignment.id):
            lines.append(texts.STATUS_LINE_ITEM.format(status=line))
    lines.append(texts.REMIND_LIST_FOOTER.format(first=items[0].assignment.id, second=items[1].assignment.id))
    return "\n".join(lines)
