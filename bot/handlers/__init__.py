"""register_handlers() is the one place that lists every handler, in order of precedence."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot.context import DondocApp
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


def register_handlers(app: DondocApp) -> None:
    # Group -100: a user flooding the bot is dropped here, before any database work.
    flood.register(app)
    # Group -1: a message or button of a running /newdirective registration (kept in the database)
    # is handled there and goes no further; every other update passes on to group 0 untouched.
    for handler in newdirective.routes():
        app.add_handler(handler, group=newdirective.GROUP)
    # Group 0: /newdirective first, then commands.
    for handler in newdirective.build(app):
        app.add_handler(handler)
    app.add_handler(CommandHandler("start", groups.start_in_group, filters=filters.ChatType.GROUPS))
    app.add_handler(CommandHandler("start", basic.start))
    app.add_handler(CommandHandler("invite", groups.invite_command))
    app.add_handler(CommandHandler("help", basic.help_command))
    app.add_handler(CommandHandler("whoami", basic.whoami))
    app.add_handler(CommandHandler("cancel", newdirective.cancel))
    app.add_handler(CommandHandler("directives", directives.list_command))
    app.add_handler(CommandHandler("directive", directives.detail_command))
    app.add_handler(CallbackQueryHandler(directives.status_button, pattern=r"^dir\|"))
    units_admin.register(app)
    app.add_handler(CommandHandler("unbind", groups.unbind_command))
    app.add_handler(CommandHandler("grant", roles.grant_command))
    app.add_handler(CommandHandler("revoke", roles.revoke_command))
    app.add_handler(CommandHandler("people", roles.people_command))
    app.add_handler(CommandHandler("audit", audit_view.audit_command))
    app.add_handler(CallbackQueryHandler(audit_view.audit_page_button, pattern=r"^au\|"))
    app.add_handler(CommandHandler("remind", reminders.remind_command))
    app.add_handler(CommandHandler("summary", summary.summary_command))
    app.add_handler(CommandHandler("stats", summary.stats_command))
    app.add_handler(CommandHandler("export", summary.export_command))
    app.add_handler(CommandHandler("baocao", baocao.baocao_command))
    app.add_handler(CallbackQueryHandler(summary.post_button, pattern=r"^sum\|"))
    # A unit picked from those a typed name fitted (/invite, /stats, /unit, /grant).
    app.add_handler(CallbackQueryHandler(unit_pick.unit_pick_button, pattern=r"^up\|"))
    app.add_handler(CommandHandler("mytasks", reports.mytasks_command))
    app.add_handler(CommandHandler("report", reports.report_command))
    app.add_handler(CallbackQueryHandler(reports.answer_button, pattern=r"^r\|"))
    app.add_handler(CallbackQueryHandler(reports.which_button, pattern=r"^w\|"))
    app.add_handler(CallbackQueryHandler(reports.decide_button, pattern=r"^[kx]\|"))
    # A unit's file as its report (before text replies would take its caption), and its re-send button.
    app.add_handler(MessageHandler(files.FILE_REPORTS, files.on_file))
    app.add_handler(CallbackQueryHandler(files.resend_button, pattern=r"^af\|"))
    # Replies (and their edits) to the bot's own messages: privacy mode delivers exactly these in groups.
    replies = filters.REPLY & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND
    app.add_handler(MessageHandler(replies, reports.on_reply))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, groups.on_migrate))
    app.add_handler(ChatMemberHandler(groups.on_my_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(CallbackQueryHandler(basic.unknown_button))
    # Anything else that looks like a command gets a hint, in private chats only (groups stay quiet).
    app.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, basic.unknown_command))
    app.add_error_handler(errors.on_error)
