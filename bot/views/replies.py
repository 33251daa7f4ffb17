"""What the reply path says: acknowledgements, the notice's new state, the questions it asks.

Built from the use cases' results (bot/services/replies.py) after their commit; no database here.
"""

from __future__ import annotations

from datetime import date, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, User

from bot import texts
from bot.domain.enums import AssignmentStatus, PingKind, ReportKind
from bot.domain.vndates import format_date
from bot.refs import directive_ref
from bot.services.replies import Items, Notice
from bot.services.reports import Saved, Target
from bot.textsplit import shorten, split_html
from bot.views.reminders import DueItem, answer_keyboard, render_batch, status_text


def due_item(target: Target, kind: PingKind = PingKind.ROUTINE) -> DueItem:
    return DueItem(0, kind, 0, target.directive, target.duty, target.assignment, target.unit)


def due_items(items: Items) -> list[DueItem]:
    return [due_item(target, kind) for kind, target in items]


def notice_view(notice: Notice, today: date, tz: tzinfo) -> tuple[str, InlineKeyboardMarkup | None]:
    """A notice or reminder as it should read now: its duties with their recorded status lines."""
    items = due_items(notice.items)
    statuses = {
        i.assignment.id: status_text(i.assignment, notice.last.get(i.assignment.id), tz)
        for i in items
        if i.assignment.id in notice.last or i.assignment.status != AssignmentStatus.ASSIGNED
    }
    return split_html(render_batch(items, today, statuses))[0], answer_keyboard(items)


def ack(saved: Saved) -> str:
    t = saved.target
    if saved.error is not None:
        return texts.REPORT_ERRORS.get(saved.error, texts.REPORT_ERRORS["closed"]).format(
            deadline=format_date(t.assignment.deadline) if t.assignment.deadline else ""
        )
    report = saved.report
    extra = ""
    if report.percent is not None and report.kind in (ReportKind.PROGRESS, ReportKind.BLOCKED):
        extra = texts.REPORT_SAVED_EXTRA_PERCENT.format(percent=report.percent)
    if report.requested_deadline is not None:
        extra = texts.REPORT_SAVED_EXTRA_DATE.format(date=format_date(report.requested_deadline))
    text = texts.REPORT_SAVED.format(
        label=texts.esc(t.duty.label),
        number=texts.esc(directive_ref(t.directive)),
        status=texts.REPORT_KIND_NAMES[report.kind.value],
        extra=extra,
    )
    if t.assignment.status == AssignmentStatus.REPORTED_DONE and report.kind == ReportKind.DONE:
        text += texts.REPORT_SAVED_AWAITING
    return text


def names(target: Target) -> dict[str, str]:
    return {
        "label": texts.esc(target.duty.label),
        "number": texts.esc(directive_ref(target.directive)),
        "unit": texts.esc(target.unit.name),
        "deadline": format_date(target.assignment.deadline) if target.assignment.deadline else texts.ND_ONGOING,
    }


def mention(user: User) -> str:
    return f'<a href="tg://user?id={user.id}">{texts.esc(user.first_name)}</a>, '


def prompt_text(user: User, target: Target, kind: ReportKind) -> str:
    """Ask for the percent, the difficulty, the date, or a return's reason."""
    template = {
        ReportKind.PROGRESS: texts.PROMPT_PROGRESS,
        ReportKind.BLOCKED: texts.PROMPT_BLOCKED,
        ReportKind.EXTENSION: texts.PROMPT_EXTEND,
        ReportKind.RETURNED: texts.PROMPT_RETURN,
    }[kind]
    return mention(user) + template.format(**names(target))


def full_text(target: Target) -> list[str]:
    return split_html(texts.FULL_TEXT.format(**names(target), text=texts.esc(target.duty.text)))


def ambiguous(target: Target) -> tuple[str, InlineKeyboardMarkup | None]:
    """A note that may be a status: the bot asks with the duty's buttons."""
    return texts.REPORT_AMBIGUOUS.format(**names(target)), answer_keyboard([due_item(target)], full_button=False)


def which(items: Items) -> tuple[str, InlineKeyboardMarkup]:
    """ "Which duty?" after a reply to a list that names none: one button per open duty."""
    buttons = [
        InlineKeyboardButton(f"[{t.assignment.id}] {shorten(t.duty.label, 12)}", callback_data=f"w|{t.assignment.id}|x")
        for _k, t in items
        if t.assignment.status != AssignmentStatus.CONFIRMED
    ]
    rows = [buttons[k : k + 4] for k in range(0, len(buttons), 4)]
    return texts.REPORT_WHICH.format(n=len(items), code=items[0][1].assignment.id), InlineKeyboardMarkup(rows)


def bad_number(n: int, items: Items) -> str:
    return texts.REPORT_BAD_NUMBER.format(n=n, codes=", ".join(str(t.assignment.id) for _k, t in items))


def tap_said(saved: Saved) -> tuple[str, bool]:
    """The toast under a tapped button, and whether it is an alert."""
    if saved.error is not None:
        return texts.strip_tags(ack(saved))[:190], True
    said = texts.REPORT_TAP_REPEAT if saved.repeat else texts.REPORT_TAP_SAVED
    return said.format(status=texts.REPORT_KIND_NAMES[saved.report.kind.value])[:190], False


def edited(saved: Saved) -> str:
    return texts.REPORT_EDITED.format(**names(saved.target), status=texts.REPORT_KIND_NAMES[saved.report.kind.value])


def who(user: User | None) -> str:
    """The name a line of a grouped acknowledgement starts with."""
    return f"{texts.esc(user.first_name)}: " if user is not None else ""
