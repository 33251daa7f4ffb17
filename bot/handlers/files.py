"""Units' files: a document or photo answering a notice, reminder or prompt (or captioned
"/report <code>"), and the button that sends a stored file back to a secretary or leader."""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import filters

from bot.commands import READERS
from bot.context import BotContext
from bot.domain.attachments import FileMeta
from bot.domain.textnorm import nfc
from bot.handlers.common import current_identity
from bot.runtime import attachment_copies
from bot.services import attachments, uow
from bot.texts import files as texts_files
from bot.views.files import caption, decode, render_list, render_outcome

# A file answering one of the bot's messages, or captioned with /report, in any chat.
# New messages only: an edited caption goes on to the text-reply handler, which revises the report.
FILE_REPORTS = (
    filters.UpdateType.MESSAGE
    & (filters.Document.ALL | filters.PHOTO)
    & (filters.REPLY | filters.CaptionRegex(r"^\s*/report(@\w+)?(\s|$)"))
)


def _meta(message: Message) -> FileMeta | None:
    if message.document is not None:
        d = message.document
        return FileMeta(d.file_id, d.file_unique_id, d.file_name, d.mime_type, "document", d.file_size)
    if message.photo:
        p = message.photo[-1]  # the largest size Telegram made
        return FileMeta(p.file_id, p.file_unique_id, None, "image/jpeg", "photo", p.file_size)
    return None


def _incoming(message: Message, bot_id: int) -> attachments.Incoming | None:
    meta, replied = _meta(message), message.reply_to_message
    text = nfc(message.caption or "").strip()
    mine = replied is not None and replied.from_user is not None and replied.from_user.id == bot_id
    if meta is None or message.from_user is None or (not mine and not text.lower().startswith("/report")):
        return None  # people answering each other, not the bot
    return attachments.Incoming(
        meta, text, message.chat.id, message.message_id, message.chat.type == ChatType.PRIVATE,
        message.from_user.id, replied.message_id if mine and replied is not None else None,
    )  # fmt: skip


async def on_file(update: Update, context: BotContext) -> None:
    message = update.message  # an edited caption is not a new file
    item = _incoming(message, context.bot.id) if message is not None else None
    if message is None or item is None:
        return
    services = context.services
    today = services.clock.now().astimezone(services.config.tz).date()
    now = services.clock.now()
    outcome = await uow.write(services.sessions, attachments.receive, services.config, item, now=now, today=today)
    if outcome.status != "duplicate":
        await message.reply_html(render_outcome(outcome, services.config.attachments.max_bytes))
    if outcome.attachment is not None:  # after the answer: a slow download never delays it
        await attachment_copies.keep(context.bot, services, outcome.attachment.id)


async def send_list(message: Message, context: BotContext, directive_id: int) -> None:
    """Under /directive <id>: the units' files, each with a button that sends it back."""
    files = await uow.read(context.services.sessions, attachments.of_directive, directive_id)
    if files:
        text, markup = render_list(files, context.services.config.tz)
        await message.reply_html(text, reply_markup=markup)


async def resend_button(update: Update, context: BotContext) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or query.message is None:
        return
    if (await current_identity(context, user.id)).role not in READERS:
        await query.answer(texts_files.FILE_NOT_ALLOWED, show_alert=True)
        return
    attachment_id = decode(query.data)
    found = await uow.read(context.services.sessions, attachments.get, attachment_id) if attachment_id else None
    if found is None:
        await query.answer(texts_files.FILE_GONE, show_alert=True)
        return
    await query.answer()
    item, directive = found
    text = caption(item.attachment, directive, item.duty_label, context.services.config.tz)
    chat_id, file_id = query.message.chat.id, item.attachment.file_id
    if item.attachment.kind == "photo":
        await context.bot.send_photo(chat_id, file_id, caption=text)
    else:
        await context.bot.send_document(chat_id, file_id, caption=text)
