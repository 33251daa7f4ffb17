"""/newdirective: paste or upload a directive, check and fix the extraction, save.

The registration (bot.domain.draft.Intake) lives in the database, one row per secretary, not in
process memory: it survives a restart, and any instance behind the load balancer can continue it.
Each update of the flow loads the row (one primary-key read, locked), acts and stores it in one
transaction; the replies are sent after the commit. A registration idle for longer than
conversation_timeout_s stops taking messages but is kept for /newdirective to resume.

Button data is "nd|<nonce>|<action>[|args]"; the nonce ties a button to one registration, so a
button of an older one is recognised as stale.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.config import Config
from bot.context import BotContext, BotServices, DondocApp
from bot.dispatch import dispatch
from bot.domain import callbacks
from bot.domain.draft import (
    Draft,
    EditError,
    Intake,
    IntakeStep,
    apply_edit,
    draft_from_parsed,
    manual_duty,
    pick_suggestion,
)
from bot.domain.extract import ExtractError
from bot.domain.parser import normalise_text, parse_directive
from bot.domain.plans import PRESETS
from bot.domain.textnorm import ascii_int, nfc
from bot.domain.units import UnitDirectory, UnitRef
from bot.extract_worker import Sandbox, extract_isolated
from bot.handlers.common import guard, reply_chunks
from bot.services.directives import (
    DirectiveError,
    StoredIntake,
    bound_unit_codes,
    drop_intake,
    expire_idle_intakes,
    find_duplicate,
    get_detail,
    load_intake,
    save_draft,
    store_intake,
)
from bot.services.units import load_directory
from bot.views_directives import (
    render_detail,
    render_duty_units,
    render_preview,
    render_save_confirm,
    render_saved,
)
from db.models import Directive

log = logging.getLogger("dondoc.newdirective")

# Before group 0: an update that belongs to a running registration must not reach the other handlers.
GROUP = -1
COLLECT, MANUAL_HEADER, MANUAL_DUTIES, PREVIEW = (
    IntakeStep.COLLECT,
    IntakeStep.MANUAL_HEADER,
    IntakeStep.MANUAL_DUTIES,
    IntakeStep.PREVIEW,
)
_ALLOWED_SUFFIXES = {".docx", ".pdf", ".txt"}
_MAX_SUGGESTION_ROWS = 30  # Telegram allows 100 buttons; the fixed rows below need 5
_MAX_SUGGESTIONS = 6  # as many as the parser's ranked pick list for '… liên quan' gives
_LISTED_UNITS = 8  # as views_directives: past this, the preview shows a count and a button
_MAX_UNIT_BUTTONS = 6
_PRIVATE_TEXT = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
_PRIVATE_DOCUMENT = filters.Document.ALL & filters.ChatType.PRIVATE
# Everything a running registration claims (buttons aside); anything else it answers with a hint.
_PRIVATE_MESSAGE = filters.ChatType.PRIVATE & ~filters.COMMAND

Send = Callable[[], Awaitable[object]]


@dataclass
class Turn:
    """One update's work on a secretary's registration, inside one database transaction.

    Replies are queued and sent after the commit: no lock is held while Telegram answers, and what
    the secretary typed is stored even if a reply fails.
    """

    db: AsyncSession
    intake: Intake
    message: Message
    update: Update
    ended: bool = False  # saved or cancelled: the row is deleted
    touched: bool = True  # False: a refused button; the row is left exactly as it was
    outbox: list[Send] = field(default_factory=list)
    _directory: UnitDirectory | None = field(default=None, init=False, repr=False)  # loaded once per turn

    def reply(self, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
        message = self.message
        self.outbox.append(lambda: message.reply_html(html, reply_markup=markup))

    def reply_chunks(self, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
        message = self.message
        self.outbox.append(lambda: reply_chunks(message, html, markup))

    def answer(self, text: str | None = None) -> None:
        update = self.update
        self.outbox.append(lambda: _answer(update, text))

    def edit(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        message = self.message

        async def edit() -> None:
            # cosmetic: the change is stored; an edit fails e.g. when nothing changed
            with contextlib.suppress(TelegramError):
                await message.edit_text(text, reply_markup=markup)

        self.outbox.append(edit)

    def later(self, send: Send) -> None:
        self.outbox.append(send)

    async def directory(self) -> UnitDirectory:
        if self._directory is None:
            self._directory = await load_directory(self.db)
        return self._directory

    async def deliver(self) -> None:
        for send in self.outbox:
            await send()


def _button(text: str, intake: Intake, action: str, *args: object) -> InlineKeyboardButton:
    data = "|".join(["nd", intake.nonce, action, *(str(a) for a in args)])
    return InlineKeyboardButton(text, callback_data=data)


def _collect_keyboard(intake: Intake) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(texts.ND_BTN_DONE, intake, "done"), _button(texts.ND_BTN_MANUAL, intake, "manual")],
            [_button(texts.ND_BTN_CANCEL, intake, "cancel")],
        ]
    )


def _preview_keyboard(intake: Intake, directory: UnitDirectory) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    draft = intake.draft
    assert draft is not None
    for di, duty in enumerate(draft.duties):
        for ui, item in enumerate(duty.unresolved):
            if len(rows) >= _MAX_SUGGESTION_ROWS:
                break
            # Every suggestion the preview names gets its button, one per row: names are long.
            rows += [
                [_button(f"{duty.label}: {unit.name}"[:60], intake, "pick", di, ui, si)]
                for si, code in enumerate(item.suggestions[:_MAX_SUGGESTIONS])
                if (unit := directory.get(code)) is not None
            ]
            rows.append([_button(texts.ND_BTN_SKIP.format(text=item.text[:20]), intake, "skip", di, ui)])
    many = [(di, d) for di, d in enumerate(draft.duties) if len(d.unit_codes) > _LISTED_UNITS]
    for chunk in range(0, min(len(many), _MAX_UNIT_BUTTONS), 2):
        rows.append(
            [
                _button(texts.ND_BTN_UNITS.format(label=d.label, n=len(d.unit_codes))[:60], intake, "units", di)
                for di, d in many[chunk : chunk + 2]
            ]
        )
    rows.append([_button(texts.ND_BTN_PICK, intake, "pk"), _button(texts.ND_BTN_PLAN, intake, "plan")])
    rows.append([_button(texts.ND_BTN_EDIT, intake, "edit")])
    rows.append([_button(texts.ND_BTN_SAVE, intake, "save"), _button(texts.ND_BTN_CANCEL, intake, "cancel")])
    return InlineKeyboardMarkup(rows)


async def _show_preview(turn: Turn) -> None:
    draft = turn.intake.draft
    assert draft is not None
    directory = await turn.directory()
    bound = await bound_unit_codes(turn.db, [c for d in draft.duties for c in d.unit_codes])
    turn.reply_chunks(render_preview(draft, directory, bound), _preview_keyboard(turn.intake, directory))
    turn.intake.step = PREVIEW


# --- loading and storing ------------------------------------------------------------------------------


def _timeout(config: Config) -> timedelta:
    return timedelta(seconds=config.conversation_timeout_s)


def _running(stored: StoredIntake | None, now: datetime, config: Config) -> bool:
    return stored is not None and stored.intake.active and now - stored.updated_at < _timeout(config)


async def _close(turn: Turn, user_id: int, now: datetime) -> None:
    if turn.ended:
        await drop_intake(turn.db, user_id)
    elif turn.touched:
        turn.intake.record(turn.update.update_id)
        await store_intake(turn.db, user_id, turn.intake, now=now)
    await turn.db.commit()


async def _send_timeout(bot: Bot, chat_id: int, config: Config) -> None:
    minutes = max(1, config.conversation_timeout_s // 60)
    await bot.send_message(chat_id, texts.ND_TIMEOUT.format(minutes=minutes))


async def send_timeouts(bot: Bot, services: BotServices) -> int:
    """Time out the registrations idle past the limit and tell their secretaries; for the scheduler tick.

    Without it the secretary hears of the timeout with the next message of the registration.
    """
    now = services.clock.now()
    async with services.sessions() as db:
        users = await expire_idle_intakes(db, idle_before=now - _timeout(services.config), now=now)
        await db.commit()
    for user_id in users:
        try:
            await _send_timeout(bot, user_id, services.config)
        except TelegramError as exc:  # the draft is kept either way; the notice is only a courtesy
            log.warning("timeout notice failed user=%s: %s", user_id, exc)
    return len(users)


# --- routing: every message and button of a running registration comes here first ---------------------


async def route(update: Update, context: BotContext) -> None:
    """Hand the update to the sender's running registration and stop; without one, let it pass on."""
    user, chat, query = update.effective_user, update.effective_chat, update.callback_query
    message = query.message if query is not None else update.effective_message
    if user is None or chat is None or chat.type != ChatType.PRIVATE or not isinstance(message, Message):
        return
    services = context.services
    upload: Upload | None = None
    if query is None and _PRIVATE_DOCUMENT.check_update(update) and await _collecting(context, user.id):
        # Downloading and reading a file is slow: done before the transaction, not inside it.
        upload = await _read_upload(message, services.config)
    now = services.clock.now()
    async with services.sessions() as db:
        stored = await load_intake(db, user.id, lock=True)
        if stored is None or not stored.intake.active:
            return
        if not _running(stored, now, services.config):
            stored.intake.active = False
            await store_intake(db, user.id, stored.intake, now=now)
            await db.commit()
            turn = None
        elif update.update_id in stored.intake.applied:
            # Delivered again after a crash (polling confirms only handled updates): it was applied.
            raise ApplicationHandlerStop
        else:
            turn = Turn(db, stored.intake, message, update)
            await _step(turn, context, upload)
            await _close(turn, user.id, now)
    if turn is None:
        # As when a conversation times out: say so once; this update goes on to the other handlers.
        await _send_timeout(context.bot, chat.id, services.config)
        return
    await turn.deliver()
    raise ApplicationHandlerStop


async def _collecting(context: BotContext, user_id: int) -> bool:
    services = context.services
    async with services.sessions() as db:
        await db.connection(execution_options={"sqlite_deferred": True})  # a read: no write lock
        stored = await load_intake(db, user_id)
    return (
        stored is not None and _running(stored, services.clock.now(), services.config) and stored.intake.step == COLLECT
    )


async def _step(turn: Turn, context: BotContext, upload: Upload | None) -> None:
    update, step = turn.update, turn.intake.step
    if update.callback_query is not None:
        await on_button(turn, context)
    elif step == COLLECT and _PRIVATE_DOCUMENT.check_update(update):
        await collect_document(turn, context, upload or await _read_upload(turn.message, context.services.config))
    elif _PRIVATE_TEXT.check_update(update):
        await _TEXT_STEPS[step](turn, context)
    else:
        turn.reply(texts.ND_UNEXPECTED)


# --- entry -----------------------------------------------------------------------------------------


async def start(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "newdirective")
    if caller is None:
        return
    services = context.services
    async with services.sessions() as db:
        stored = await load_intake(db, caller.user.id, lock=True)
        old = stored.intake if stored is not None else None
        if old is not None and update.update_id in old.applied:
            return  # delivered again after a crash: it was applied
        if old is not None and (old.parts or old.draft is not None):
            turn = Turn(db, old, caller.message, update)
            what = (
                (old.draft.number or old.draft.title or texts.ND_RESUME_DUTIES.format(n=len(old.draft.duties)))
                if old.draft
                else texts.ND_RESUME_PARTS.format(n=len(old.parts))
            )
            markup = InlineKeyboardMarkup(
                [[_button(texts.ND_BTN_RESUME, old, "resume"), _button(texts.ND_BTN_RESTART, old, "restart")]]
            )
            turn.reply(texts.ND_RESUME.format(what=texts.esc(what)), markup)
            old.active = True  # running again, at the step it had reached
        else:
            turn = Turn(db, Intake.new(), caller.message, update)
            turn.reply(texts.ND_START, _collect_keyboard(turn.intake))
        await _close(turn, caller.user.id, services.clock.now())
    await turn.deliver()


# --- collecting text and files ----------------------------------------------------------------------


async def collect_text(turn: Turn, context: BotContext) -> None:
    intake = turn.intake
    part = nfc(turn.message.text or "")
    limit = context.services.config.max_text_chars
    size = sum(len(p) for p in intake.parts) + len(part)
    if size > limit:
        turn.reply(texts.ND_TOO_LONG.format(size=size, limit=limit))
        return
    intake.add_part(part, turn.message.message_id)
    chars = sum(len(p) for p in intake.parts)
    turn.reply(texts.ND_RECEIVED.format(parts=len(intake.parts), chars=chars), _collect_keyboard(intake))


@dataclass(frozen=True)
class Upload:
    """A document read for a registration: its text, or the reply saying why it cannot be used."""

    name: str
    text: str | None = None
    error: str | None = None


async def _read_upload(message: Message, config: Config) -> Upload:
    doc = message.document
    assert doc is not None
    name = doc.file_name or "tep"
    mb = 1_048_576
    if PurePath(name).suffix.lower() not in _ALLOWED_SUFFIXES:
        return Upload(name, error=texts.EXTRACT_ERRORS["unsupported"])
    if doc.file_size is not None and doc.file_size > config.max_file_bytes:
        size, limit = round(doc.file_size / mb, 1), round(config.max_file_bytes / mb, 1)
        return Upload(name, error=texts.ND_FILE_TOO_LARGE.format(size=size, limit=limit))
    sandbox = Sandbox(timeout_s=config.extract_timeout_s, memory_bytes=config.extract_memory_mb * mb)
    try:
        data = bytes(await (await doc.get_file()).download_as_bytearray())
        # In a child process: a crafted file can cost neither this loop's time nor its memory.
        text = await extract_isolated(data, name, doc.mime_type, config.extract_limits(), sandbox)
    except ExtractError as exc:
        values = {"limit": round(config.max_file_bytes / mb, 1), **exc.values}
        return Upload(name, error=texts.EXTRACT_ERRORS[exc.kind].format(**values))
    except TelegramError as exc:
        log.warning("document download failed: %s", exc)
        return Upload(name, error=texts.EXTRACT_ERRORS["corrupt"])
    return Upload(name, text=text)


async def collect_document(turn: Turn, context: BotContext, upload: Upload) -> None:
    if upload.text is None:
        turn.reply(upload.error or texts.EXTRACT_ERRORS["corrupt"])
        return
    turn.intake.set_parts([upload.text])
    await _analyse(turn, file_name=upload.name)


async def _analyse(turn: Turn, *, file_name: str | None) -> None:
    intake = turn.intake
    intake.step = COLLECT  # unless a preview follows
    source = normalise_text("\n".join(intake.parts))
    if not source.strip():
        turn.reply(texts.ND_NOTHING_YET, _collect_keyboard(intake))
        return
    directory = await turn.directory()
    parsed = parse_directive(source, directory)
    if not parsed.duties:
        markup = InlineKeyboardMarkup(
            [[_button(texts.ND_BTN_MANUAL, intake, "manual"), _button(texts.ND_BTN_CANCEL, intake, "cancel")]]
        )
        turn.reply(texts.ND_NO_DUTIES, markup)
        intake.set_parts([])
        return
    draft = draft_from_parsed(parsed, source, file_name)
    intake.draft = draft
    duplicate = await find_duplicate(turn.db, draft)
    if duplicate is not None:
        existing, why = duplicate
        if why == "file":
            intake.draft = None
            intake.set_parts([])
            view = [_button(texts.ND_BTN_VIEW.format(id=existing.id), intake, "view", existing.id)]
            markup = InlineKeyboardMarkup([view, [_button(texts.ND_BTN_CANCEL, intake, "cancel")]])
            turn.reply(texts.ND_DUPLICATE_FILE.format(**_duplicate_values(existing)), markup)
            return
        _warn_same_number(turn, existing)
    await _show_preview(turn)


def _duplicate_values(existing: Directive) -> dict[str, object]:
    return {"id": existing.id, "number": texts.esc(existing.number or ""), "title": texts.esc(existing.title)}


def _warn_same_number(turn: Turn, existing: Directive) -> None:
    """Another directive already has this number: say so and offer it; the secretary may go on."""
    view = [_button(texts.ND_BTN_VIEW.format(id=existing.id), turn.intake, "view", existing.id)]
    turn.reply(texts.ND_DUPLICATE_NUMBER.format(**_duplicate_values(existing)), InlineKeyboardMarkup([view]))


# --- manual entry ------------------------------------------------------------------------------------


async def manual_header(turn: Turn, context: BotContext) -> None:
    intake = turn.intake
    lines = [line.strip() for line in nfc(turn.message.text or "").splitlines() if line.strip()]
    if len(lines) < 2 or len(lines[0]) > 64:
        turn.reply(texts.ND_MANUAL_HEADER_BAD)
        return
    intake.draft = Draft(source_text="", number=lines[0], title=" ".join(lines[1:])[:1000])
    duplicate = await find_duplicate(turn.db, intake.draft)
    if duplicate is not None:
        _warn_same_number(turn, duplicate[0])
    turn.reply(texts.ND_MANUAL_DUTY, _collect_keyboard(intake))
    intake.step = MANUAL_DUTIES


async def manual_duty_text(turn: Turn, context: BotContext) -> None:
    draft = turn.intake.draft
    if draft is None:  # cannot happen at this step; ends the conversation as it did in memory
        turn.intake.active = False
        return
    text = nfc(turn.message.text or "").strip()
    if len(text) > 4000:
        turn.reply(texts.TEXT_TOO_LONG.format(size=len(text), limit=4000))
        return
    directory = await turn.directory()
    duty = manual_duty(text, len(draft.duties) + 1, directory)
    draft.duties.append(duty)
    draft.source_text += f"{duty.label}. {duty.text}\n"
    if duty.leads:
        names = ", ".join(u.name for c in duty.leads if (u := directory.get(c)) is not None)
        reply = texts.ND_MANUAL_ADDED.format(label=duty.label, leads=texts.esc(names))
    else:
        reply = texts.ND_MANUAL_ADDED_NO_UNIT.format(label=duty.label)
    turn.reply(reply, _collect_keyboard(turn.intake))


# --- preview edits ------------------------------------------------------------------------------------


async def preview_edit(turn: Turn, context: BotContext) -> None:
    draft = turn.intake.draft
    if draft is None:  # cannot happen at this step; ends the conversation as it did in memory
        turn.intake.active = False
        return
    directory = await turn.directory()
    services = context.services
    today = services.clock.now().astimezone(services.config.tz).date()
    try:
        result = apply_edit(draft, (turn.message.text or "")[:2000], directory, today)
    except EditError as exc:
        values = dict(exc.values)
        names = [texts.EDIT_HINT_LINE.format(name=texts.esc(n)) for n in str(values.pop("hints", "")).split("\n") if n]
        values = {k: texts.esc(v) for k, v in values.items()}
        values["hints"] = texts.EDIT_HINTS.format(names="\n".join(names)) if names else ""
        turn.reply(texts.EDIT_ERRORS[exc.key].format(**values))
        return
    labels = ", ".join(result.labels) if result.labels else ""
    what = texts.ND_EDIT_WHAT[result.action].format(labels=texts.esc(labels or "—"))
    turn.reply(texts.ND_EDIT_DONE.format(what=what))
    await _show_preview(turn)


_TEXT_STEPS: dict[IntakeStep, Callable[[Turn, BotContext], Awaitable[None]]] = {
    COLLECT: collect_text,
    MANUAL_HEADER: manual_header,
    MANUAL_DUTIES: manual_duty_text,
    PREVIEW: preview_edit,
}


# --- buttons ---------------------------------------------------------------------------------------------

Action = Callable[[Turn, BotContext, list[str]], Awaitable[None]]


async def on_button(turn: Turn, context: BotContext) -> None:
    query = turn.update.callback_query
    assert query is not None
    parts = (query.data or "").split("|")
    action = _ACTIONS.get(parts[2]) if len(parts) >= 3 and parts[1] == turn.intake.nonce else None
    if action is None:
        # A button of an older registration (or forged): refused, and nothing is written.
        turn.touched = False
        turn.later(lambda: query.answer(texts.ND_STALE_BUTTON, show_alert=True))
        return
    await action(turn, context, parts[3:])


async def _act_done(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    intake = turn.intake
    if intake.step == MANUAL_DUTIES and intake.draft is not None:
        if not intake.draft.duties:
            turn.reply(texts.ND_MANUAL_DUTY)
            return
        await _show_preview(turn)
        return
    if not intake.parts:
        turn.reply(texts.ND_NOTHING_YET)
        intake.step = COLLECT
        return
    await _analyse(turn, file_name=None)


async def _act_manual(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    turn.intake.set_parts([])
    turn.intake.draft = None
    turn.intake.step = MANUAL_HEADER
    turn.reply(texts.ND_MANUAL_START)


async def _act_cancel(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    turn.ended = True
    turn.reply(texts.ND_CANCELLED)


async def _act_plan(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    rows = [[_button(texts.ND_PLANS[key], turn.intake, "plan_set", key)] for key in PRESETS]
    turn.reply(texts.ND_PLAN_TITLE, InlineKeyboardMarkup(rows))


async def _act_plan_set(turn: Turn, context: BotContext, args: list[str]) -> None:
    draft = turn.intake.draft
    if draft is None or not args or args[0] not in PRESETS:
        turn.answer(texts.ND_STALE_BUTTON)
        return
    draft.plan = args[0]
    label = texts.ND_PLAN_SET.format(plan=texts.ND_PLANS[args[0]])
    turn.answer(label)
    turn.edit(label)


async def _act_units(turn: Turn, context: BotContext, args: list[str]) -> None:
    """Every unit of one duty, when the preview shows only their count."""
    draft = turn.intake.draft
    index = ascii_int(args[0]) if args else None
    turn.touched = False  # reading only
    if draft is None or index is None or not 0 <= index < len(draft.duties):
        update = turn.update
        turn.later(lambda: _answer(update, texts.ND_STALE_BUTTON))
        return
    turn.answer()
    turn.reply_chunks(render_duty_units(draft.duties[index], await turn.directory()))


async def _act_edit(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    turn.reply(texts.ND_EDIT_HELP)


async def _act_pick(turn: Turn, context: BotContext, args: list[str]) -> None:
    draft = turn.intake.draft
    di = callbacks.index(args[0], len(draft.duties)) if draft and len(args) in (2, 3) else None
    duty = draft.duties[di] if draft and di is not None else None
    ui = callbacks.index(args[1], len(duty.unresolved)) if duty else None
    item = duty.unresolved[ui] if duty and ui is not None else None
    si = callbacks.index(args[2], len(item.suggestions)) if item and len(args) == 3 else None
    if draft is None or di is None or duty is None or ui is None or item is None or (len(args) == 3 and si is None):
        turn.answer(texts.ND_STALE_BUTTON)
        return
    code = item.suggestions[si] if si is not None else None
    directory = await turn.directory()
    pick_suggestion(draft, di, ui, code)
    unit = directory.get(code) if code else None
    note = texts.ND_PICKED.format(unit=unit.name, label=duty.label) if unit else texts.ND_SKIPPED.format(text=item.text)
    turn.answer(note[:190])
    await _show_preview(turn)


async def _act_save(turn: Turn, context: BotContext, args: list[str]) -> None:
    draft, user = turn.intake.draft, turn.update.effective_user
    if draft is None or user is None or args not in ([], ["1"]):
        turn.answer(texts.ND_STALE_BUTTON)
        return
    question = None if args else render_save_confirm(draft)
    if question is not None:
        # Unresolved names would be dropped and unassigned duties go to nobody: ask once first.
        turn.answer()
        markup = InlineKeyboardMarkup(
            [
                [
                    _button(texts.ND_BTN_SAVE_ANYWAY, turn.intake, "save", 1),
                    _button(texts.ND_BTN_GO_BACK, turn.intake, "back"),
                ]
            ]
        )
        turn.reply_chunks(question, markup)
        return
    services = context.services
    try:
        # A savepoint: a refused save leaves the registration's own transaction usable.
        async with turn.db.begin_nested():
            saved = await save_draft(turn.db, draft, actor=user.id, now=services.clock.now())
    except DirectiveError as exc:
        turn.answer()
        turn.reply(texts.ND_SAVE_BLOCKED[exc.key].format(**{k: texts.esc(v) for k, v in exc.values.items()}))
        turn.intake.step = PREVIEW
        return
    except IntegrityError:
        # Two saves raced on the same document: the unique file hash kept one.
        turn.answer()
        turn.reply(texts.ND_SAVE_BLOCKED["duplicate_file"])
        turn.intake.step = PREVIEW
        return
    # The directive and the end of the registration commit together.
    turn.ended = True
    turn.answer()
    turn.reply_chunks(render_saved(saved, draft.number, draft.title))

    async def send_notices() -> None:
        try:
            await dispatch(context.bot, services)
        except Exception:  # the notices stay queued in the outbox; saving already succeeded
            log.exception("sending notices failed directive=%s", saved.directive_id)

    turn.later(send_notices)


async def _act_view(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    directive_id = callbacks.row_id(args[0]) if len(args) == 1 else None
    if directive_id is None:
        return
    detail = await get_detail(turn.db, directive_id)
    if detail is not None:
        turn.reply_chunks(render_detail(detail))


async def _act_resume(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    intake = turn.intake
    if intake.draft is not None and intake.step == PREVIEW:
        await _show_preview(turn)
        return
    turn.reply(
        texts.ND_RECEIVED.format(parts=len(intake.parts), chars=sum(len(p) for p in intake.parts)),
        _collect_keyboard(intake),
    )


async def _act_restart(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    turn.intake = Intake.new()  # a new nonce: every button of the old draft is stale now
    turn.reply(texts.ND_START, _collect_keyboard(turn.intake))


async def _answer(update: Update, text: str | None = None) -> None:
    if update.callback_query is not None:
        # an expired query id must not stop the action itself
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(text)


# --- unit picker: duty -> kind of unit -> toggle units (edited in place) --------------------------


def _kinds(directory: UnitDirectory) -> list[str]:
    return sorted({u.kind for u in directory.all()})


def _units_of(directory: UnitDirectory, kind: str) -> list[UnitRef]:
    return sorted((u for u in directory.all() if u.kind == kind), key=lambda u: u.name)


def _unit_keyboard(intake: Intake, di: int, ki: int, directory: UnitDirectory) -> InlineKeyboardMarkup:
    assert intake.draft is not None
    duty = intake.draft.duties[di]
    rows = []
    for ui, unit in enumerate(_units_of(directory, _kinds(directory)[ki])):
        mark = "👑 " if unit.code in duty.leads else "🤝 " if unit.code in duty.supports else ""
        rows.append([_button(f"{mark}{unit.name}"[:64], intake, "pkt", di, ki, ui)])
    rows.append([_button(texts.ND_BTN_BACK, intake, "pkd", di), _button(texts.ND_BTN_PICK_DONE, intake, "pkx")])
    return InlineKeyboardMarkup(rows)


async def _act_pick_duty(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    draft = turn.intake.draft
    if draft is None:
        return
    buttons = [_button(d.label, turn.intake, "pkd", i) for i, d in enumerate(draft.duties[:60])]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    turn.reply(texts.ND_PICK_DUTY, InlineKeyboardMarkup(rows))


async def _act_pick_kind(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    draft = turn.intake.draft
    di = callbacks.index(args[0], len(draft.duties)) if draft and len(args) == 1 else None
    if draft is None or di is None:
        return
    directory = await turn.directory()
    rows = [
        [_button(texts.UNIT_KIND_NAMES.get(kind, kind)[:60], turn.intake, "pkk", di, ki)]
        for ki, kind in enumerate(_kinds(directory))
    ]
    text = texts.ND_PICK_KIND.format(label=texts.esc(draft.duties[di].label))
    message_text = turn.message.text
    if message_text and message_text.startswith(texts.strip_tags(texts.ND_PICK_DUTY)[:10]):
        turn.reply(text, InlineKeyboardMarkup(rows))  # the duty list stays, for the next duty
    else:
        turn.edit(text, InlineKeyboardMarkup(rows))


async def _act_pick_units(turn: Turn, context: BotContext, args: list[str]) -> None:
    directory = await turn.directory()
    draft = turn.intake.draft
    kinds = _kinds(directory)
    di = callbacks.index(args[0], len(draft.duties)) if draft and len(args) in (2, 3) else None
    ki = callbacks.index(args[1], len(kinds)) if di is not None else None
    units = _units_of(directory, kinds[ki]) if ki is not None else []
    ti = callbacks.index(args[2], len(units)) if ki is not None and len(args) == 3 else None
    if draft is None or di is None or ki is None or (len(args) == 3 and ti is None):
        turn.answer(texts.ND_STALE_BUTTON)
        return
    duty, kind = draft.duties[di], kinds[ki]
    toggled = units[ti] if ti is not None else None
    if toggled is not None:
        # Cycle: not assigned -> lead -> support -> not assigned.
        if toggled.code in duty.leads:
            duty.leads.remove(toggled.code)
            duty.supports.append(toggled.code)
        elif toggled.code in duty.supports:
            duty.supports.remove(toggled.code)
        else:
            duty.add(toggled.code, "lead")
        duty.general = False
    turn.answer()
    text = texts.ND_PICK_UNITS.format(
        label=texts.esc(duty.label), kind=texts.esc(texts.UNIT_KIND_NAMES.get(kind, kind))
    )
    turn.edit(text, _unit_keyboard(turn.intake, di, ki, directory))


async def _act_pick_done(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    if turn.intake.draft is not None:
        await _show_preview(turn)


_ACTIONS: dict[str, Action] = {
    "pk": _act_pick_duty,
    "pkd": _act_pick_kind,
    "pkk": _act_pick_units,
    "pkt": _act_pick_units,
    "pkx": _act_pick_done,
    "back": _act_pick_done,
    "done": _act_done,
    "manual": _act_manual,
    "cancel": _act_cancel,
    "plan": _act_plan,
    "plan_set": _act_plan_set,
    "edit": _act_edit,
    "units": _act_units,
    "pick": _act_pick,
    "skip": _act_pick,
    "save": _act_save,
    "view": _act_view,
    "resume": _act_resume,
    "restart": _act_restart,
}


# --- leaving --------------------------------------------------------------------------------------------


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel, anywhere: ends the sender's registration, running or timed out."""
    message, user = update.effective_message, update.effective_user
    had = False
    if user is not None:
        async with context.services.sessions() as db:
            had = await drop_intake(db, user.id)
            await db.commit()
    if message is not None:
        await message.reply_html(texts.ND_CANCELLED if had else texts.ND_NOTHING_TO_CANCEL)


async def stale_button(update: Update, context: BotContext) -> None:
    """A /newdirective button pressed when no matching registration is running."""
    if update.callback_query is not None:
        await _answer(update, texts.ND_STALE_BUTTON)


def routes() -> list[BaseHandler[Any, Any, Any]]:
    """For group GROUP: each loads the sender's registration and claims the update only if it runs."""
    return [MessageHandler(_PRIVATE_MESSAGE, route), CallbackQueryHandler(route, pattern=r"^nd\|")]


def build(app: DondocApp) -> list[BaseHandler[Any, Any, Any]]:
    """For group 0, first: /newdirective starts or offers to resume; a button nobody claimed is stale."""
    return [CommandHandler("newdirective", start), CallbackQueryHandler(stale_button, pattern=r"^nd\|")]
