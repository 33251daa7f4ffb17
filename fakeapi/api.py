"""The Bot API methods dondoc calls, answered with the real API's shapes and error texts."""

from __future__ import annotations

import asyncio
import contextlib
import json

from fakeapi.faults import ApiError
from fakeapi.models import (
    FakeChat,
    JSONDict,
    UploadedFile,
)
from fakeapi.state import (
    BOT_NAME,
    MAX_ANSWER_TEXT,
    MAX_CAPTION,
    MAX_TEXT,
    NOWHERE,
    WorldState,
    scope_key,
)


class BotApi(WorldState):
    async def _get_me(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        return {
            **self.bot.to_dict(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,  # privacy mode stays on
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSONDict, files: dict[str, UploadedFile]) -> list[JSONDict]:
        self.get_updates_count += 1
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        if "allowed_updates" in params:
            self.allowed_updates = list(params["allowed_updates"])
        offset = int(params.get("offset", 0))
        if offset:
            # Confirming an offset drops everything before it, as Telegram does.
            while self.pending and self.pending[0]["update_id"] < offset:
                self.pending.popleft()
            self._last_offset = offset
        limit = int(params.get("limit", 100))
        timeout = float(params.get("timeout", 0))
        if not self._deliverable() and timeout > 0:
            self._update_event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._update_event.wait(), timeout)
        return self._deliverable()[:limit]

    async def _delete_webhook(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    async def _set_webhook(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        self.webhook_url = str(params.get("url", ""))
        return True

    async def _send_message(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        chat = self._target(params)
        text, entities = self._formatted(params, "text", MAX_TEXT)
        if not text:
            raise ApiError.bad_request("message text is empty")
        msg = self._bot_message(chat, params, text=text, entities=entities)
        self._log_bot(chat, text, msg.get("reply_markup"))
        return msg

    def _editable(self, params: JSONDict) -> tuple[FakeChat, JSONDict]:
        if "inline_message_id" in params:
            raise ApiError.bad_request("inline messages are not used by this bot")
        chat = self.chat(params.get("chat_id", 0))
        if chat.migrated_to is not None:
            raise ApiError.migrated(chat.migrated_to.id)
        msg = self.messages.get((chat.id, int(params.get("message_id", 0))))
        if msg is None:
            raise ApiError.bad_request("message to edit not found")
        if msg.get("from", {}).get("id", self.bot.id) != self.bot.id and "sender_chat" not in msg:
            raise ApiError.bad_request("message can't be edited")
        return chat, msg

    async def _edit_message_text(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        chat, msg = self._editable(params)
        text, entities = self._formatted(params, "text", MAX_TEXT)
        if not text:
            raise ApiError.bad_request("message text is empty")
        markup = self._check_markup(params)
        if text == msg.get("text") and entities == msg.get("entities", []) and markup == msg.get("reply_markup"):
            raise ApiError.bad_request(
                "message is not modified: specified new message content and reply markup are exactly the same "
                "as a current content and reply markup of the message"
            )
        new = {k: v for k, v in msg.items() if k not in ("text", "entities", "reply_markup")}
        new.update(text=text, edit_date=self._ts())
        if entities:
            new["entities"] = entities
        if markup is not None and markup.get("inline_keyboard"):
            new["reply_markup"] = markup
        self.messages[(chat.id, int(msg["message_id"]))] = new
        self._log_bot(chat, text, new.get("reply_markup"), kind="edit")
        return new

    async def _edit_message_reply_markup(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        chat, msg = self._editable(params)
        markup = self._check_markup(params)
        if markup == msg.get("reply_markup") or (not markup and "reply_markup" not in msg):
            raise ApiError.bad_request(
                "message is not modified: specified new message content and reply markup are exactly the same "
                "as a current content and reply markup of the message"
            )
        new = {k: v for k, v in msg.items() if k != "reply_markup"}
        new["edit_date"] = self._ts()
        if markup and markup.get("inline_keyboard"):
            new["reply_markup"] = markup
        self.messages[(chat.id, int(msg["message_id"]))] = new
        return new

    async def _answer_callback_query(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self.callback_queries or query_id in self.answered_queries:
            raise ApiError.bad_request("query is too old and response timeout expired or query ID is invalid")
        text = str(params.get("text", ""))
        if len(text) > MAX_ANSWER_TEXT:
            raise ApiError.bad_request("MESSAGE_TOO_LONG")
        self.answered_queries.add(query_id)
        if text:
            query = self.callback_queries[query_id]
            chat = self.chats.get(int(query["message"]["chat"]["id"]), NOWHERE)
            tag = "alert" if params.get("show_alert") else "toast"
            self._log(BOT_NAME, chat, f"({tag}) {text}", kind="answer")
        return True

    async def _send_document(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        chat = self._target(params)
        stored = self._upload(params, files, "document", "document")
        caption, entities = self._formatted(params, "caption", MAX_CAPTION)
        doc = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
            "file_size": stored.file_size,
        }
        msg = self._bot_message(chat, params, document=doc, caption=caption or None, caption_entities=entities)
        self._log_bot(chat, f"📎 {stored.file_name} ({stored.file_size} B) {caption}".rstrip(), None)
        return msg

    async def _send_photo(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        chat = self._target(params)
        stored = self._upload(params, files, "photo", "photo")
        if not stored.content.startswith((b"\x89PNG", b"\xff\xd8")):
            raise ApiError.bad_request("IMAGE_PROCESS_FAILED")
        caption, entities = self._formatted(params, "caption", MAX_CAPTION)
        sizes = [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": 1280,
                "height": 720,
                "file_size": stored.file_size,
            }
        ]
        msg = self._bot_message(chat, params, photo=sizes, caption=caption or None, caption_entities=entities)
        self._log_bot(chat, f"🖼 {stored.file_name} {caption}".rstrip(), None)
        return msg

    async def _get_file(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        stored = self.files.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError.bad_request("invalid file_id")
        if stored.file_size > 20 * 1024 * 1024:
            raise ApiError.bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    async def _delete_message(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        chat = self.chat(params.get("chat_id", 0))
        key = (chat.id, int(params.get("message_id", 0)))
        if key not in self.messages:
            raise ApiError.bad_request("message to delete not found")
        del self.messages[key]
        return True

    async def _set_message_reaction(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        chat = self.chat(params.get("chat_id", 0))
        key = (chat.id, int(params.get("message_id", 0)))
        if key not in self.messages:
            raise ApiError.bad_request("message to react not found")
        reaction = params.get("reaction") or []
        if isinstance(reaction, str):
            reaction = json.loads(reaction)
        emojis = [str(r.get("emoji", "")) for r in reaction if isinstance(r, dict)]
        self.messages[key] = {**self.messages[key], "bot_reaction": emojis}
        self._log(BOT_NAME, chat, " ".join(emojis), kind="reaction")
        return True

    async def _set_my_commands(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        scope = params.get("scope") or {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        if scope.get("type") == "chat" and int(scope.get("chat_id", 0)) not in self.chats:
            raise ApiError.bad_request("chat not found")
        commands = params.get("commands") or []
        if isinstance(commands, str):
            commands = json.loads(commands)
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32) or not all(c.islower() or c.isdigit() or c == "_" for c in name):
                raise ApiError.bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError.bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[scope_key(scope)] = list(commands)
        return True

    async def _get_my_commands(self, params: JSONDict, files: dict[str, UploadedFile]) -> list[JSONDict]:
        scope = params.get("scope") or {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        return self.commands.get(scope_key(scope), [])

    async def _get_chat(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        chat = self.chat(params.get("chat_id", 0))
        info = chat.to_dict()
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels")
        info.update(accent_color_id=0, max_reaction_count=11, accepted_gift_types=dict.fromkeys(gifts, False))
        if chat.type in ("group", "supergroup"):
            info["permissions"] = {"can_send_messages": True}
        return info

    async def _get_chat_member(self, params: JSONDict, files: dict[str, UploadedFile]) -> JSONDict:
        chat = self.chat(params.get("chat_id", 0))
        user_id = int(params.get("user_id", 0))
        if user_id == self.bot.id:
            return self._member_object(self.bot, chat.bot_status)
        user = self.users.get(user_id)
        if user is None:
            raise ApiError.bad_request("user not found")
        return self._member_object(user, chat.status_of(user_id))

    async def _get_chat_administrators(self, params: JSONDict, files: dict[str, UploadedFile]) -> list[JSONDict]:
        chat = self.chat(params.get("chat_id", 0))
        ids = [i for i in chat.members if chat.status_of(i) in ("creator", "administrator")]
        return [self._member_object(self.users[i], chat.status_of(i)) for i in ids if i in self.users]

    async def _send_chat_action(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        self._target(params)
        return True

    async def _ok(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        return True
