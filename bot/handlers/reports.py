"""How units answer: buttons under notices and reminders, replies, /report and /mytasks;
and how secretaries decide: confirm, return, approve or reject an extension.

Every button is checked against the database: the chat must be the unit's bound group (or the
unit contact's private chat), and the duty must still be open. Nothing else is trusted from
callback data, so a forged or replayed button changes nothing.

Each handler decodes, calls one use case (bot/services/replies.py, prompts.py), which commits,
and only then talks to Telegram: acknowledgements and notice edits go through bot/replyout.py,
which coalesces them when a group's send budget runs out.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from telegram import CallbackQuery, ForceReply, Message, Update, User
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError

from bot import texts
from bot.context import BotContext
from bot.domain.enums import ReportKind
from bot.domain.textnorm import ascii_int, nfc
from bot.handlers.common import guard, is_stale_query
from bot.runtime.replyout import reply_out
from bot.services import copies, prompts, replies
from bot.services.prompts import Decision
from bot.services.replies import Origin, Outcome
from bot.services.reports import Target
from bot.textsplit import shorten, split_html
from bot.views import replies as views_replies
from bot.views.reminders import answer_keyboard, status_text

log = logging.getLogger("dondoc.reports")
_MYTASKS_PAGE = 10


async def _say(query: CallbackQuery, text: str | None = None, show_alert: bool = False) -> None:
    """Answer a button press. One redelivered after a restart can be too old to answer: the
    work it asked for is still done (stored, notice edited), only the little toast is lost."""
    try:
        await query.answer(text, show_alert=show_alert)
    except BadRequest as exc:
        if not is_stale_query(exc):
            raise


def _origin(message: Message, user: User) -> Origin:
    return Origin(message.chat.id, message.message_id, user.id, message.chat.type == ChatType.PRIVATE, user.full_name)


async def _show(context: BotContext, notice: replies.Notice | None) -> None:
    """Show the recorded status in the notice or reminder itself, instead of a new message."""
    if notice is None:
        return
    services = context.services
    text, markup = views_replies.notice_view(notice, replies.today(services), services.config.tz)
    await reply_out(context.bot, services.extras).edit(notice.chat_id, notice.message_id, text, markup)


async def _prompt(context: BotContext, message: Message, user: User, target: Target, kind: ReportKind,
                  report_id: int | None) -> None:  # fmt: skip
    """Ask for the percent, the difficulty, the date or a reason; the answer maps back through the
    prompt row, stored once the question exists (after the use case's commit)."""
    text = views_replies.prompt_text(user, target, kind)
    sent = await message.reply_html(text, reply_markup=ForceReply(selective=True))
    await replies.add_prompt(
        context.services, chat_id=sent.chat.id, message_id=sent.message_id, assignment_id=target.assignment.id,
        expects=kind, report_id=report_id, user_id=user.id,
    )  # fmt: skip


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
    origin = _origin(tap.message, tap.user)
    out = await replies.tap(context.services, origin, tap.assignment_id, tap.action, tap.query.id)
    await _after_tap(context, tap, out)


async def _after_tap(context: BotContext, tap: _Tap, out: Outcome) -> None:
    alerts = {"wrong_chat": texts.REPORT_WRONG_CHAT, "no_deadline": texts.REPORT_ERRORS["no_deadline"]}
    if out.kind in alerts or out.kind == "stale":
        await _say(tap.query, texts.REPORT_STALE[out.stale or ""] if out.stale else alerts[out.kind], show_alert=True)
        return
    assert out.target is not None
    if out.kind == "full":
        await _say(tap.query)
        for chunk in views_replies.full_text(out.target):
            await tap.message.reply_html(chunk)
        return
    if out.saved is not None:
        said, alert = views_replies.tap_said(out.saved)
        await _say(tap.query, said, show_alert=alert)  # the toast first: not a group message
    else:
        await _say(tap.query)
    await _show(context, out.notice)
    if out.ask is not None:
        await _prompt(context, tap.message, tap.user, out.target, out.ask, out.report_id)


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
    author, text = original.from_user or tap.user, nfc(original.text or original.caption or "")
    out = await replies.which(context.services, _origin(tap.message, tap.user), tap.assignment_id, author.id,
                              original.message_id, text)  # fmt: skip
    if out.saved is None:
        await _say(tap.query, texts.REPORT_WRONG_CHAT, show_alert=True)
        return
    await _say(tap.query)
    with contextlib.suppress(TelegramError):
        await tap.message.edit_text(views_replies.ack(out.saved))
    if original.reply_to_message is not None:
        await _show(context, await replies.read_notice(context.services, original.chat.id,
                                                       original.reply_to_message.message_id))  # fmt: skip


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
    edited = update.edited_message is not None
    buttons = copy_buttons(replied)
    out = await prompts.reply(
        context.services, _origin(message, user), replied.message_id, text, edited=edited, copy_buttons=buttons
    )
    await _answer(context, message, user, out)


def copy_buttons(replied: Message) -> list[int]:
    """The assignments the replied message's answer buttons name (for a copy the bot never recorded)."""
    if replied.reply_markup is None:
        return []
    rows = [[b.callback_data if isinstance(b.callback_data, str) else None for b in row]
            for row in replied.reply_markup.inline_keyboard]  # fmt: skip
    return copies.button_assignments(rows)


async def _answer(context: BotContext, message: Message, user: User, out: Outcome) -> None:
    """Say what a reply did, after its commit."""
    said = {
        "unknown": texts.REPORT_UNKNOWN_MESSAGE,
        "wrong_chat": texts.REPORT_WRONG_CHAT,
        "bad_date": texts.PROMPT_BAD_DATE,
        "not_yours": texts.REPORT_NOT_YOURS.format(id=out.number, unit=texts.esc(out.unit_name)),
    }
    if out.kind in said:
        await message.reply_html(said[out.kind])
    elif out.kind == "which":
        text, markup = views_replies.which(out.items)
        await message.reply_html(text, reply_markup=markup)
    elif out.kind == "bad_number":
        await message.reply_html(views_replies.bad_number(out.number, out.items))
    elif out.kind == "decision" and isinstance(out.decision, Decision):
        await _decided(context, out.decision, user, reply=message)
    elif out.kind == "revised" and out.saved is not None:
        await message.reply_html(views_replies.edited(out.saved))
        await _show(context, out.notice)
    elif out.kind == "stored":
        await _stored(context, message, user, out)


async def _stored(context: BotContext, message: Message, user: User, out: Outcome) -> None:
    saved = out.saved
    if saved is None or saved.duplicate:
        return
    if out.stale is not None:
        await message.reply_html(texts.REPORT_STALE[out.stale])
        return
    if out.follow_up:
        with contextlib.suppress(TelegramError):  # the note is stored; the reaction only says "seen"
            await message.set_reaction(texts.SEEN_REACTION)
        return
    sender = reply_out(context.bot, context.services.extras)
    if out.parsed is not None and out.parsed.ambiguous and saved.error is None:
        text, markup = views_replies.ambiguous(saved.target)
        await sender.ack(message, text, markup)
    else:
        await sender.ack(message, views_replies.ack(saved), who=views_replies.who(user))
    await _show(context, out.notice)


# --- secretaries' decisions -------------------------------------------------------------------

_DECISIONS = {("k", "c"): "confirm", ("k", "r"): "return", ("x", "a"): "approve", ("x", "r"): "reject"}


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
    decision = await prompts.decide(context.services, tap.assignment_id, action, user_id=tap.user.id,
                                    chat_id=tap.message.chat.id, callback_id=query.id,
                                    user_name=tap.user.full_name)  # fmt: skip
    if action == "return" and decision.error is None and decision.target is not None:
        await _say(query)  # the reason is asked first; the answer applies the return
        await _prompt(context, tap.message, tap.user, decision.target, ReportKind.RETURNED, None)
        return
    await _decided(context, decision, tap.user, query=query)


async def _decided(
    context: BotContext, decision: Decision, user: User, *, query: CallbackQuery | None = None,
    reply: Message | None = None,
) -> None:  # fmt: skip
    """Answer where the decision was taken (toast or reply), after its commit."""

    async def say(text: str, *, alert: bool) -> None:
        if query is not None:
            await _say(query, texts.strip_tags(text)[:190], show_alert=alert)
        elif reply is not None:
            await reply.reply_html(text)

    if decision.error is not None:
        refusal = {"not_allowed": texts.DECIDE_NOT_ALLOWED, "stale": texts.BUTTON_STALE}.get(decision.error)
        await say(refusal or texts.DECIDE_ERRORS.get(decision.error, texts.BUTTON_STALE), alert=True)
        return
    at = context.services.clock.now().astimezone(context.services.config.tz).strftime("%H:%M %d/%m")
    done = texts.DECIDED.format(what=texts.DECISION_WHAT[decision.action], who=texts.esc(user.full_name), at=at)
    await say(done, alert=False)
    if query is not None and isinstance(query.message, Message):
        with contextlib.suppress(TelegramError):  # the decision is saved; the edit is cosmetic
            await query.message.edit_text(f"{query.message.text_html}\n\n{done}")


# --- /mytasks and /report ---------------------------------------------------------------------


async def _caller_unit(update: Update, context: BotContext, command: str) -> tuple[Message, User, int] | None:
    caller = await guard(update, context, command)
    if caller is None:
        return None
    origin = _origin(caller.message, caller.user)
    unit_id = await replies.reporter_unit(context.services, origin)
    if unit_id is None:
        await caller.message.reply_html(texts.MYTASKS_NO_UNIT if origin.private else texts.GROUP_NOT_BOUND)
        return None
    return caller.message, caller.user, unit_id


async def mytasks_command(update: Update, context: BotContext) -> None:
    found = await _caller_unit(update, context, "mytasks")
    if found is None:
        return
    message, _user, unit_id = found
    tasks = await replies.open_tasks(context.services, unit_id)
    if not tasks.targets:
        await message.reply_html(texts.MYTASKS_EMPTY.format(unit=texts.esc(tasks.unit_name)))
        return
    # Ten per message: one keyboard row per duty, numbered like the text above it.
    for start in range(0, len(tasks.targets), _MYTASKS_PAGE):
        page = tasks.targets[start : start + _MYTASKS_PAGE]
        chunks = split_html(_mytasks_page(context, tasks, page, first=start == 0))
        markup = answer_keyboard([views_replies.due_item(t) for t in page], full_button=False)
        for i, chunk in enumerate(chunks):
            await message.reply_html(chunk, reply_markup=markup if i == len(chunks) - 1 else None)


def _mytasks_page(context: BotContext, tasks: replies.OpenTasks, page: list[Target], *, first: bool) -> str:
    services = context.services
    today = replies.today(services)
    lines = [texts.MYTASKS_HEADER.format(unit=texts.esc(tasks.unit_name), n=len(tasks.targets))] if first else []
    for t in page:
        a = t.assignment
        overdue = (today - a.deadline).days if a.deadline and a.deadline < today else 0
        names = views_replies.names(t)
        lines.append(
            texts.MYTASKS_LINE.format(
                id=a.id, number=names["number"], label=names["label"], deadline=names["deadline"],
                role=texts.NOTICE_ROLE[a.role.value],
                overdue=texts.MYTASKS_OVERDUE.format(days=overdue) if overdue else "",
                text=texts.esc(shorten(t.duty.text, 200)),
                status=status_text(a, tasks.last.get(a.id), services.config.tz),
            )
        )  # fmt: skip
    lines.append(texts.MYTASKS_FOOTER.format(id=page[0].assignment.id))
    return "\n".join(lines)


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
    out = await replies.report_command(context.services, _origin(message, user), unit_id, aid, body)
    await _answer(context, message, user, out)
