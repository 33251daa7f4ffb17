"""Set aside an update that killed the process twice while it was being handled.

Polling confirms an update only after handling it (bot/polling.py), so an update that kills the
process (out of memory, a crash in C code) comes back after every restart: a crash loop. Before
handling, its id is written to a small journal file; after, it is removed. An id still in the
journal at start-up was being handled when the process died. The second time that happens, the
update is not handled again: it is recorded in the audit log, confirmed to Telegram (the offset
moves past it), and the admins are told.

A file, not a table: the write must survive exactly the death it detects, and costs microseconds
on every update (the page cache outlives a killed process; only a power cut can lose it, which
means one more attempt).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

from telegram import Update
from telegram.error import TelegramError

from bot import texts
from bot.context import DondocApp
from bot.services.audit import audit

log = logging.getLogger("dondoc.update_guard")

MAX_CRASHES = 2


class UpdateJournal:
    """update_id -> how many times its handling started and never finished."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            raw = json.loads(path.read_text())
            self._open = {int(k): int(v) for k, v in raw.items()}
        except (OSError, ValueError, AttributeError):
            self._open = {}

    def crashes(self, update_id: int) -> int:
        return self._open.get(update_id, 0)

    def begin(self, update_id: int) -> None:
        self._open[update_id] = self._open.get(update_id, 0) + 1
        self._write()

    def end(self, update_id: int) -> None:
        if self._open.pop(update_id, None) is not None:
            self._write()

    def _write(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(self._open))
            os.replace(tmp, self.path)  # atomic: a kill mid-write leaves the old journal
        except OSError as exc:  # a full disk must not stop the bot; the guard is then off
            log.warning("event=update_journal_unwritable error=%s", exc)


async def set_aside(app: DondocApp, update: Update, crashes: int) -> None:
    """Record the update, tell the admins; the caller then confirms it without handling it."""
    services = app.bot_data
    chat, user = update.effective_chat, update.effective_user
    kind = next(
        (k for k in ("message", "edited_message", "callback_query", "my_chat_member") if getattr(update, k)), "?"
    )
    document = update.effective_message.document if update.effective_message else None
    what = {"kind": kind, "chat_id": chat.id if chat else None, "crashes": crashes}
    if document is not None:
        what.update(file_name=document.file_name, file_size=document.file_size)
    log.error("event=update_set_aside update_id=%s %s", update.update_id, " ".join(f"{k}={v}" for k, v in what.items()))
    with contextlib.suppress(Exception):  # recording must not make the update fatal a third time
        async with services.sessions() as db:
            await audit(
                db,
                at=services.clock.now(),
                actor=user.id if user else None,
                action="update.set_aside",
                entity="update",
                entity_id=update.update_id,
                after=what,
            )
            await db.commit()
    text = texts.UPDATE_SET_ASIDE.format(
        update_id=update.update_id,
        kind=kind,
        chat=chat.id if chat else "?",
        user=user.id if user else "?",
        crashes=crashes,
        file=texts.esc(document.file_name or "?") if document else "—",
    )
    for admin in services.config.admins:
        try:
            await app.bot.send_message(admin, text)
        except TelegramError as exc:
            log.warning("event=set_aside_notice_failed admin=%s error=%s", admin, exc)
