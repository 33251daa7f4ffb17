"""The fake Telegram's state: people, chats, messages, files, faults, and what the bot did.

The users' actions (fakeapi.users) and the Bot API methods (fakeapi.api) are mixins over it;
fakeapi.world.FakeTelegram puts them together.
"""

from __future__ import annotations

import asyncio
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
BOT_NAME = "dondoc"
NOWHERE = FakeChat(0, "private", title="?")


class WorldState:
    """The whole fake world's data. Not thread-safe: use it from one event loop."""

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

    def now(self) -> datetime:
        return self._clock()

    def _ts(self) -> int:
        return int(self.now().timestamp())

    def _new_message_id(self, chat_id: int) -> int:
        nxt = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = nxt + 1
        return nxt

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

    def _queue(self, kind: str, payload: JSONDict) -> JSONDict:
        update = {"update_id": next(self._update_ids), kind: payload}
        self.pending.append(update)
        self._update_event.set()
        return update

    def _chat_or_none(self, params: JSONDict) -> FakeChat | None:
        try:
            return self.chats.get(int(params.get("chat_id", 0)))
        except (TypeError, ValueError):
            return None

    def download(self, file_path: str) -> bytes:
        for stored in self.files.values():
            if stored.file_path == file_path:
                return stored.content
        raise ApiError.not_found()

    def _deliverable(self) -> list[JSONDict]:
        allowed = self.allowed_updates
        return [u for u in self.pending if allowed is None or not allowed or update_kind(u) in allowed]

    def take_pending(self) -> list[JSONDict]:
        """Hand every queued update to an in-process harness (instead of getUpdates)."""
        items = list(self.pending)
        self.pending.clear()
        return items

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
        self._log(BOT_NAME, chat, shown, kind=kind)

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
            file_path=f"{kind}s/file_{n}{suffix(file_name)}",
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


def caption_entities(caption: str | None) -> list[JSONDict] | None:
    return (detect_entities(caption) or None) if caption else None


def update_kind(update: JSONDict) -> str:
    return next(k for k in update if k != "update_id")


def scope_key(scope: JSONDict) -> str:
    kind = str(scope.get("type", "default"))
    return f"{kind}:{scope['chat_id']}" if "chat_id" in scope else kind


def suffix(file_name: str | None) -> str:
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[1][:8]
    return ""
