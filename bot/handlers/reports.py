"""How units answer: buttons under notices and reminders, replies, /report and /mytasks;
and how secretaries decide: confirm, return, approve or reject an extension.

Every button is checked against the database: the chat must be the unit's bound group (or the
unit contact's private chat), and the duty must still be open. Nothing else is trusted from
callback data, so a forged or replayed button changes nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, CallbackQuery, ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.helpers import mention_html

from bot import texts
from bot.context import BotContext, BotServices
from bot.domain.enums import AssignmentStatus, DirectiveStatus, DutyStatus, PingKind, ReportKind, ReportSource
from bot.domain.replies import ParsedReply, parse_reply
from bot.domain.textnorm import ascii_int, nfc
from bot.domain.vndates import format_date
from bot.handlers.common import guard, is_stale_query
from bot.refs import directive_ref
from bot.services import copies, reports
from bot.services.reports import DecisionError, Saved, Target
from bot.textsplit import shorten, split_html
from bot.views_reminders import DueItem, answer_keyboard, render_batch, status_text
from db.models import ReplyPrompt, StatusReport

log = logging.getLogger("dondoc.reports")

# "[2] xong", "2. xong", "2) xong", "2: xong", "2 - xong", "2 xong": the number picks the duty in a list.
_SELECTOR = re.compile(r"^\s*\[?\s*(\d{1,9})\s*(?:\]|\.|\)|:|-)?\s+(.+)$", re.DOTALL)
_MYTASKS_PAGE = 10


async def _say(query: CallbackQuery, text: str | None = None, show_alert: bool = False) -> None:
    """Answer a button press. One redelivered after a restart can be too old to answer: the
    work it asked for is still done (stored, notice edited), only the little toast is lost."""
    try:
        await query.answer(text, show_alert=show_alert)
    except BadRequest as exc:
        if not is_stale_query(exc):
            raise


def _today(services: BotServices) -> date:
    return services.clock.now().astimezone(services.config.tz).date()


def _stale(target: Target) -> str | None:
    """Why a duty takes no more reports (a key of texts.REPORT_STALE), or None while it is open."""
    if target.directive.status != DirectiveStatus.ACTIVE:
        return target.directive.status.value
    if target.duty.status != DutyStatus.OPEN:
        return "duty_done" if target.duty.status == DutyStatus.DONE else "duty_cancelled"
    if target.assignment.status == AssignmentStatus.CONFIRMED:
        return "confirmed"
    return None


def _is_open(target: Target) -> bool:
    return _stale(target) is None


async def _may_report(session: AsyncSession, target: Target, chat_id: int, private: bool, user_id: int) -> bool:
    unit_id = await reports.reporter_unit_id(session, chat_id=chat_id, private=private, user_id=user_id)
    return unit_id is not None and unit_id == target.unit.id


def _item(target: Target, kind: PingKind = PingKind.ROUTINE) -> DueItem:
    return DueItem(0, kind, 0, target.directive, target.duty, target.assignment, target.unit)


def _target(item: DueItem) -> Target:
    return Target(item.assignment, item.duty, item.directive, item.unit)


async def _message_items(session: AsyncSession, chat_id: int, message_id: int) -> list[DueItem]:
    """The duties a sent notice or reminder is about, in the order its text numbers them."""
    return [_item(target, kind) for kind, target in await reports.message_targets(session, chat_id, message_id)]


async def _copy_items(
    session: AsyncSession, replied: Message, chat_id: int, private: bool, user_id: int
) -> list[DueItem]:
    """A copy sent but never recorded (a kill mid-send) maps through its own buttons, for its unit only."""
    if replied.reply_markup is None:
        return []
    rows = [[b.callback_data if isinstance(b.callback_data, str) else None for b in row]
            for row in replied.reply_markup.inline_keyboard]  # fmt: skip
    unit_id = await reports.reporter_unit_id(session, chat_id=chat_id, private=private, user_id=user_id)
    return [_item(t) for t in await copies.targets_of_copy(session, copies.button_assignments(rows), unit_id)]


async def _statuses(session: AsyncSession, services: BotServices, items: list[DueItem]) -> dict[int, str]:
    last = await reports.latest_reports(session, [i.assignment.id for i in items])
    return {
        i.assignment.id: status_text(i.assignment, last.get(i.assignment.id), services.config.tz)
        for i in items
        if i.assignment.id in last or i.assignment.status != AssignmentStatus.ASSIGNED
    }


@dataclass(frozen=True)
class _View:
    """A notice or reminder as it should read now, computed inside the transaction that changed it."""

    chat_id: int
    message_id: int
    text: str
    markup: InlineKeyboardMarkup | None


async def _notice_view(
    session: AsyncSession, services: BotServices, chat_id: int, message_id: int, items: list[DueItem] | None = None
) -> _View | None:
    if items is None:
        items = await _message_items(session, chat_id, message_id)
    if not items:
        return None
    text = render_batch(items, _today(services), await _statuses(session, services, items))
    return _View(chat_id, message_id, split_html(text)[0], answer_keyboard(items))


async def _show(bot: Bot, view: _View | None) -> None:
    """Show the recorded status in the notice or reminder itself, instead of a new message."""
    if view is None:
        return
    with contextlib.suppress(TelegramError):  # "message is not modified", or too old to edit: cosmetic
        await bot.edit_message_text(
            view.text, chat_id=view.chat_id, message_id=view.message_id, reply_markup=view.markup
        )


async def _refresh(services: BotServices, bot: Bot, chat_id: int, message_id: int) -> None:
    async with services.sessions() as session:
        view = await _notice_view(session, services, chat_id, message_id)
    await _show(bot, view)


def _ack(saved: Saved) -> str:
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


def _names(target: Target) -> dict[str, str]:
    return {
        "label": texts.esc(target.duty.label),
        "number": texts.esc(directive_ref(target.directive)),
        "unit": texts.esc(target.unit.name),
        "deadline": format_date(target.assignment.deadline) if target.assignment.deadline else texts.ND_ONGOING,
    }


async def _submit_parsed(
    services: BotServices,
    session: AsyncSession,
    target: Target,
    parsed: ParsedReply,
    *,
    user: User,
    message: Message,
    source: ReportSource = ReportSource.REPLY,
) -> Saved:
    return await reports.submit(
        session,
        services.config,
        target,
        kind=parsed.kind,
        text=parsed.text,
        source=source,
        now=services.clock.now(),
        user_id=user.id,
        chat_id=message.chat.id,
        message_id=message.message_id,
        percent=parsed.percent,
        requested_deadline=parsed.requested_deadline,
        user_name=user.full_name,
    )


# --- buttons under notices and reminders ---------------------------------------------------------


@dataclass(frozen=True)
class _Tap:
    query: CallbackQuery
    message: Message
    user: User
    assignment_id: int
    action: str


def _tap(update: Update, expected: str) -> _Tap | None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or not isinstance(query.message, Message) or not query.data:
        return None
    parts = query.data.split("|")
    if len(parts) != 3 or parts[0] != expected:
        return None
    aid = ascii_int(parts[1])
    if aid is None:
        return None
    return _Tap(query, query.message, user, aid, parts[2])


async def answer_button(update: Update, context: BotContext) -> None:
    tap = _tap(update, "r")
    if tap is None or tap.action not in ("d", "p", "b", "e", "f"):
        if update.callback_query is not None:
            await _say(update.callback_query, texts.BUTTON_STALE, show_alert=True)
        return
    services = context.services
    private = tap.message.chat.type == ChatType.PRIVATE
    async with services.sessions() as session:
        target = await reports.load_target(session, tap.assignment_id)
        if target is None or not await _may_report(session, target, tap.message.chat.id, private, tap.user.id):
            await _say(tap.query, texts.REPORT_WRONG_CHAT, show_alert=True)
            return
        if tap.action == "f":
            await _say(tap.query)
            body = texts.FULL_TEXT.format(**_names(target), text=texts.esc(target.duty.text))
            for chunk in split_html(body):
                await tap.message.reply_html(chunk)
            return
        if (why := _stale(target)) is not None:
            await _say(tap.query, texts.REPORT_STALE[why], show_alert=True)
            return
        now = services.clock.now()
        if tap.action == "e":
            if target.assignment.deadline is None:
                await _say(tap.query, texts.REPORT_ERRORS["no_deadline"], show_alert=True)
                return
            await _say(tap.query)
            await _prompt(services, session, tap, target, ReportKind.EXTENSION, None)
            await session.commit()
            return
        kind = {"d": ReportKind.DONE, "p": ReportKind.PROGRESS, "b": ReportKind.BLOCKED}[tap.action]
        saved = await reports.submit(
            session, services.config, target, kind=kind, text="", source=ReportSource.BUTTON, now=now,
            user_id=tap.user.id, chat_id=tap.message.chat.id, callback_id=tap.query.id, user_name=tap.user.full_name,
        )  # fmt: skip
        view = None
        if saved.error is None and not saved.duplicate:
            view = await _notice_view(session, services, tap.message.chat.id, tap.message.message_id)
        await session.commit()
        if saved.error is not None:
            await _say(tap.query, texts.strip_tags(_ack(saved))[:190], show_alert=True)
            return
        said = texts.REPORT_TAP_REPEAT if saved.repeat else texts.REPORT_TAP_SAVED
        await _say(tap.query, said.format(status=texts.REPORT_KIND_NAMES[kind.value])[:190])
        # A second ⏳ or ⚠️ asks again for the percent or the difficulty, for the report already stored.
        if kind in (ReportKind.PROGRESS, ReportKind.BLOCKED) and (saved.repeat or not saved.duplicate):
            await _prompt(services, session, tap, target, kind, saved.report.id)
            await session.commit()
    await _show(context.bot, view)


async def _prompt(
    services: BotServices, session: AsyncSession, tap: _Tap, target: Target, kind: ReportKind, report_id: int | None
) -> None:
    """Ask for the percent, the difficulty or the date; the answer maps back through the prompt row."""
    template = {
        ReportKind.PROGRESS: texts.PROMPT_PROGRESS,
        ReportKind.BLOCKED: texts.PROMPT_BLOCKED,
        ReportKind.EXTENSION: texts.PROMPT_EXTEND,
    }[kind]
    sent = await tap.message.reply_html(
        _mention(tap.user) + template.format(**_names(target)), reply_markup=ForceReply(selective=True)
    )
    await reports.add_prompt(
        session, chat_id=sent.chat.id, message_id=sent.message_id, assignment_id=target.assignment.id,
        expects=kind, report_id=report_id, user_id=tap.user.id, now=services.clock.now(),
    )  # fmt: skip


async def which_button(update: Update, context: BotContext) -> None:
    """The answer to "which duty?" after a reply to a compact list: the user's text is the message
    the question replied to, so nothing had to be kept in memory meanwhile."""
    tap = _tap(update, "w")
    if tap is None:
        if update.callback_query is not None:
            await _say(update.callback_query, texts.BUTTON_STALE, show_alert=True)
        return
    original = tap.message.reply_to_message
    if original is None or not (original.text or original.caption):
        await _say(tap.query, texts.REPORT_WHICH_GONE, show_alert=True)
        return
    services = context.services
    async with services.sessions() as session:
        target = await reports.load_target(session, tap.assignment_id)
        private = tap.message.chat.type == ChatType.PRIVATE
        if target is None or not await _may_report(session, target, tap.message.chat.id, private, tap.user.id):
            await _say(tap.query, texts.REPORT_WRONG_CHAT, show_alert=True)
            return
        author = original.from_user or tap.user
        parsed = parse_reply(nfc(original.text or original.caption or ""), today=_today(services))
        saved = await _submit_parsed(services, session, target, parsed, user=author, message=original)
        await session.commit()
    await _say(tap.query)
    with contextlib.suppress(TelegramError):
        await tap.message.edit_text(_ack(saved))
    if original.reply_to_message is not None:
        await _refresh(services, context.bot, original.chat.id, original.reply_to_message.message_id)


# --- replies ---------------------------------------------------------------------------------


async def on_reply(update: Update, context: BotContext) -> None:
    """A reply to one of the bot's messages: a prompt's answer, or a report on the duty it names."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.reply_to_message is None:
        return
    replied = message.reply_to_message
    if replied.from_user is None or replied.from_user.id != context.bot.id:
        return  # a conversation between people, not addressed to the bot
    text = nfc(message.text or message.caption or "").strip()
    if not text:
        return
    services = context.services
    edited = update.edited_message is not None
    private = message.chat.type == ChatType.PRIVATE
    async with services.sessions() as session:
        if edited:
            stored = await reports.find_report(session, message.chat.id, message.message_id)
            if stored is not None:
                await _revise(services, context.bot, session, message, stored, text)
                return
        prompt = await reports.find_prompt(session, message.chat.id, replied.message_id)
        if prompt is not None:
            await _answer_prompt(services, context.bot, session, message, user, prompt, text, private)
            return
        items = await _message_items(session, message.chat.id, replied.message_id) or await _copy_items(
            session, replied, message.chat.id, private, user.id
        )
        if not items:
            await message.reply_html(texts.REPORT_UNKNOWN_MESSAGE)
            return
        if not await _may_report(session, _target(items[0]), message.chat.id, private, user.id):
            await message.reply_html(texts.REPORT_WRONG_CHAT)
            return
        item, body = _pick(items, text)
        if item is None:
            await _ask_which(message, items, text)
            return
        if isinstance(body, int):
            codes = ", ".join(str(i.assignment.id) for i in items)
            await message.reply_html(texts.REPORT_BAD_NUMBER.format(n=body, codes=codes))
            return
        target = _target(item)
        parsed = parse_reply(body, today=_today(services))
        stale = _stale(target)
        if stale is not None:  # kept as a note, never lost, but it changes no state
            parsed = dataclasses.replace(parsed, kind=ReportKind.NOTE, ambiguous=False)
        # "Đang làm." then "Còn chờ số liệu xã." is one report to the person typing: no second ack.
        follow_up = parsed.kind == ReportKind.NOTE and await reports.follows_up(
            session, assignment_id=target.assignment.id, user_id=user.id, chat_id=message.chat.id,
            now=services.clock.now(),
        )  # fmt: skip
        saved = await _submit_parsed(services, session, target, parsed, user=user, message=message)
        # The notice's new text is read in this same transaction: no second round for the edit.
        quiet = saved.duplicate or stale is not None or follow_up
        view = None if quiet else await _notice_view(session, services, message.chat.id, replied.message_id, items)
        await session.commit()
    if saved.duplicate:
        return
    if stale is not None:
        await message.reply_html(texts.REPORT_STALE[stale])
        return
    if follow_up:
        with contextlib.suppress(TelegramError):  # the note is stored; the reaction only says "seen"
            await message.set_reaction(texts.SEEN_REACTION)
        return
    if parsed.ambiguous and saved.error is None:
        await message.reply_html(
            texts.REPORT_AMBIGUOUS.format(**_names(target)),
            reply_markup=answer_keyboard([_item(target)], full_button=False),
        )
    else:
        await message.reply_html(_ack(saved))
    await _show(context.bot, view)


def _pick(items: list[DueItem], text: str) -> tuple[DueItem | None, str | int]:
    """The duty a reply is about: the only one, or the one whose code (assignment id) it starts with.

    A list shows codes, not positions, so a number that is no code in the message is refused
    rather than read as a position."""
    m = _SELECTOR.match(text)
    if len(items) == 1:
        if m and ascii_int(m.group(1)) in (1, items[0].assignment.id):
            return items[0], m.group(2).strip()
        return items[0], text
    if m is None:
        return None, text
    n = ascii_int(m.group(1)) or 0
    found = next((item for item in items if item.assignment.id == n), None)
    if found is None:
        return items[0], n  # the caller reports the bad number
    return found, m.group(2).strip()


async def _ask_which(message: Message, items: list[DueItem], text: str) -> None:
    buttons = [
        InlineKeyboardButton(f"[{i.assignment.id}] {shorten(i.duty.label, 12)}", callback_data=f"w|{i.assignment.id}|x")
        for i in items
        if i.assignment.status != AssignmentStatus.CONFIRMED
    ]
    rows = [buttons[k : k + 4] for k in range(0, len(buttons), 4)]
    await message.reply_html(
        texts.REPORT_WHICH.format(n=len(items), code=items[0].assignment.id), reply_markup=InlineKeyboardMarkup(rows)
    )


async def _revise(
    services: BotServices, bot: Bot, session: AsyncSession, message: Message, stored: StatusReport, text: str
) -> None:
    parsed = parse_reply(text, today=_today(services))
    saved = await reports.revise(
        session, services.config, stored, kind=parsed.kind, text=parsed.text, now=services.clock.now(),
        percent=parsed.percent, requested_deadline=parsed.requested_deadline,
    )  # fmt: skip
    await session.commit()
    if saved is None:
        return
    await message.reply_html(
        texts.REPORT_EDITED.format(**_names(saved.target), status=texts.REPORT_KIND_NAMES[saved.report.kind.value])
    )
    if message.reply_to_message is not None:
        await _refresh(services, bot, message.chat.id, message.reply_to_message.message_id)


async def _answer_prompt(
    services: BotServices,
    bot: Bot,
    session: AsyncSession,
    message: Message,
    user: User,
    prompt: ReplyPrompt,
    text: str,
    private: bool,
) -> None:
    target = await reports.load_target(session, prompt.assignment_id)
    if target is None:
        await message.reply_html(texts.REPORT_UNKNOWN_MESSAGE)
        return
    if prompt.expects == ReportKind.RETURNED:
        await _decide(services, session, target, "return", user=user, chat_id=message.chat.id, reason=text,
                      reply=message)  # fmt: skip
        return
    if not await _may_report(session, target, message.chat.id, private, user.id):
        await message.reply_html(texts.REPORT_WRONG_CHAT)
        return
    if await reports.find_report(session, message.chat.id, message.message_id) is not None:
        return  # redelivered
    today = _today(services)
    parsed = parse_reply(text, today=today)
    saved: Saved | None
    shown_changes = True
    if prompt.expects == ReportKind.EXTENSION:
        if parsed.kind != ReportKind.EXTENSION:
            parsed = parse_reply(f"xin gia hạn đến {text}", today=today)
        if parsed.requested_deadline is None:
            await message.reply_html(texts.PROMPT_BAD_DATE)
            return
        saved = await reports.submit(
            session, services.config, target, kind=ReportKind.EXTENSION, text=text, source=ReportSource.REPLY,
            now=services.clock.now(), user_id=user.id, chat_id=message.chat.id, message_id=message.message_id,
            requested_deadline=parsed.requested_deadline, user_name=user.full_name,
        )  # fmt: skip
    else:
        stored = await session.get(StatusReport, prompt.report_id) if prompt.report_id else None
        # A reason or note alone leaves the status line as it is: no edit ("message is not modified").
        own_status = parsed.kind in (ReportKind.DONE, ReportKind.EXTENSION)
        shown_changes = stored is None or own_status or parsed.percent is not None
        if stored is None or own_status:
            # No tap to complete, or the answer is a status of its own ("xong"): a report in its own right.
            saved = await _submit_parsed(services, session, target, parsed, user=user, message=message)
        else:
            saved = await reports.complete(
                session, services.config, stored, text=text, percent=parsed.percent, chat_id=message.chat.id,
                message_id=message.message_id, now=services.clock.now(),
            )  # fmt: skip
    ping_message = (
        await reports.last_ping_message(session, target.assignment.id, message.chat.id) if shown_changes else None
    )
    await session.commit()
    if saved is None or saved.duplicate:
        return
    await message.reply_html(_ack(saved))
    if ping_message is not None:
        # The caller's session has no open transaction now: on SQLite a second one would wait for it.
        await _refresh(services, bot, message.chat.id, ping_message)


# --- secretaries' decisions -------------------------------------------------------------------

_DECISIONS = {("k", "c"): "confirm", ("k", "r"): "return", ("x", "a"): "approve", ("x", "r"): "reject"}


def _mention(user: User) -> str:
    return f"{mention_html(user.id, user.first_name)}, "


async def decide_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    prefix = (query.data or "")[:1]
    tap = _tap(update, prefix)
    action = _DECISIONS.get((prefix, tap.action)) if tap else None
    if tap is None or action is None:
        await _say(query, texts.BUTTON_STALE, show_alert=True)
        return
    services = context.services
    async with services.sessions() as session:
        target = await reports.load_target(session, tap.assignment_id)
        if target is None:
            await _say(query, texts.BUTTON_STALE, show_alert=True)
            return
        if action != "return":
            await _decide(services, session, target, action, user=tap.user, chat_id=tap.message.chat.id, query=query)
            return
        if not await reports.may_decide(session, services.config, target, user_id=tap.user.id,
                                        chat_id=tap.message.chat.id):  # fmt: skip
            await _say(query, texts.DECIDE_NOT_ALLOWED, show_alert=True)
            return
        if target.assignment.status != AssignmentStatus.REPORTED_DONE:
            await _say(query, texts.DECIDE_ERRORS["not_reported"], show_alert=True)
            return
        await _say(query)
        sent = await tap.message.reply_html(
            _mention(tap.user) + texts.PROMPT_RETURN.format(**_names(target)), reply_markup=ForceReply(selective=True)
        )
        await reports.add_prompt(
            session, chat_id=sent.chat.id, message_id=sent.message_id, assignment_id=target.assignment.id,
            expects=ReportKind.RETURNED, report_id=None, user_id=tap.user.id, now=services.clock.now(),
        )  # fmt: skip
        await session.commit()


async def _decide(
    services: BotServices,
    session: AsyncSession,
    target: Target,
    action: str,
    *,
    user: User,
    chat_id: int,
    reason: str = "",
    query: CallbackQuery | None = None,
    reply: Message | None = None,
) -> None:
    """Check the decider, apply the decision, and answer where it was taken (toast or reply)."""

    async def say(text: str, *, alert: bool) -> None:
        if query is not None:
            await _say(query, texts.strip_tags(text)[:190], show_alert=alert)
        elif reply is not None:
            await reply.reply_html(text)

    if not await reports.may_decide(session, services.config, target, user_id=user.id, chat_id=chat_id):
        await say(texts.DECIDE_NOT_ALLOWED, alert=True)
        return
    now = services.clock.now()
    try:
        await reports.decide(session, services.config, target, action, actor=user.id, now=now, reason=reason,
                             callback_id=query.id if query else None, actor_name=user.full_name)  # fmt: skip
        await session.commit()
    except DecisionError as exc:
        await session.rollback()
        await say(texts.DECIDE_ERRORS.get(exc.code, texts.BUTTON_STALE), alert=True)
        return
    at = now.astimezone(services.config.tz).strftime("%H:%M %d/%m")
    done = texts.DECIDED.format(what=texts.DECISION_WHAT[action], who=texts.esc(user.full_name), at=at)
    await say(done, alert=False)
    if query is not None and isinstance(query.message, Message):
        with contextlib.suppress(TelegramError):  # the decision is saved; the edit is cosmetic
            await query.message.edit_text(f"{query.message.text_html}\n\n{done}")


# --- /mytasks and /report ---------------------------------------------------------------------


async def _caller_unit(update: Update, context: BotContext, command: str) -> tuple[Message, User, int] | None:
    caller = await guard(update, context, command)
    if caller is None:
        return None
    private = caller.message.chat.type == ChatType.PRIVATE
    async with context.services.sessions() as session:
        unit_id = await reports.reporter_unit_id(
            session, chat_id=caller.message.chat.id, private=private, user_id=caller.user.id
        )
    if unit_id is None:
        await caller.message.reply_html(texts.MYTASKS_NO_UNIT if private else texts.GROUP_NOT_BOUND)
        return None
    return caller.message, caller.user, unit_id


async def mytasks_command(update: Update, context: BotContext) -> None:
    found = await _caller_unit(update, context, "mytasks")
    if found is None:
        return
    message, _user, unit_id = found
    services = context.services
    today = _today(services)
    async with services.sessions() as session:
        targets = await reports.open_assignments(session, unit_id)
        last = await reports.latest_reports(session, [t.assignment.id for t in targets])
        unit_name = await reports.unit_name(session, unit_id)
    if not targets:
        await message.reply_html(texts.MYTASKS_EMPTY.format(unit=texts.esc(unit_name)))
        return
    # Ten per message: one keyboard row per duty, numbered like the text above it.
    for start in range(0, len(targets), _MYTASKS_PAGE):
        page = targets[start : start + _MYTASKS_PAGE]
        lines = [texts.MYTASKS_HEADER.format(unit=texts.esc(unit_name), n=len(targets))] if start == 0 else []
        for t in page:
            a = t.assignment
            overdue = (today - a.deadline).days if a.deadline and a.deadline < today else 0
            names = _names(t)
            lines.append(
                texts.MYTASKS_LINE.format(
                    id=a.id, number=names["number"], label=names["label"], deadline=names["deadline"],
                    role=texts.NOTICE_ROLE[a.role.value],
                    overdue=texts.MYTASKS_OVERDUE.format(days=overdue) if overdue else "",
                    text=texts.esc(shorten(t.duty.text, 200)),
                    status=status_text(a, last.get(a.id), services.config.tz),
                )
            )  # fmt: skip
        lines.append(texts.MYTASKS_FOOTER.format(id=page[0].assignment.id))
        markup = answer_keyboard([_item(t) for t in page], full_button=False)
        chunks = split_html("\n".join(lines))
        for i, chunk in enumerate(chunks):
            await message.reply_html(chunk, reply_markup=markup if i == len(chunks) - 1 else None)


async def report_command(update: Update, context: BotContext) -> None:
    found = await _caller_unit(update, context, "report")
    if found is None:
        return
    message, user, unit_id = found
    args = context.args or []
    aid = ascii_int(args[0].lstrip("#")) if args else None
    body = nfc(" ".join(args[1:])).strip()
    if aid is None or not body:
        await message.reply_html(texts.REPORT_USAGE)
        return
    services = context.services
    async with services.sessions() as session:
        target = await reports.load_target(session, aid)
        if target is None or target.unit.id != unit_id or not _is_open(target):
            name = await reports.unit_name(session, unit_id)
            await message.reply_html(texts.REPORT_NOT_YOURS.format(id=aid, unit=texts.esc(name)))
            return
        parsed = parse_reply(body, today=_today(services))
        saved = await _submit_parsed(
            services, session, target, parsed, user=user, message=message, source=ReportSource.COMMAND
        )
        await session.commit()
    if saved.duplicate:
        return
    if parsed.ambiguous and saved.error is None:
        await message.reply_html(
            texts.REPORT_AMBIGUOUS.format(**_names(target)),
            reply_markup=answer_keyboard([_item(target)], full_button=False),
        )
        return
    await message.reply_html(_ack(saved))
