"""What the reply path sends after its commit, coalesced when a group's send budget runs out.

A group may receive about 20 messages a minute. When a group answers faster than that, waiting for
each acknowledgement would hold its next answers (and, one update at a time, everyone else's).
So an acknowledgement or an edit is awaited only for a moment (`inline_wait`); past it, it goes on
in the background and whatever the same chat asks meanwhile joins it:

- acknowledgements queued behind one in flight go out as one message listing all of them (never
  dropped: each answer keeps its line);
- edits of one notice keep only the latest state, sent at most once per `edit_gap` seconds.

When Telegram answers at once, as in the tests, every send completes inside the handler and
nothing is coalesced. A crash while a send waits loses only that acknowledgement: the report was
committed before it was queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, TelegramError

from bot import texts

log = logging.getLogger("dondoc.replyout")
INLINE_WAIT_S = 0.25
EDIT_GAP_S = 3.0
_KEY = "reply_out"


@dataclass
class _Ack:
    message: Message
    text: str
    markup: InlineKeyboardMarkup | None
    who: str
    done: asyncio.Future[None] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


@dataclass
class _Edit:
    text: str = ""
    markup: InlineKeyboardMarkup | None = None
    dirty: bool = False
    last: float = float("-inf")
    task: asyncio.Task[None] | None = None


class ReplyOut:
    def __init__(self, bot: Bot, *, inline_wait: float = INLINE_WAIT_S, edit_gap: float = EDIT_GAP_S) -> None:
        self.bot = bot
        self.inline_wait = inline_wait
        self.edit_gap = edit_gap
        self._acks: dict[int, list[_Ack]] = {}
        self._ack_tasks: dict[int, asyncio.Task[None]] = {}
        self._edits: dict[tuple[int, int], _Edit] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def _spawn(self, coro: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def ack(self, message: Message, text: str, markup: InlineKeyboardMarkup | None = None, who: str = "") -> None:
        """Reply to `message`; joins the chat's queued acknowledgements when one is already waiting."""
        item = _Ack(message, text, markup, who)
        chat = message.chat.id
        self._acks.setdefault(chat, []).append(item)
        task = self._ack_tasks.get(chat)
        if task is not None and not task.done():
            item.done.add_done_callback(_log_late_error)
            return  # joins the send already waiting: this chat's next update is not held
        self._ack_tasks[chat] = self._spawn(self._flush_acks(chat))
        await self._await(item.done)

    async def _await(self, done: asyncio.Future[None]) -> None:
        """Wait a moment for one's own send; its error reaches the handler only while it still waits."""
        finished, _ = await asyncio.wait({done}, timeout=self.inline_wait)
        if finished:
            done.result()
        else:
            done.add_done_callback(_log_late_error)

    async def _flush_acks(self, chat: int) -> None:
        while batch := self._acks.pop(chat, []):
            # A keyboard cannot be shared: those go alone, in order; the rest go together.
            plain = [a for a in batch if a.markup is None]
            for item in [a for a in batch if a.markup is not None] + ([plain[0]] if len(plain) == 1 else []):
                await _settle([item], item.message.reply_html(item.text, reply_markup=item.markup))
            if len(plain) > 1:
                lines = [texts.REPORT_SAVED_BATCH.format(n=len(plain))]
                lines += [f"• {a.who}{a.text}" for a in plain]
                last = plain[-1].message
                params = ReplyParameters(message_id=last.message_id, allow_sending_without_reply=True)
                await _settle(plain, self.bot.send_message(chat, "\n".join(lines), reply_parameters=params))
        self._ack_tasks.pop(chat, None)

    async def edit(self, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
        """Show the latest state in a notice; an edit already waiting takes this state instead."""
        key = (chat_id, message_id)
        state = self._edits.get(key)
        if state is None:
            state = self._edits[key] = _Edit()
        state.text, state.markup, state.dirty = text, markup, True
        if state.task is not None and not state.task.done():
            return  # the edit already waiting shows this state
        state.task = self._spawn(self._flush_edit(key, state))
        with contextlib.suppress(Exception):  # an edit is cosmetic: its failure is logged, never raised
            await asyncio.wait({state.task}, timeout=self.inline_wait)

    async def _flush_edit(self, key: tuple[int, int], state: _Edit) -> None:
        loop = asyncio.get_running_loop()
        try:
            while state.dirty:
                await asyncio.sleep(max(0.0, state.last + self.edit_gap - loop.time()))
                state.dirty = False
                state.last = loop.time()
                with contextlib.suppress(BadRequest):  # "message is not modified", or too old to edit
                    await self.bot.edit_message_text(
                        state.text, chat_id=key[0], message_id=key[1], reply_markup=state.markup
                    )
        except TelegramError as exc:
            log.warning("event=notice_edit_failed chat_id=%s error=%s", key[0], type(exc).__name__)
        finally:
            if not state.dirty and self._edits.get(key) is state and state.last + self.edit_gap <= loop.time():
                del self._edits[key]

    async def drain(self) -> None:
        """Wait until everything queued was sent (shutdown, tests, benchmarks)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))


async def _settle(items: list[_Ack], send: Awaitable[Any]) -> None:
    try:
        await send
    except Exception as exc:  # each waiting handler sees it; a late one is logged
        for a in items:
            if not a.done.done():
                a.done.set_exception(exc)
        return
    for a in items:
        if not a.done.done():
            a.done.set_result(None)


def _log_late_error(done: asyncio.Future[None]) -> None:
    if not done.cancelled() and (exc := done.exception()) is not None:
        log.warning("event=ack_failed error=%s", type(exc).__name__)


def install(bot: Bot, extras: dict[str, Any], *, edit_gap: float = EDIT_GAP_S) -> ReplyOut:
    out = extras[_KEY] = ReplyOut(bot, edit_gap=edit_gap)
    return out


def reply_out(bot: Bot, extras: dict[str, Any]) -> ReplyOut:
    """The app's sender (one per Application; built on first use where the app did not install one)."""
    out = extras.get(_KEY)
    if not isinstance(out, ReplyOut):
        out = install(bot, extras, edit_gap=0.0)
    return out
