"""Plain data objects of the fake Telegram world: people, chats, recorded calls, files, transcript."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeAlias

JSONDict: TypeAlias = dict[str, Any]
ChatType = Literal["private", "group", "supergroup", "channel"]
# Statuses the fake models for the bot and for people in a chat.
MemberStatus = Literal["creator", "administrator", "member", "left", "kicked"]


@dataclass(frozen=True)
class FakeUser:
    """A Telegram account. Frozen so it can key dicts; mutable state lives in the world."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "vi"
    is_bot: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    def to_dict(self) -> JSONDict:
        """The `User` object exactly as the Bot API serialises it (absent fields omitted)."""
        data: JSONDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name is not None:
            data["last_name"] = self.last_name
        if self.username is not None:
            data["username"] = self.username
        if self.language_code is not None and not self.is_bot:
            data["language_code"] = self.language_code
        return data


@dataclass(eq=False)
class FakeChat:
    """A chat. Identity is the object (a migrated group keeps its old object and id)."""

    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    user: FakeUser | None = None  # the person, for private chats
    members: list[int] = field(default_factory=list)  # user ids, join order
    admins: set[int] = field(default_factory=set)
    owner_id: int | None = None
    bot_status: MemberStatus = "left"
    migrated_to: FakeChat | None = None
    migrated_from_id: int | None = None

    @property
    def label(self) -> str:
        """Human-readable name used in transcripts."""
        if self.type == "private" and self.user is not None:
            return f"{self.user.full_name} (private)"
        return self.title or str(self.id)

    @property
    def bot_is_in(self) -> bool:
        return self.type == "private" or self.bot_status in ("member", "administrator", "creator")

    def to_dict(self) -> JSONDict:
        """The short `Chat` object embedded in messages."""
        data: JSONDict = {"id": self.id}
        if self.type == "private" and self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.last_name is not None:
                data["last_name"] = self.user.last_name
            if self.user.username is not None:
                data["username"] = self.user.username
        else:
            data["title"] = self.title
            if self.username is not None:
                data["username"] = self.username
        data["type"] = self.type
        return data

    def status_of(self, user_id: int) -> MemberStatus:
        if user_id == self.owner_id:
            return "creator"
        if user_id in self.admins:
            return "administrator"
        if user_id in self.members:
            return "member"
        return "left"


@dataclass(frozen=True)
class CallError:
    """Why a call failed. error_code 0 means it never got an HTTP answer (timeout, network)."""

    error_code: int
    description: str
    parameters: JSONDict | None = None


@dataclass(frozen=True)
class UploadedFile:
    """One multipart part the bot uploaded."""

    field: str
    file_name: str
    content: bytes
    mime_type: str


@dataclass
class Call:
    """One request the bot made to the fake Bot API, in arrival order."""

    method: str
    params: JSONDict
    at: datetime
    files: dict[str, UploadedFile] = field(default_factory=dict)
    result: Any = None
    error: CallError | None = None
    injected: bool = False  # True when the outcome came from a fault rule or flood limit

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class StoredFile:
    """A file Telegram keeps: sent by a user or uploaded by the bot."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None
    mime_type: str | None
    kind: str  # "document", "photo", "sticker"
    file_path: str  # relative path served by the file endpoint

    @property
    def file_size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class TranscriptLine:
    """One readable line of the conversation, for `dondoc demo` and test failure output."""

    at: datetime
    actor: str
    chat: str
    text: str
    kind: str = "message"  # message, edit, press, service, error, dropped

    def __str__(self) -> str:
        tag = "" if self.kind == "message" else f" ({self.kind})"
        return f"[{self.chat}] {self.actor}{tag}: {self.text}"
