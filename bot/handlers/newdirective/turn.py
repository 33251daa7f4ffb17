"""One update of a registration: the Turn that loads, acts on and stores the draft; keyboards; timeouts."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    filters,
)

from bot import texts
from bot.config import Config
from bot.context import BotServices
from bot.domain.draft import (
    Draft,
    Intake,
    IntakeStep,
)
from bot.domain.units import UnitDirectory
from bot.handlers.common import reply_chunks
from bot.services.directives import (
    StoredIntake,
    bound_unit_codes,
    drop_intake,
    expire_idle_intakes,
    store_intake,
)
from bot.services.units import load_directory
from bot.services.uow import unit_of_work
from bot.views.directives import (
    render_preview,
)

log = logging.getLogger("dondoc.newdirective")

# Before group 0: an update that belongs to a running registration must not reach the other handlers.
GROUP = -1
COLLECT, MANUAL_HEADER, MANUAL_DUTIES, PREVIEW = (
    IntakeStep.COLLECT,
    IntakeStep.MANUAL_HEADER,
    IntakeStep.MANUAL_DUTIES,
    IntakeStep.PREVIEW,
)
ALLOWED_SUFFIXES = {".docx", ".pdf", ".txt"}
MAX_SUGGESTION_ROWS = 30  # Telegram allows 100 buttons; the fixed rows below need 5
MAX_SUGGESTIONS = 6  # as many as the parser's ranked pick list for '… liên quan' gives
LISTED_UNITS = 8  # as views_directives: past this, the preview shows a count and a button
MAX_UNIT_BUTTONS = 6
PRIVATE_TEXT = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
PRIVATE_DOCUMENT = filters.Document.ALL & filters.ChatType.PRIVATE
# Everything a running registration claims (buttons aside); anything else it answers with a hint.
PRIVATE_MESSAGE = filters.ChatType.PRIVATE & ~filters.COMMAND

Send = Callable[[], Awaitable[object]]


async def answer(update: Update, text: str | None = None) -> None:
    if update.callback_query is not None:
        # an expired query id must not stop the action itself
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(text)


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
        self.outbox.append(lambda: answer(update, text))

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


def button(text: str, intake: Intake, action: str, *args: object) -> InlineKeyboardButton:
    data = "|".join(["nd", intake.nonce, action, *(str(a) for a in args)])
    return InlineKeyboardButton(text, callback_data=data)


def collect_keyboard(intake: Intake) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [button(texts.ND_BTN_DONE, intake, "done"), button(texts.ND_BTN_MANUAL, intake, "manual")],
            [button(texts.ND_BTN_CANCEL, intake, "cancel")],
        ]
    )


def _preview_keyboard(intake: Intake, directory: UnitDirectory) -> InlineKeyboardMarkup:
    draft = intake.draft
    assert draft is not None
    rows = _suggestion_rows(intake, draft, directory) + _units_rows(intake, draft)
    rows.append([button(texts.ND_BTN_PICK, intake, "pk"), button(texts.ND_BTN_PLAN, intake, "plan")])
    rows.append([button(texts.ND_BTN_EDIT, intake, "edit")])
    rows.append([button(texts.ND_BTN_SAVE, intake, "save"), button(texts.ND_BTN_CANCEL, intake, "cancel")])
    return InlineKeyboardMarkup(rows)


def _suggestion_rows(intake: Intake, draft: Draft, directory: UnitDirectory) -> list[list[InlineKeyboardButton]]:
    """Every suggestion the preview names gets its button, one per row (names are long), then "skip"."""
    rows: list[list[InlineKeyboardButton]] = []
    for di, duty in enumerate(draft.duties):
        for ui, item in enumerate(duty.unresolved):
            if len(rows) >= MAX_SUGGESTION_ROWS:
                return rows
            rows += [
                [button(f"{duty.label}: {unit.name}"[:60], intake, "pick", di, ui, si)]
                for si, code in enumerate(item.suggestions[:MAX_SUGGESTIONS])
                if (unit := directory.get(code)) is not None
            ]
            rows.append([button(texts.ND_BTN_SKIP.format(text=item.text[:20]), intake, "skip", di, ui)])
    return rows


def _units_rows(intake: Intake, draft: Draft) -> list[list[InlineKeyboardButton]]:
    """A button per duty with more units than the preview lists, two to a row."""
    many = [(di, d) for di, d in enumerate(draft.duties) if len(d.unit_codes) > LISTED_UNITS][:MAX_UNIT_BUTTONS]
    buttons = [button(texts.ND_BTN_UNITS.format(label=d.label, n=len(d.unit_codes))[:60], intake, "units", di)
               for di, d in many]  # fmt: skip
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


async def show_preview(turn: Turn) -> None:
    draft = turn.intake.draft
    assert draft is not None
    directory = await turn.directory()
    bound = await bound_unit_codes(turn.db, [c for d in draft.duties for c in d.unit_codes])
    turn.reply_chunks(render_preview(draft, directory, bound), _preview_keyboard(turn.intake, directory))
    turn.intake.step = PREVIEW


# --- loading and storing ------------------------------------------------------------------------------


def _timeout(config: Config) -> timedelta:
    return timedelta(seconds=config.conversation_timeout_s)


def running(stored: StoredIntake | None, now: datetime, config: Config) -> bool:
    return stored is not None and stored.intake.active and now - stored.updated_at < _timeout(config)


async def close(turn: Turn, user_id: int, now: datetime) -> None:
    if turn.ended:
        await drop_intake(turn.db, user_id)
    elif turn.touched:
        turn.intake.record(turn.update.update_id)
        await store_intake(turn.db, user_id, turn.intake, now=now)
    await turn.db.commit()


async def send_timeout(bot: Bot, chat_id: int, config: Config) -> None:
    minutes = max(1, config.conversation_timeout_s // 60)
    await bot.send_message(chat_id, texts.ND_TIMEOUT.format(minutes=minutes))


async def send_timeouts(bot: Bot, services: BotServices) -> int:
    """Time out the registrations idle past the limit and tell their secretaries; for the scheduler tick.

    Without it the secretary hears of the timeout with the next message of the registration.
    """
    now = services.clock.now()
    async with unit_of_work(services) as db:
        users = await expire_idle_intakes(db, idle_before=now - _timeout(services.config), now=now)
        await db.commit()
    for user_id in users:
        try:
            await send_timeout(bot, user_id, services.config)
        except TelegramError as exc:  # the draft is kept either way; the notice is only a courtesy
            log.warning("timeout notice failed user=%s: %s", user_id, exc)
    return len(users)
