"""register_handlers() is the one place that lists every handler, in order of precedence."""

from __future__ import annotations

from telegram.ext import CommandHandler, MessageHandler, filters

from bot.context import DondocApp
from bot.handlers import basic, errors


def register_handlers(app: DondocApp) -> None:
    # Group 0: commands and conversations.
    app.add_handler(CommandHandler("start", basic.start))
    app.add_handler(CommandHandler("help", basic.help_command))
    # Anything else that looks like a command gets a hint, in private chats only (groups stay quiet).
    app.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, basic.unknown_command))
    app.add_error_handler(errors.on_error)
