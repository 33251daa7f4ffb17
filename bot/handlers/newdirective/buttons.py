"""The registration's buttons, the unit picker among them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from telegram import InlineKeyboardMarkup

from bot import texts
from bot.context import BotContext
from bot.domain import callbacks
from bot.domain.draft import (
    Draft,
    Intake,
    pick_suggestion,
)
from bot.domain.plans import PRESETS
from bot.domain.textnorm import ascii_int
from bot.domain.units import UnitDirectory, UnitRef
from bot.handlers.newdirective.steps import analyse
from bot.handlers.newdirective.turn import (
    COLLECT,
    MANUAL_DUTIES,
    MANUAL_HEADER,
    PREVIEW,
    Turn,
    answer,
    button,
    collect_keyboard,
    log,
    show_preview,
)
from bot.runtime.dispatch import dispatch
from bot.services.directives import (
    DirectiveError,
    SavedDirective,
    get_detail,
    save_draft,
)
from bot.views.directives import (
    render_detail,
    render_duty_units,
    render_save_confirm,
    render_saved,
)

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
        await show_preview(turn)
        return
    if not intake.parts:
        turn.reply(texts.ND_NOTHING_YET)
        intake.step = COLLECT
        return
    await analyse(turn, file_name=None)


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
    rows = [[button(texts.ND_PLANS[key], turn.intake, "plan_set", key)] for key in PRESETS]
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
        turn.later(lambda: answer(update, texts.ND_STALE_BUTTON))
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
    await show_preview(turn)


async def _act_save(turn: Turn, context: BotContext, args: list[str]) -> None:
    draft, user = turn.intake.draft, turn.update.effective_user
    if draft is None or user is None or args not in ([], ["1"]):
        turn.answer(texts.ND_STALE_BUTTON)
        return
    question = None if args else render_save_confirm(draft)
    if question is not None:
        # Unresolved names would be dropped and unassigned duties go to nobody: ask once first.
        turn.answer()
        yes = button(texts.ND_BTN_SAVE_ANYWAY, turn.intake, "save", 1)
        turn.reply_chunks(question, InlineKeyboardMarkup([[yes, button(texts.ND_BTN_GO_BACK, turn.intake, "back")]]))
        return
    saved = await _save(turn, draft, user.id, context.services.clock.now())
    if saved is None:
        return
    # The directive and the end of the registration commit together.
    turn.ended = True
    turn.answer()
    turn.reply_chunks(render_saved(saved, draft.number, draft.title))
    turn.later(lambda: _send_notices(context, saved.directive_id))


async def _save(turn: Turn, draft: Draft, actor: int, now: datetime) -> SavedDirective | None:
    """Save in a savepoint: a refused save leaves the registration's own transaction usable."""
    try:
        async with turn.db.begin_nested():
            return await save_draft(turn.db, draft, actor=actor, now=now)
    except DirectiveError as exc:
        refusal = texts.ND_SAVE_BLOCKED[exc.key].format(**{k: texts.esc(v) for k, v in exc.values.items()})
    except IntegrityError:  # two saves raced on the same document: the unique file hash kept one
        refusal = texts.ND_SAVE_BLOCKED["duplicate_file"]
    turn.answer()
    turn.reply(refusal)
    turn.intake.step = PREVIEW
    return None


async def _send_notices(context: BotContext, directive_id: int) -> None:
    try:
        await dispatch(context.bot, context.services)
    except Exception:  # the notices stay queued in the outbox; saving already succeeded
        log.exception("sending notices failed directive=%s", directive_id)


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
        await show_preview(turn)
        return
    turn.reply(
        texts.ND_RECEIVED.format(parts=len(intake.parts), chars=sum(len(p) for p in intake.parts)),
        collect_keyboard(intake),
    )


async def _act_restart(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    turn.intake = Intake.new()  # a new nonce: every button of the old draft is stale now
    turn.reply(texts.ND_START, collect_keyboard(turn.intake))


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
        rows.append([button(f"{mark}{unit.name}"[:64], intake, "pkt", di, ki, ui)])
    rows.append([button(texts.ND_BTN_BACK, intake, "pkd", di), button(texts.ND_BTN_PICK_DONE, intake, "pkx")])
    return InlineKeyboardMarkup(rows)


async def _act_pick_duty(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    draft = turn.intake.draft
    if draft is None:
        return
    buttons = [button(d.label, turn.intake, "pkd", i) for i, d in enumerate(draft.duties[:60])]
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
        [button(texts.UNIT_KIND_NAMES.get(kind, kind)[:60], turn.intake, "pkk", di, ki)]
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
    if ti is not None:
        duty.cycle_role(units[ti].code)
    turn.answer()
    text = texts.ND_PICK_UNITS.format(
        label=texts.esc(duty.label), kind=texts.esc(texts.UNIT_KIND_NAMES.get(kind, kind))
    )
    turn.edit(text, _unit_keyboard(turn.intake, di, ki, directory))


async def _act_pick_done(turn: Turn, context: BotContext, args: list[str]) -> None:
    turn.answer()
    if turn.intake.draft is not None:
        await show_preview(turn)


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
