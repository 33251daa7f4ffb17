"""/audit: admins read who changed what, optionally for one directive or one unit."""

from __future__ import annotations

import re

from telegram import Update

from bot import texts
from bot.context import BotContext
from bot.domain.textnorm import fold
from bot.handlers.common import guard, reply_chunks
from bot.services.audit import recent_audit
from bot.services.units import resolve_unit
from bot.views_people import render_audit

_DIRECTIVE = re.compile(r"^(?:vb|van ban|directive|#)\s*#?([0-9]{1,9})$")
_UNIT = re.compile(r"^(?:dv|don vi|unit)\s+(.+)$")


async def audit_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "audit")
    if caller is None:
        return
    raw = " ".join(context.args or [])[:255]
    key = fold(raw)
    services = context.services
    async with services.sessions() as session:
        scope, directive_id, unit_id = "", None, None
        if m := _DIRECTIVE.match(key):
            directive_id = int(m.group(1))
            scope = texts.AUDIT_SCOPE_DIRECTIVE.format(id=directive_id)
        elif m := _UNIT.match(key):
            unit = await resolve_unit(session, raw.split(maxsplit=1)[1] if " " in raw else "")
            if unit is None:
                await caller.message.reply_html(texts.INVITE_UNKNOWN_UNIT.format(name=texts.esc(m.group(1)), hints=""))
                return
            unit_id, scope = unit.id, texts.AUDIT_SCOPE_UNIT.format(unit=texts.esc(unit.name))
        elif raw:
            await caller.message.reply_html(texts.AUDIT_USAGE)
            return
        rows = await recent_audit(session, directive_id=directive_id, unit_id=unit_id)
    await reply_chunks(caller.message, render_audit(rows, scope, services.config.tz))
