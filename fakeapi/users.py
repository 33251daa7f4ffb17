"""What people do in the fake Telegram: write, reply, edit, send files, press buttons, add or
remove the bot, upgrade a group. Each action queues the update the bot would get."""

from __future__ import annotations

import secrets
from typing import Any

from fakeapi.htmltext import detect_entities
from fakeapi.models import (
    FakeChat,
    FakeUser,
    JSONDict,
)
from fakeapi.state import (
    WorldState,
    caption_entities,
)


class UsersAct(WorldState):
    def _user_message(self, user: FakeUser, chat: FakeChat, **fields: Any) -> JSONDict:
        if user.id not in chat.members and chat.type != "private":
            chat.members.append(user.id)
        msg: JSONDict = {
            "message_id": self._new_message_id(chat.id),
            "from": user.to_dict(),
            "chat": chat.to_dict(),
            "date": self._ts(),
        }
        msg.update({k: v for k, v in fields.items() if v is not None})
        self.messages[(chat.id, msg["message_id"])] = msg
        return msg

    def _reply_link(self, chat: FakeChat, reply_to: int | None) -> JSONDict | None:
        if reply_to is None:
            return None
        target = self.messages.get((chat.id, reply_to))
        if target is None:
            raise KeyError(f"no message {reply_to} in chat {chat.id}")
        # Telegram nests one level only.
        return {k: v for k, v in target.items() if k != "reply_to_message"}

    def send_text(self, user: FakeUser, chat: FakeChat, text: str, *, reply_to: int | None = None) -> JSONDict:
        """A person types `text` in `chat` (optionally as a reply to message `reply_to`)."""
        entities = detect_entities(text)
        msg = self._user_message(
            user,
            chat,
            text=text,
            entities=entities or None,
            reply_to_message=self._reply_link(chat, reply_to),
        )
        self._log(user.full_name, chat, text)
        return self._queue("message", msg)

    def edit_text(self, user: FakeUser, chat: FakeChat, message_id: int, text: str) -> JSONDict:
        msg = dict(self.messages[(chat.id, message_id)])
        msg["text"] = text
        msg["edit_date"] = self._ts()
        entities = detect_entities(text)
        if entities:
            msg["entities"] = entities
        else:
            msg.pop("entities", None)
        self.messages[(chat.id, message_id)] = msg
        self._log(user.full_name, chat, text, kind="edit")
        return self._queue("edited_message", msg)

    def send_document(
        self,
        user: FakeUser,
        chat: FakeChat,
        content: bytes,
        file_name: str,
        mime_type: str | None = None,
        *,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> JSONDict:
        stored = self._store_file(content, file_name, mime_type, "document")
        doc: JSONDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "file_size": stored.file_size,
        }
        if mime_type:
            doc["mime_type"] = mime_type
        msg = self._user_message(
            user, chat, document=doc, caption=caption, caption_entities=caption_entities(caption),
            reply_to_message=self._reply_link(chat, reply_to),
        )  # fmt: skip
        self._log(user.full_name, chat, f"📎 {file_name} ({stored.file_size} B) {caption or ''}".rstrip())
        return self._queue("message", msg)

    def send_photo(
        self, user: FakeUser, chat: FakeChat, content: bytes, *, caption: str | None = None, reply_to: int | None = None
    ) -> JSONDict:
        """A person sends a picture: Telegram keeps no name, re-encodes it as JPEG and lists its sizes."""
        stored = self._store_file(content, None, "image/jpeg", "photo")
        thumb = self._store_file(content[:1024], None, "image/jpeg", "photo")
        sizes = [
            {"file_id": thumb.file_id, "file_unique_id": thumb.file_unique_id, "width": 90, "height": 120,
             "file_size": thumb.file_size},
            {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "width": 960, "height": 1280,
             "file_size": stored.file_size},
        ]  # fmt: skip
        msg = self._user_message(
            user, chat, photo=sizes, caption=caption, caption_entities=caption_entities(caption),
            reply_to_message=self._reply_link(chat, reply_to),
        )  # fmt: skip
        self._log(user.full_name, chat, f"🖼 ({stored.file_size} B) {caption or ''}".rstrip())
        return self._queue("message", msg)

    def send_sticker(self, user: FakeUser, chat: FakeChat) -> JSONDict:
        stored = self._store_file(b"RIFF0000WEBP", "sticker.webp", "image/webp", "sticker")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        msg = self._user_message(user, chat, sticker=sticker)
        self._log(user.full_name, chat, "[sticker 👍]")
        return self._queue("message", msg)

    def press(self, user: FakeUser, chat: FakeChat, message_id: int, data: str) -> JSONDict:
        """A person taps the inline button carrying `data` under message `message_id`."""
        message = self.messages.get((chat.id, message_id))
        if message is None:
            raise KeyError(f"no message {message_id} in chat {chat.id}")
        query_id = str(secrets.randbits(62))
        query: JSONDict = {
            "id": query_id,
            "from": user.to_dict(),
            "message": message,
            "chat_instance": str(abs(chat.id) * 7919 % 10**18),
            "data": data,
        }
        self.callback_queries[query_id] = query
        label = self._button_label(message, data) or data
        self._log(user.full_name, chat, f"[{label}]", kind="press")
        return self._queue("callback_query", query)

    def press_button(self, user: FakeUser, chat: FakeChat, message_id: int, text: str) -> JSONDict:
        """Like press(), finding the button by (a prefix of) its visible text."""
        message = self.messages.get((chat.id, message_id))
        if message is None:
            raise KeyError(f"no message {message_id} in chat {chat.id}")
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if button.get("text", "").startswith(text) and "callback_data" in button:
                    return self.press(user, chat, message_id, button["callback_data"])
        raise KeyError(f"no button {text!r} under message {message_id}")

    @staticmethod
    def _button_label(message: JSONDict, data: str) -> str | None:
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data") == data:
                    return str(button.get("text"))
        return None

    def _member_update(self, chat: FakeChat, by: FakeUser, old: str, new: str) -> JSONDict:
        payload: JSONDict = {
            "chat": chat.to_dict(),
            "from": by.to_dict(),
            "date": self._ts(),
            "old_chat_member": {"user": self.bot.to_dict(), "status": old},
            "new_chat_member": self._member_object(self.bot, new),
        }
        return self._queue("my_chat_member", payload)


    def add_bot(self, chat: FakeChat, by: FakeUser, *, start_param: str | None = None) -> list[JSONDict]:
        """`by` adds the bot to `chat`, optionally through a startgroup deep link.

        Telegram then sends my_chat_member and, for a deep link, "/start@bot <param>" from `by`.
        """
        old = chat.bot_status
        chat.bot_status = "member"
        if by.id not in chat.members:
            chat.members.append(by.id)
        self._log(by.full_name, chat, "thêm bot vào nhóm", kind="service")
        updates = [self._member_update(chat, by, old, "member")]
        if start_param is not None:
            text = f"/start@{self.bot.username} {start_param}"
            updates.append(self.send_text(by, chat, text))
        return updates

    def remove_bot(self, chat: FakeChat, by: FakeUser, *, ban: bool = False) -> JSONDict:
        old = chat.bot_status
        chat.bot_status = "kicked" if ban else "left"
        self._log(by.full_name, chat, "xoá bot khỏi nhóm", kind="service")
        return self._member_update(chat, by, old, chat.bot_status)

    def block_bot(self, user: FakeUser) -> JSONDict:
        self.blocked_by.add(user.id)
        return self._member_update(self.private(user), user, "member", "kicked")

    def migrate(self, chat: FakeChat, by: FakeUser) -> FakeChat:
        """Upgrade a group to a supergroup: new id, and the two service messages Telegram sends."""
        if chat.type != "group":
            raise ValueError("only basic groups migrate")
        new = FakeChat(
            -next(self._supergroup_ids) - 1_000_000_000_000,
            "supergroup",
            title=chat.title,
            members=list(chat.members),
            admins=set(chat.admins),
            owner_id=chat.owner_id,
            bot_status=chat.bot_status,
            migrated_from_id=chat.id,
        )
        chat.migrated_to = new
        self.chats[new.id] = new
        self._queue("message", self._user_message(by, chat, migrate_to_chat_id=new.id))
        self._queue("message", self._user_message(by, new, migrate_from_chat_id=chat.id))
        self._log(by.full_name, chat, f"nâng cấp thành siêu nhóm {new.id}", kind="service")
        return new
