"""Collecting the text or file, manual entry and preview edits: what a typed message means at each step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePath

from telegram import InlineKeyboardMarkup, Message
from telegram.error import TelegramError

from bot import texts
from bot.config import Config
from bot.context import BotContext
from bot.domain.draft import (
    Draft,
    EditError,
    IntakeStep,
    apply_edit,
    draft_from_parsed,
    manual_duty,
)
from bot.domain.extract import ExtractError
from bot.domain.parser import normalise_text, parse_directive
from bot.domain.textnorm import nfc
from bot.handlers.newdirective.turn import (
    ALLOWED_SUFFIXES,
    COLLECT,
    MANUAL_DUTIES,
    MANUAL_HEADER,
    PREVIEW,
    Turn,
    button,
    collect_keyboard,
    log,
    show_preview,
)
from bot.runtime.extract_worker import Sandbox, extract_isolated
from bot.services.directives import (
    Directive,
    find_duplicate,
)

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
    turn.reply(texts.ND_RECEIVED.format(parts=len(intake.parts), chars=chars), collect_keyboard(intake))


@dataclass(frozen=True)
class Upload:
    """A document read for a registration: its text, or the reply saying why it cannot be used."""

    name: str
    text: str | None = None
    error: str | None = None


async def read_upload(message: Message, config: Config) -> Upload:
    doc = message.document
    assert doc is not None
    name = doc.file_name or "tep"
    mb = 1_048_576
    if PurePath(name).suffix.lower() not in ALLOWED_SUFFIXES:
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
    await analyse(turn, file_name=upload.name)


async def analyse(turn: Turn, *, file_name: str | None) -> None:
    intake = turn.intake
    intake.step = COLLECT  # unless a preview follows
    source = normalise_text("\n".join(intake.parts))
    if not source.strip():
        turn.reply(texts.ND_NOTHING_YET, collect_keyboard(intake))
        return
    directory = await turn.directory()
    parsed = parse_directive(source, directory)
    if not parsed.duties:
        markup = InlineKeyboardMarkup(
            [[button(texts.ND_BTN_MANUAL, intake, "manual"), button(texts.ND_BTN_CANCEL, intake, "cancel")]]
        )
        turn.reply(texts.ND_NO_DUTIES, markup)
        intake.set_parts([])
        return
    draft = draft_from_parsed(parsed, source, file_name)
    intake.draft = draft
    duplicate = await find_duplicate(turn.db, draft)
    if duplicate is not None and duplicate[1] == "file":
        _refuse_same_file(turn, duplicate[0])
        return
    if duplicate is not None:
        _warn_same_number(turn, duplicate[0])
    await show_preview(turn)


def _refuse_same_file(turn: Turn, existing: Directive) -> None:
    """The same document is registered already: no new draft, a button to the one saved."""
    intake = turn.intake
    intake.draft = None
    intake.set_parts([])
    view = [button(texts.ND_BTN_VIEW.format(id=existing.id), intake, "view", existing.id)]
    markup = InlineKeyboardMarkup([view, [button(texts.ND_BTN_CANCEL, intake, "cancel")]])
    turn.reply(texts.ND_DUPLICATE_FILE.format(**_duplicate_values(existing)), markup)


def _duplicate_values(existing: Directive) -> dict[str, object]:
    return {"id": existing.id, "number": texts.esc(existing.number or ""), "title": texts.esc(existing.title)}


def _warn_same_number(turn: Turn, existing: Directive) -> None:
    """Another directive already has this number: say so and offer it; the secretary may go on."""
    view = [button(texts.ND_BTN_VIEW.format(id=existing.id), turn.intake, "view", existing.id)]
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
    turn.reply(texts.ND_MANUAL_DUTY, collect_keyboard(intake))
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
    turn.reply(reply, collect_keyboard(turn.intake))


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
    await show_preview(turn)


TEXT_STEPS: dict[IntakeStep, Callable[[Turn, BotContext], Awaitable[None]]] = {
    COLLECT: collect_text,
    MANUAL_HEADER: manual_header,
    MANUAL_DUTIES: manual_duty_text,
    PREVIEW: preview_edit,
}
