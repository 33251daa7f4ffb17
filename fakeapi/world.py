"""An in-memory Telegram: people, chats, messages and the Bot API methods dondoc uses.

Tests and `dondoc demo` play users against it; `FakeRequest` (request.py) connects the real
`telegram.ext.Application` to it. Answers follow the real Bot API's shapes and error texts closely
enough that PTB raises the same exceptions it would in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from fakeapi.faults import ApiError, Fault, FaultRule
from fakeapi.htmltext import HtmlParseError, detect_entities, parse_html, utf16_len
from fakeapi.models import (
    Call,
    CallError,
    FakeChat,
    FakeUser,
    JSONDict,
    StoredFile,
    TranscriptLine,
    UploadedFile,
)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_ANSWER_TEXT = 200
_BOT_NAME = "dondoc"


class FakeTelegram:
    """The whole fake world. Not thread-safe: use it from one event loop."""

    def __init__(
        self,
        *,
        bot_id: int = 7_123_456_789,
        bot_username: str = "dondoc_test_bot",
        token: str = "123456789:TEST-token_for_the_fake_bot_api_0000",
        clock: Callable[[], datetime] | None = None,
        strict_html: bool = True,
    ) -> None:
        self.bot = FakeUser(bot_id, "Đôn Đốc", username=bot_username, is_bot=True, language_code=None)
        self.token = token
        self._clock = clock or (lambda: datetime.now(UTC))
        # Real Telegram keeps a bare "&"; strict mode catches user text that was not escaped.
        self.strict_html = strict_html
        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        self.blocked_by: set[int] = set()  # users who blocked the bot
        self.messages: dict[tuple[int, int], JSONDict] = {}
        self._next_message_id: dict[int, int] = {}
        self._user_ids = itertools.count(100_000_001)
        self._group_ids = itertools.count(4_100_000_001)
        self._supergroup_ids = itertools.count(2_200_000_001)
        self._update_ids = itertools.count(500_000_001)
        self._file_ids = itertools.count(1)
        self.pending: deque[JSONDict] = deque()
        self._update_event = asyncio.Event()
        self._last_offset = 0
        self.calls: list[Call] = []
        self.rules: list[FaultRule] = []
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, JSONDict] = {}
        self.answered_queries: set[str] = set()
        self.commands: dict[str, list[JSONDict]] = {}
        self.transcript: list[TranscriptLine] = []
        self.allowed_updates: list[str] | None = None
        self.webhook_url = ""
        self.get_updates_count = 0

    # ------------------------------------------------------------------ time and ids

    def now(self) -> datetime:
        return self._clock()

    def _ts(self) -> int:
        return int(self.now().timestamp())

    def _new_message_id(self, chat_id: int) -> int:
        nxt = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = nxt + 1
        return nxt

    # ------------------------------------------------------------------ building the world

    def user(self, first_name: str, last_name: str | None = None, *, username: str | None = None) -> FakeUser:
        person = FakeUser(next(self._user_ids), first_name, last_name, username)
        self.users[person.id] = person
        return person

    def private(self, user: FakeUser) -> FakeChat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = FakeChat(user.id, "private", user=user, members=[user.id])
            self.chats[user.id] = chat
        return chat

    def group(
        self,
        title: str,
        members: Iterable[FakeUser],
        *,
        supergroup: bool = False,
        bot_member: bool = True,
        owner: FakeUser | None = None,
    ) -> FakeChat:
        ids = [m.id for m in members]
        chat_id = -next(self._supergroup_ids) - 1_000_000_000_000 if supergroup else -next(self._group_ids)
        chat = FakeChat(chat_id, "supergroup" if supergroup else "group", title=title, members=ids)
        chat.owner_id = owner.id if owner else (ids[0] if ids else None)
        chat.bot_status = "member" if bot_member else "left"
        self.chats[chat_id] = chat
        return chat

    def channel(self, title: str, *, username: str | None = None, bot_admin: bool = True) -> FakeChat:
        chat_id = -next(self._supergroup_ids) - 1_000_000_000_000
        chat = FakeChat(chat_id, "channel", title=title, username=username)
        chat.bot_status = "administrator" if bot_admin else "left"
        self.chats[chat_id] = chat
        return chat

    def chat(self, chat_id: int | str) -> FakeChat:
        try:
            return self.chats[int(chat_id)]
        except (KeyError, ValueError):
            raise ApiError.bad_request("chat not found") from None

    # ------------------------------------------------------------------ users act (inbound updates)

    def _queue(self, kind: str, payload: JSONDict) -> JSONDict:
        update = {"update_id": next(self._update_ids), kind: payload}
        self.pending.append(update)
        self._update_event.set()
        return update

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
            user, chat, document=doc, caption=caption, caption_entities=_caption_entities(caption),
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
            user, chat, photo=sizes, caption=caption, caption_entities=_caption_entities(caption),
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

    @staticmethod
    def _member_object(user: FakeUser, status: str) -> JSONDict:
        member: JSONDict = {"user": user.to_dict(), "status": status}
        if status == "administrator":
            member.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=False,
                can_restrict_members=False,
                can_promote_members=False,
                can_change_info=False,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
            )
        elif status == "creator":
            member["is_anonymous"] = False
        elif status == "kicked":
            member["until_date"] = 0
        return member

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

    # ------------------------------------------------------------------ faults

    def inject(
        self, method: str, fault: Fault, *, chat_id: int | str | None = None, times: int | None = 1
    ) -> FaultRule:
        """Make the next `times` matching calls fail (None: until cleared). Method "*" matches all."""
        rule = FaultRule(method, fault, chat_id, times)
        self.rules.append(rule)
        return rule

    def clear_faults(self) -> None:
        self.rules.clear()

    def take_fault(self, method: str, params: JSONDict) -> Fault | None:
        """The fault for this call, if a rule matches (consuming one use of the rule)."""
        for rule in self.rules:
            if rule.matches(method, params.get("chat_id")):
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self.rules.remove(rule)
                return rule.fault
        return None

    # ------------------------------------------------------------------ reading what the bot did

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method.lower() == method.lower() and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]

    def bot_messages(self, chat: FakeChat | int) -> list[JSONDict]:
        """Messages the bot has in `chat` now (after edits and deletions), oldest first."""
        chat_id = chat if isinstance(chat, int) else chat.id
        found = [
            m for (cid, _), m in self.messages.items() if cid == chat_id and m.get("from", {}).get("id") == self.bot.id
        ]
        return sorted(found, key=lambda m: int(m["message_id"]))

    def last_bot_message(self, chat: FakeChat | int) -> JSONDict:
        found = self.bot_messages(chat)
        if not found:
            raise AssertionError("the bot has sent nothing to this chat")
        return found[-1]

    def render_transcript(self) -> str:
        return "\n".join(str(line) for line in self.transcript)

    def _log(self, actor: str, chat: FakeChat, text: str, *, kind: str = "message") -> None:
        self.transcript.append(TranscriptLine(self.now(), actor, chat.label, text, kind))

    # ------------------------------------------------------------------ the Bot API

    async def call(self, method: str, params: JSONDict, files: dict[str, UploadedFile] | None = None) -> Call:
        """Run one Bot API call. The outcome (result or error) is recorded on the returned Call."""
        record = Call(method=method, params=params, at=self.now(), files=files or {})
        self.calls.append(record)
        fault = self.take_fault(method, params)
        if fault is not None:
            record.injected = True
            if fault.kind == "http" and fault.error is not None:
                record.error = fault.error.as_call_error()
                return record
            if fault.after_effect:
                with contextlib.suppress(ApiError):
                    record.result = await self._dispatch(method, params, files or {})
            record.error = CallError(0, fault.kind)
            return record
        try:
            record.result = await self._dispatch(method, params, files or {})
        except ApiError as exc:
            record.error = exc.as_call_error()
            if exc.error_code != 409:
                self._log(_BOT_NAME, self._chat_or_none(params) or _NOWHERE, f"{method}: {exc}", kind="error")
        return record

    def _chat_or_none(self, params: JSONDict) -> FakeChat | None:
        try:
            return self.chats.get(int(params.get("chat_id", 0)))
        except (TypeError, ValueError):
            return None

    async def _dispatch(self, method: str, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        handler = _METHODS.get(method.lower())
        if handler is None:
            raise ApiError.not_found()
        return await handler(self, params, files)

    def download(self, file_path: str) -> bytes:
        for stored in self.files.values():
            if stored.file_path == file_path:
                return stored.content
        raise ApiError.not_found()

    # --- methods

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

    def _deliverable(self) -> list[JSONDict]:
        allowed = self.allowed_updates
        return [u for u in self.pending if allowed is None or not allowed or _update_kind(u) in allowed]

    def take_pending(self) -> list[JSONDict]:
        """Hand every queued update to an in-process harness (instead of getUpdates)."""
        items = list(self.pending)
        self.pending.clear()
        return items

    async def _delete_webhook(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self.pending.clear()
        return True

    async def _set_webhook(self, params: JSONDict, files: dict[str, UploadedFile]) -> bool:
        self.webhook_url = str(params.get("url", ""))
        return True

    def _target(self, params: JSONDict) -> FakeChat:
        chat = self.chat(params.get("chat_id", 0))
        if chat.migrated_to is not None:
            raise ApiError.migrated(chat.migrated_to.id)
        if chat.type == "private":
            if chat.id in self.blocked_by:
                raise ApiError.forbidden("bot was blocked by the user")
        elif chat.bot_status == "kicked":
            kind = "supergroup" if chat.type == "supergroup" else "group"
            raise ApiError.forbidden(f"bot was kicked from the {kind} chat")
        elif chat.bot_status == "left":
            if chat.type == "channel":
                raise ApiError.bad_request("need administrator rights in the channel chat")
            raise ApiError.forbidden(f"bot is not a member of the {chat.type} chat")
        return chat

    def _formatted(self, params: JSONDict, key: str, limit: int) -> tuple[str, list[JSONDict]]:
        raw = str(params.get(key, ""))
        if params.get("parse_mode") == "HTML":
            try:
                text, entities = parse_html(raw, strict_ampersand=self.strict_html)
            except HtmlParseError as exc:
                raise ApiError.bad_request(f"can't parse entities: {exc}") from None
        elif params.get("parse_mode") in (None, ""):
            text = raw.strip()
            entities = list(params.get("entities") or [])
        else:
            raise ApiError.bad_request(f"unsupported parse_mode {params.get('parse_mode')}")
        if utf16_len(text) > limit:
            raise ApiError.bad_request("message is too long" if key == "text" else "message caption is too long")
        return text, entities + [e for e in detect_entities(text) if e["type"] in ("url", "bot_command")]

    @staticmethod
    def _check_markup(params: JSONDict) -> JSONDict | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if isinstance(markup, str):
            markup = json.loads(markup)
        if not isinstance(markup, dict):
            raise ApiError.bad_request("can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not button.get("text"):
                    raise ApiError.bad_request("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                    raise ApiError.bad_request("BUTTON_DATA_INVALID")
        return markup

    def _reply_target(self, chat: FakeChat, params: JSONDict) -> JSONDict | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, str):
            reply = json.loads(reply)
        if reply is None and params.get("reply_to_message_id") is not None:
            reply = {"message_id": params["reply_to_message_id"]}
        if not reply:
            return None
        target = self.messages.get((chat.id, int(reply["message_id"])))
        if target is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise ApiError.bad_request("message to be replied not found")
        return {k: v for k, v in target.items() if k != "reply_to_message"}

    def _bot_message(self, chat: FakeChat, params: JSONDict, **fields: Any) -> JSONDict:
        msg: JSONDict = {
            "message_id": self._new_message_id(chat.id),
            "from": self.bot.to_dict(),
            "chat": chat.to_dict(),
            "date": self._ts(),
        }
        if chat.type == "channel":
            del msg["from"]
            msg["sender_chat"] = chat.to_dict()
        markup = self._check_markup(params)
        reply_to = self._reply_target(chat, params)
        msg.update({k: v for k, v in fields.items() if v is not None and v != []})
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        if markup is not None and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        self.messages[(chat.id, msg["message_id"])] = msg
        return msg

    def _log_bot(self, chat: FakeChat, text: str, markup: JSONDict | None, *, kind: str = "message") -> None:
        buttons = [b["text"] for row in (markup or {}).get("inline_keyboard", []) for b in row]
        shown = text + ("\n  " + " ".join(f"[{b}]" for b in buttons) if buttons else "")
        self._log(_BOT_NAME, chat, shown, kind=kind)

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
            chat = self.chats.get(int(query["message"]["chat"]["id"]), _NOWHERE)
            tag = "alert" if params.get("show_alert") else "toast"
            self._log(_BOT_NAME, chat, f"({tag}) {text}", kind="answer")
        return True

    def _store_file(self, content: bytes, file_name: str | None, mime_type: str | None, kind: str) -> StoredFile:
        n = next(self._file_ids)
        file_id = f"BQACAgUAAxkBAAI{n:06d}{secrets.token_hex(8)}"
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=f"AgAD{n:06d}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
            kind=kind,
            file_path=f"{kind}s/file_{n}{_suffix(file_name)}",
        )
        self.files[file_id] = stored
        return stored

    def _upload(self, params: JSONDict, files: dict[str, UploadedFile], field: str, kind: str) -> StoredFile:
        value = params.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            part = files.get(value.removeprefix("attach://"))
            if part is None:
                raise ApiError.bad_request(f"wrong file identifier/HTTP URL specified ({field})")
            return self._store_file(part.content, part.file_name, part.mime_type, kind)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        part = files.get(field)
        if part is not None:
            return self._store_file(part.content, part.file_name, part.mime_type, kind)
        raise ApiError.bad_request(f"there is no {field} in the request")

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
        self._log(_BOT_NAME, chat, " ".join(emojis), kind="reaction")
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
        self.commands[_scope_key(scope)] = list(commands)
        return True

    async def _get_my_commands(self, params: JSONDict, files: dict[str, UploadedFile]) -> list[JSONDict]:
        scope = params.get("scope") or {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        return self.commands.get(_scope_key(scope), [])

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


def _caption_entities(caption: str | None) -> list[JSONDict] | None:
    return (detect_entities(caption) or None) if caption else None


def _update_kind(update: JSONDict) -> str:
    return next(k for k in update if k != "update_id")


def _scope_key(scope: JSONDict) -> str:
    kind = str(scope.get("type", "default"))
    return f"{kind}:{scope['chat_id']}" if "chat_id" in scope else kind


def _suffix(file_name: str | None) -> str:
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[1][:8]
    return ""


_NOWHERE = FakeChat(0, "private", title="?")
_Handler = Callable[[FakeTelegram, JSONDict, dict[str, UploadedFile]], Any]
_METHODS: dict[str, _Handler] = {
    "getme": FakeTelegram._get_me,
    "getupdates": FakeTelegram._get_updates,
    "deletewebhook": FakeTelegram._delete_webhook,
    "setwebhook": FakeTelegram._set_webhook,
    "sendmessage": FakeTelegram._send_message,
    "editmessagetext": FakeTelegram._edit_message_text,
    "editmessagereplymarkup": FakeTelegram._edit_message_reply_markup,
    "answercallbackquery": FakeTelegram._answer_callback_query,
    "senddocument": FakeTelegram._send_document,
    "sendphoto": FakeTelegram._send_photo,
    "getfile": FakeTelegram._get_file,
    "deletemessage": FakeTelegram._delete_message,
    "setmessagereaction": FakeTelegram._set_message_reaction,
    "setmycommands": FakeTelegram._set_my_commands,
    "getmycommands": FakeTelegram._get_my_commands,
    "deletemycommands": FakeTelegram._ok,
    "getchat": FakeTelegram._get_chat,
    "getchatmember": FakeTelegram._get_chat_member,
    "getchatadministrators": FakeTelegram._get_chat_administrators,
    "sendchataction": FakeTelegram._send_chat_action,
    "close": FakeTelegram._ok,
    "logout": FakeTelegram._ok,
}
