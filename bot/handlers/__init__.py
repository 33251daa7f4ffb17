"""register_handlers() is the one place that lists every handler, in order of precedence; commands come
from the catalog in bot.commands."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot.commands import CATALOG
from bot.context import BotContext, DondocApp
from bot.handlers import (
    audit_view,
    baocao,
    basic,
    directives,
    errors,
    files,
    flood,
    groups,
    newdirective,
    reminders,
    reports,
    roles,
    summary,
    unit_pick,
    units_admin,
)

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

# The command catalog (bot.commands: name, who may run it, its help line) meets its handler here.
# Every catalog entry has one; a command outside the catalog cannot be registered.
COMMANDS: dict[str, Callback] = {
    "start": basic.start, "help": basic.help_command, "whoami": basic.whoami, "cancel": newdirective.cancel,
    "directives": directives.list_command, "directive": directives.detail_command,
    "remind": reminders.remind_command, "mytasks": reports.mytasks_command, "report": reports.report_command,
    "summary": summary.summary_command, "stats": summary.stats_command, "export": summary.export_command,
    "baocao": baocao.baocao_command, "invite": groups.invite_command, "unbind": groups.unbind_command,
    "grant": roles.grant_command, "revoke": roles.revoke_command, "people": roles.people_command,
    "audit": audit_view.audit_command,
}  # fmt: skip
# Registered by their own modules, with their own filters.
OWN_REGISTRATION = frozenset({"newdirective", "units", "unit"})
# Buttons, by the prefix of their data (each kind has one codec in views/).
BUTTONS: tuple[tuple[str, Callback], ...] = (
    (r"^dir\|", directives.status_button), (r"^au\|", audit_view.audit_page_button),
    (r"^sum\|", summary.post_button), (r"^up\|", unit_pick.unit_pick_button), (r"^r\|", reports.answer_button),
    (r"^w\|", reports.which_button), (r"^[kx]\|", reports.decide_button), (r"^af\|", files.resend_button),
)  # fmt: skip


def register_handlers(app: DondocApp) -> None:
    # Group -100: a user flooding the bot is dropped here, before any database work.
    flood.register(app)
    # Group -1: a message or button of a running /newdirective registration (kept in the database)
    # is handled there and goes no further; every other update passes on to group 0 untouched.
    for handler in newdirective.routes():
        app.add_handler(handler, group=newdirective.GROUP)
    # Group 0: /newdirective first, then the catalog's commands.
    for handler in newdirective.build(app):
        app.add_handler(handler)
    app.add_handler(CommandHandler("start", groups.start_in_group, filters=filters.ChatType.GROUPS))
    _register_commands(app)
    units_admin.register(app)
    for pattern, callback in BUTTONS:
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    _register_messages(app)
    app.add_error_handler(errors.on_error)


def _register_commands(app: DondocApp) -> None:
    names = {spec.name for spec in CATALOG}
    if names - OWN_REGISTRATION != set(COMMANDS):
        raise RuntimeError(f"commands and catalog disagree: {sorted(names ^ (set(COMMANDS) | OWN_REGISTRATION))}")
    for spec in CATALOG:
        if spec.name in COMMANDS:
            app.add_handler(CommandHandler(spec.name, COMMANDS[spec.name]))


def _register_messages(app: DondocApp) -> None:
    # A unit's file as its report (before text replies would take its caption).
    app.add_handler(MessageHandler(files.FILE_REPORTS, files.on_file))
    # Replies (and their edits) to the bot's own messages: privacy mode delivers exactly these in groups.
    replies = filters.REPLY & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND
    app.add_handler(MessageHandler(replies, reports.on_reply))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, groups.on_migrate))
    app.add_handler(ChatMemberHandler(groups.on_my_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(CallbackQueryHandler(basic.unknown_button))  # a button no codec claims: stale or forged
    # Anything else that looks like a command gets a hint, in private chats only (groups stay quiet).
    app.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, basic.unknown_command))
