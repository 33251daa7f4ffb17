"""/newdirective: paste or upload a directive, check and fix the extraction, save.

The conversation keeps its draft in user_data, so a timed-out or interrupted session can be
resumed with /newdirective. Button data is "nd|<nonce>|<action>[|args]"; the nonce ties a button
to one draft, so a button of an older preview is recognised as stale.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import warnings
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy.exc import IntegrityError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import texts
from bot.context import BotContext, DondocApp
from bot.dispatch import dispatch
from bot.domain import callbacks
from bot.domain.draft import Draft, EditError, apply_edit, draft_from_parsed, manual_duty, pick_suggestion
from bot.domain.extract import ExtractError, extract_text
from bot.domain.parser import normalise_text, parse_directive
from bot.domain.plans import PRESETS
from bot.domain.textnorm import nfc
from bot.domain.units import UnitDirectory, UnitRef
from bot.handlers.common import guard, reply_chunks
from bot.services.directives import DirectiveError, find_duplicate, get_detail, save_draft
from bot.services.units import load_directory
from bot.views_directives import render_detail, render_preview, render_save_confirm, render_saved
from db.models import Directive

log = logging.getLogger("dondoc.newdirective")

COLLECT, MANUAL_HEADER, MANUAL_DUTIES, PREVIEW = range(4)
_KEY = "newdirective"
_ALLOWED_SUFFIXES = {".docx", ".pdf", ".txt"}
_MAX_SUGGESTION_ROWS = 8


@dataclass
class Session:
    """What one secretary has typed so far. Lives in user_data (in memory, per user)."""

    nonce: str
    parts: list[str] = field(default_factory=list)
    draft: Draft | None = None
    state: int = COLLECT


def _session(context: BotContext) -> Session | None:
    value = context.user_data.get(_KEY) if context.user_data is not None else None
    return value if isinstance(value, Session) else None


def _new_session(context: BotContext) -> Session:
    session = Session(nonce=secrets.token_hex(3))
    if context.user_data is not None:
        context.user_data[_KEY] = session
    return session


def _drop_session(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(_KEY, None)


def _button(text: str, session: Session, action: str, *args: object) -> InlineKeyboardButton:
    data = "|".join(["nd", session.nonce, action, *(str(a) for a in args)])
    return InlineKeyboardButton(text, callback_data=data)


def _collect_keyboard(session: Session) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(texts.ND_BTN_DONE, session, "done"), _button(texts.ND_BTN_MANUAL, session, "manual")],
            [_button(texts.ND_BTN_CANCEL, session, "cancel")],
        ]
    )


def _preview_keyboard(session: Session, directory: UnitDirectory) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    draft = session.draft
    assert draft is not None
    for di, duty in enumerate(draft.duties):
        for ui, item in enumerate(duty.unresolved):
            if len(rows) >= _MAX_SUGGESTION_ROWS:
                break
            row = [
                _button(f"{duty.label}: {unit.name}"[:60], session, "pick", di, ui, si)
                for si, code in enumerate(item.suggestions[:2])
                if (unit := directory.get(code)) is not None
            ]
            row.append(_button(texts.ND_BTN_SKIP.format(text=item.text[:20]), session, "skip", di, ui))
            rows.append(row)
    rows.append([_button(texts.ND_BTN_PICK, session, "pk"), _button(texts.ND_BTN_PLAN, session, "plan")])
    rows.append([_button(texts.ND_BTN_EDIT, session, "edit")])
    rows.append([_button(texts.ND_BTN_SAVE, session, "save"), _button(texts.ND_BTN_CANCEL, session, "cancel")])
    return InlineKeyboardMarkup(rows)


async def _directory(context: BotContext) -> UnitDirectory:
    async with context.services.sessions() as db:
        return await load_directory(db)


async def _show_preview(message: Message, context: BotContext, session: Session) -> int:
    assert session.draft is not None
    directory = await _directory(context)
    await reply_chunks(message, render_preview(session.draft, directory), _preview_keyboard(session, directory))
    session.state = PREVIEW
    return PREVIEW


# --- entry -----------------------------------------------------------------------------------------


async def start(update: Update, context: BotContext) -> int:
    caller = await guard(update, context, "newdirective")
    if caller is None:
        return ConversationHandler.END
    message = caller.message
    old = _session(context)
    if old is not None and (old.parts or old.draft is not None):
        what = (
            (old.draft.number or old.draft.title or texts.ND_RESUME_DUTIES.format(n=len(old.draft.duties)))
            if old.draft
            else texts.ND_RESUME_PARTS.format(n=len(old.parts))
        )
        markup = InlineKeyboardMarkup(
            [[_button(texts.ND_BTN_RESUME, old, "resume"), _button(texts.ND_BTN_RESTART, old, "restart")]]
        )
        await message.reply_html(texts.ND_RESUME.format(what=texts.esc(what)), reply_markup=markup)
        return old.state
    session = _new_session(context)
    await message.reply_html(texts.ND_START, reply_markup=_collect_keyboard(session))
    return COLLECT


# --- collecting text and files ----------------------------------------------------------------------


async def collect_text(update: Update, context: BotContext) -> int:
    message = update.effective_message
    session = _session(context)
    if message is None or message.text is None or session is None:
        return ConversationHandler.END
    part = nfc(message.text)
    limit = context.services.config.max_text_chars
    size = sum(len(p) for p in session.parts) + len(part)
    if size > limit:
        await message.reply_html(texts.ND_TOO_LONG.format(size=size, limit=limit))
        return COLLECT
    session.parts.append(part)
    chars = sum(len(p) for p in session.parts)
    await message.reply_html(
        texts.ND_RECEIVED.format(parts=len(session.parts), chars=chars), reply_markup=_collect_keyboard(session)
    )
    return COLLECT


async def collect_document(update: Update, context: BotContext) -> int:
    message = update.effective_message
    session = _session(context) or _new_session(context)
    if message is None or message.document is None:
        return COLLECT
    doc = message.document
    name = doc.file_name or "tep"
    config = context.services.config
    if PurePath(name).suffix.lower() not in _ALLOWED_SUFFIXES:
        await message.reply_html(texts.EXTRACT_ERRORS["unsupported"])
        return COLLECT
    if doc.file_size is not None and doc.file_size > config.max_file_bytes:
        await message.reply_html(
            texts.ND_FILE_TOO_LARGE.format(
                size=round(doc.file_size / 1_048_576, 1), limit=round(config.max_file_bytes / 1_048_576, 1)
            )
        )
        return COLLECT
    try:
        data = bytes(await (await doc.get_file()).download_as_bytearray())
        text = extract_text(data, name, doc.mime_type, max_bytes=config.max_file_bytes)
    except ExtractError as exc:
        limit = round(config.max_file_bytes / 1_048_576, 1)
        await message.reply_html(texts.EXTRACT_ERRORS[exc.kind].format(limit=limit))
        return COLLECT
    except TelegramError as exc:
        log.warning("document download failed: %s", exc)
        await message.reply_html(texts.EXTRACT_ERRORS["corrupt"])
        return COLLECT
    if len(text) > config.max_text_chars:
        await message.reply_html(texts.ND_TOO_LONG.format(size=len(text), limit=config.max_text_chars))
        return COLLECT
    session.parts = [text]
    return await _analyse(message, context, session, file_name=name)


async def _analyse(message: Message, context: BotContext, session: Session, *, file_name: str | None) -> int:
    source = normalise_text("\n".join(session.parts))
    if not source.strip():
        await message.reply_html(texts.ND_NOTHING_YET, reply_markup=_collect_keyboard(session))
        return COLLECT
    directory = await _directory(context)
    parsed = parse_directive(source, directory)
    if not parsed.duties:
        markup = InlineKeyboardMarkup(
            [[_button(texts.ND_BTN_MANUAL, session, "manual"), _button(texts.ND_BTN_CANCEL, session, "cancel")]]
        )
        await message.reply_html(texts.ND_NO_DUTIES, reply_markup=markup)
        session.parts = []
        return COLLECT
    draft = draft_from_parsed(parsed, source, file_name)
    session.draft = draft
    async with context.services.sessions() as db:
        duplicate = await find_duplicate(db, draft)
    if duplicate is not None:
        existing, why = duplicate
        if why == "file":
            session.draft = None
            session.parts = []
            view = [_button(texts.ND_BTN_VIEW.format(id=existing.id), session, "view", existing.id)]
            markup = InlineKeyboardMarkup([view, [_button(texts.ND_BTN_CANCEL, session, "cancel")]])
            await message.reply_html(texts.ND_DUPLICATE_FILE.format(**_duplicate_values(existing)), reply_markup=markup)
            return COLLECT
        await _warn_same_number(message, session, existing)
    return await _show_preview(message, context, session)


def _duplicate_values(existing: Directive) -> dict[str, object]:
    return {"id": existing.id, "number": texts.esc(existing.number or ""), "title": texts.esc(existing.title)}


async def _warn_same_number(message: Message, session: Session, existing: Directive) -> None:
    """Another directive already has this number: say so and offer it; the secretary may go on."""
    view = [_button(texts.ND_BTN_VIEW.format(id=existing.id), session, "view", existing.id)]
    await message.reply_html(
        texts.ND_DUPLICATE_NUMBER.format(**_duplicate_values(existing)), reply_markup=InlineKeyboardMarkup([view])
    )


# --- manual entry ------------------------------------------------------------------------------------


async def manual_header(update: Update, context: BotContext) -> int:
    message = update.effective_message
    session = _session(context)
    if message is None or message.text is None or session is None:
        return ConversationHandler.END
    lines = [line.strip() for line in nfc(message.text).splitlines() if line.strip()]
    if len(lines) < 2 or len(lines[0]) > 64:
        await message.reply_html(texts.ND_MANUAL_HEADER_BAD)
        return MANUAL_HEADER
    session.draft = Draft(source_text="", number=lines[0], title=" ".join(lines[1:])[:1000])
    async with context.services.sessions() as db:
        duplicate = await find_duplicate(db, session.draft)
    if duplicate is not None:
        await _warn_same_number(message, session, duplicate[0])
    await message.reply_html(texts.ND_MANUAL_DUTY, reply_markup=_collect_keyboard(session))
    session.state = MANUAL_DUTIES
    return MANUAL_DUTIES


async def manual_duty_text(update: Update, context: BotContext) -> int:
    message = update.effective_message
    session = _session(context)
    if message is None or message.text is None or session is None or session.draft is None:
        return ConversationHandler.END
    text = nfc(message.text).strip()
    if len(text) > 4000:
        await message.reply_html(texts.TEXT_TOO_LONG.format(size=len(text), limit=4000))
        return MANUAL_DUTIES
    directory = await _directory(context)
    duty = manual_duty(text, len(session.draft.duties) + 1, directory)
    session.draft.duties.append(duty)
    session.draft.source_text += f"{duty.label}. {duty.text}\n"
    if duty.leads:
        names = ", ".join(u.name for c in duty.leads if (u := directory.get(c)) is not None)
        reply = texts.ND_MANUAL_ADDED.format(label=duty.label, leads=texts.esc(names))
    else:
        reply = texts.ND_MANUAL_ADDED_NO_UNIT.format(label=duty.label)
    await message.reply_html(reply, reply_markup=_collect_keyboard(session))
    return MANUAL_DUTIES


# --- preview edits ------------------------------------------------------------------------------------


async def preview_edit(update: Update, context: BotContext) -> int:
    message = update.effective_message
    session = _session(context)
    if message is None or message.text is None or session is None or session.draft is None:
        return ConversationHandler.END
    directory = await _directory(context)
    today = context.services.clock.now().astimezone(context.services.config.tz).date()
    try:
        result = apply_edit(session.draft, message.text[:2000], directory, today)
    except EditError as exc:
        values = dict(exc.values)
        if exc.key == "unknown_unit":
            values["hints"] = texts.EDIT_HINTS.format(names=values["hints"]) if values.get("hints") else ""
        await message.reply_html(texts.EDIT_ERRORS[exc.key].format(**{k: texts.esc(v) for k, v in values.items()}))
        return PREVIEW
    labels = ", ".join(result.labels) if result.labels else ""
    what = texts.ND_EDIT_WHAT[result.action].format(labels=texts.esc(labels or "—"))
    await message.reply_html(texts.ND_EDIT_DONE.format(what=what))
    return await _show_preview(message, context, session)


# --- buttons ---------------------------------------------------------------------------------------------


async def on_button(update: Update, context: BotContext) -> int | None:
    query = update.callback_query
    session = _session(context)
    if query is None or query.data is None:
        return None
    parts = query.data.split("|")
    if session is None or len(parts) < 3 or parts[1] != session.nonce:
        await query.answer(texts.ND_STALE_BUTTON, show_alert=True)
        return None
    action, args = parts[2], parts[3:]
    message = query.message if isinstance(query.message, Message) else None
    if message is None:
        await query.answer(texts.ND_STALE_BUTTON, show_alert=True)
        return None
    handler = _ACTIONS.get(action)
    if handler is None:
        await query.answer(texts.ND_STALE_BUTTON, show_alert=True)
        return None
    result: int = await handler(update, context, session, message, args)
    return result


async def _act_done(update: Update, context: BotContext, session: Session, message: Message, args: list[str]) -> int:
    await _answer(update)
    if session.state == MANUAL_DUTIES and session.draft is not None:
        if not session.draft.duties:
            await message.reply_html(texts.ND_MANUAL_DUTY)
            return MANUAL_DUTIES
        return await _show_preview(message, context, session)
    if not session.parts:
        await message.reply_html(texts.ND_NOTHING_YET)
        return COLLECT
    return await _analyse(message, context, session, file_name=None)


async def _act_manual(update: Update, context: BotContext, session: Session, message: Message, args: list[str]) -> int:
    await _answer(update)
    session.parts = []
    session.draft = None
    session.state = MANUAL_HEADER
    await message.reply_html(texts.ND_MANUAL_START)
    return MANUAL_HEADER


async def _act_cancel(update: Update, context: BotContext, session: Session, message: Message, args: list[str]) -> int:
    await _answer(update)
    _drop_session(context)
    await message.reply_html(texts.ND_CANCELLED)
    return ConversationHandler.END


async def _act_plan(update: Update, context: BotContext, session: Session, message: Message, args: list[str]) -> int:
    await _answer(update)
    rows = [[_button(texts.ND_PLANS[key], session, "plan_set", key)] for key in PRESETS]
    await message.reply_html(texts.ND_PLAN_TITLE, reply_markup=InlineKeyboardMarkup(rows))
    return session.state


async def _act_plan_set(
    update: Update, context: BotContext, session: Session, message: Message, args: list[str]
) -> int:
    if session.draft is None or not args or args[0] not in PRESETS:
        await _answer(update, texts.ND_STALE_BUTTON)
        return session.state
    session.draft.plan = args[0]
    label = texts.ND_PLAN_SET.format(plan=texts.ND_PLANS[args[0]])
    await _answer(update, label)
    # the choice is stored; a failed cosmetic edit changes nothing
    with contextlib.suppress(TelegramError):
        await message.edit_text(label)
    return session.state


async def _act_edit(update: Update, context: BotContext, session: Session, message: Message, args: list[str]) -> int:
    await _answer(update)
    await message.reply_html(texts.ND_EDIT_HELP)
    return session.state


async def _act_pick(update: Update, context: BotContext, session: Session, message: Message, args: list[str]) -> int:
    draft = session.draft
    di = callbacks.index(args[0], len(draft.duties)) if draft and len(args) in (2, 3) else None
    duty = draft.duties[di] if draft and di is not None else None
    ui = callbacks.index(args[1], len(duty.unresolved)) if duty else None
    item = duty.unresolved[ui] if duty and ui is not None else None
    si = callbacks.index(args[2], len(item.suggestions)) if item and len(args) == 3 else None
    if draft is None or di is None or duty is None or ui is None or item is None or (len(args) == 3 and si is None):
        await _answer(update, texts.ND_STALE_BUTTON)
        return session.state
    code = item.suggestions[si] if si is not None else None
    directory = await _directory(context)
    pick_suggestion(draft, di, ui, code)
    unit = directory.get(code) if code else None
    note = texts.ND_PICKED.format(unit=unit.name, label=duty.label) if unit else texts.ND_SKIPPED.format(text=item.text)
    await _answer(update, note[:190])
    return await _show_preview(message, context, session)


async def _act_save(update: Update, context: BotContext, session: Session, message: Message, args: list[str]) -> int:
    draft = session.draft
    user = update.effective_user
    if draft is None or user is None or args not in ([], ["1"]):
        await _answer(update, texts.ND_STALE_BUTTON)
        return session.state
    question = None if args else render_save_confirm(draft)
    if question is not None:
        # Unresolved names would be dropped and unassigned duties go to nobody: ask once first.
        await _answer(update)
        markup = InlineKeyboardMarkup(
            [[_button(texts.ND_BTN_SAVE_ANYWAY, session, "save", 1), _button(texts.ND_BTN_GO_BACK, session, "back")]]
        )
        await reply_chunks(message, question, markup)
        return session.state
    services = context.services
    try:
        async with services.sessions() as db:
            saved = await save_draft(db, draft, actor=user.id, now=services.clock.now())
            await db.commit()
    except DirectiveError as exc:
        await _answer(update)
        await message.reply_html(
            texts.ND_SAVE_BLOCKED[exc.key].format(**{k: texts.esc(v) for k, v in exc.values.items()})
        )
        return PREVIEW
    except IntegrityError:
        # Two saves raced on the same document: the unique file hash kept one.
        await _answer(update)
        await message.reply_html(texts.ND_SAVE_BLOCKED["duplicate_file"])
        return PREVIEW
    await _answer(update)
    _drop_session(context)
    await reply_chunks(message, render_saved(saved, draft.number, draft.title))
    try:
        await dispatch(context.bot, services)
    except Exception:  # the notices stay queued in the outbox; saving already succeeded
        log.exception("sending notices failed directive=%s", saved.directive_id)
    return ConversationHandler.END


async def _act_view(update: Update, context: BotContext, session: Session, message: Message, args: list[str]) -> int:
    await _answer(update)
    directive_id = callbacks.row_id(args[0]) if len(args) == 1 else None
    if directive_id is None:
        return session.state
    async with context.services.sessions() as db:
        detail = await get_detail(db, directive_id)
    if detail is not None:
        await reply_chunks(message, render_detail(detail))
    return session.state


async def _act_resume(update: Update, context: BotContext, session: Session, message: Message, args: list[str]) -> int:
    await _answer(update)
    if session.draft is not None and session.state == PREVIEW:
        return await _show_preview(message, context, session)
    await message.reply_html(
        texts.ND_RECEIVED.format(parts=len(session.parts), chars=sum(len(p) for p in session.parts)),
        reply_markup=_collect_keyboard(session),
    )
    return session.state


async def _act_restart(update: Update, context: BotContext, session: Session, message: Message, args: list[str]) -> int:
    await _answer(update)
    fresh = _new_session(context)
    await message.reply_html(texts.ND_START, reply_markup=_collect_keyboard(fresh))
    return COLLECT


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


def _unit_keyboard(session: Session, di: int, ki: int, directory: UnitDirectory) -> InlineKeyboardMarkup:
    assert session.draft is not None
    duty = session.draft.duties[di]
    rows = []
    for ui, unit in enumerate(_units_of(directory, _kinds(directory)[ki])):
        mark = "👑 " if unit.code in duty.leads else "🤝 " if unit.code in duty.supports else ""
        rows.append([_button(f"{mark}{unit.name}"[:64], session, "pkt", di, ki, ui)])
    rows.append([_button(texts.ND_BTN_BACK, session, "pkd", di), _button(texts.ND_BTN_PICK_DONE, session, "pkx")])
    return InlineKeyboardMarkup(rows)


async def _act_pick_duty(
    update: Update, context: BotContext, session: Session, message: Message, args: list[str]
) -> int:
    await _answer(update)
    if session.draft is None:
        return session.state
    buttons = [_button(d.label, session, "pkd", i) for i, d in enumerate(session.draft.duties[:60])]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    await message.reply_html(texts.ND_PICK_DUTY, reply_markup=InlineKeyboardMarkup(rows))
    return session.state


async def _act_pick_kind(
    update: Update, context: BotContext, session: Session, message: Message, args: list[str]
) -> int:
    await _answer(update)
    draft = session.draft
    di = callbacks.index(args[0], len(draft.duties)) if draft and len(args) == 1 else None
    if draft is None or di is None:
        return session.state
    directory = await _directory(context)
    rows = [
        [_button(texts.UNIT_KIND_NAMES.get(kind, kind)[:60], session, "pkk", di, ki)]
        for ki, kind in enumerate(_kinds(directory))
    ]
    text = texts.ND_PICK_KIND.format(label=texts.esc(draft.duties[di].label))
    with contextlib.suppress(TelegramError):  # editing fails only if nothing changed
        if message.text and message.text.startswith(texts.strip_tags(texts.ND_PICK_DUTY)[:10]):
            await message.reply_html(text, reply_markup=InlineKeyboardMarkup(rows))
        else:
            await message.edit_text(text, reply_markup=InlineKeyboardMarkup(rows))
    return session.state


async def _act_pick_units(
    update: Update, context: BotContext, session: Session, message: Message, args: list[str]
) -> int:
    directory = await _directory(context)
    draft = session.draft
    kinds = _kinds(directory)
    di = callbacks.index(args[0], len(draft.duties)) if draft and len(args) in (2, 3) else None
    ki = callbacks.index(args[1], len(kinds)) if di is not None else None
    units = _units_of(directory, kinds[ki]) if ki is not None else []
    ti = callbacks.index(args[2], len(units)) if ki is not None and len(args) == 3 else None
    if draft is None or di is None or ki is None or (len(args) == 3 and ti is None):
        await _answer(update, texts.ND_STALE_BUTTON)
        return session.state
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
    await _answer(update)
    text = texts.ND_PICK_UNITS.format(
        label=texts.esc(duty.label), kind=texts.esc(texts.UNIT_KIND_NAMES.get(kind, kind))
    )
    with contextlib.suppress(TelegramError):  # the choice is stored even if the redraw fails
        await message.edit_text(text, reply_markup=_unit_keyboard(session, di, ki, directory))
    return session.state


async def _act_pick_done(
    update: Update, context: BotContext, session: Session, message: Message, args: list[str]
) -> int:
    await _answer(update)
    if session.draft is None:
        return session.state
    return await _show_preview(message, context, session)


_ACTIONS: dict[str, Any] = {
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
    "pick": _act_pick,
    "skip": _act_pick,
    "save": _act_save,
    "view": _act_view,
    "resume": _act_resume,
    "restart": _act_restart,
}


# --- leaving --------------------------------------------------------------------------------------------


async def cancel(update: Update, context: BotContext) -> int:
    message = update.effective_message
    had = _session(context) is not None
    _drop_session(context)
    if message is not None:
        await message.reply_html(texts.ND_CANCELLED if had else texts.ND_NOTHING_TO_CANCEL)
    return ConversationHandler.END


async def unexpected(update: Update, context: BotContext) -> int | None:
    message = update.effective_message
    if message is not None:
        await message.reply_html(texts.ND_UNEXPECTED)
    return None


async def timed_out(update: Update, context: BotContext) -> None:
    """The draft stays in user_data; /newdirective offers to resume it."""
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is not None:
        minutes = max(1, context.services.config.conversation_timeout_s // 60)
        await context.bot.send_message(chat.id, texts.ND_TIMEOUT.format(minutes=minutes))


async def stale_button(update: Update, context: BotContext) -> None:
    """A /newdirective button pressed when no matching conversation is running."""
    if update.callback_query is not None:
        await _answer(update, texts.ND_STALE_BUTTON)


def build(app: DondocApp) -> list[BaseHandler[Any, Any, Any]]:
    private_text = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
    document = filters.Document.ALL & filters.ChatType.PRIVATE
    # Typed as Any: PTB's handler generics are invariant in the callback's return type.
    buttons: Any = CallbackQueryHandler(on_button, pattern=r"^nd\|")
    other: Any = MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND, unexpected)
    on_file: Any = MessageHandler(document, collect_document)
    with warnings.catch_warnings():
        # per_message=False is intended: the conversation is per user, buttons carry their own nonce.
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation: ConversationHandler[Any] = ConversationHandler(
            entry_points=[CommandHandler("newdirective", start)],
            states={
                COLLECT: [
                    MessageHandler(private_text, collect_text),
                    on_file,
                    buttons,
                ],
                MANUAL_HEADER: [MessageHandler(private_text, manual_header), buttons],
                MANUAL_DUTIES: [MessageHandler(private_text, manual_duty_text), buttons],
                PREVIEW: [MessageHandler(private_text, preview_edit), buttons],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
            },
            fallbacks=[CommandHandler("cancel", cancel), CommandHandler("newdirective", start), buttons, other],
            conversation_timeout=app.bot_data.config.conversation_timeout_s,
            allow_reentry=True,
            name="newdirective",
        )
    return [conversation, CallbackQueryHandler(stale_button, pattern=r"^nd\|")]
