"""Error answers of the Bot API and faults a test can inject."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Literal

from fakeapi.models import CallError, JSONDict

FaultKind = Literal["http", "timeout", "network"]


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status plus Telegram's JSON body."""

    def __init__(self, error_code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def body(self) -> bytes:
        data: JSONDict = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            data["parameters"] = self.parameters
        return json.dumps(data).encode()

    def as_call_error(self) -> CallError:
        return CallError(self.error_code, self.description, self.parameters)

    @classmethod
    def bad_request(cls, what: str) -> ApiError:
        return cls(400, f"Bad Request: {what}")

    @classmethod
    def forbidden(cls, what: str) -> ApiError:
        return cls(403, f"Forbidden: {what}")

    @classmethod
    def not_found(cls) -> ApiError:
        return cls(404, "Not Found")

    @classmethod
    def too_many(cls, retry_after: int) -> ApiError:
        return cls(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})

    @classmethod
    def migrated(cls, new_chat_id: int) -> ApiError:
        return cls(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": new_chat_id},
        )


@dataclass(frozen=True)
class Fault:
    """What goes wrong with one call. Build with the class methods."""

    kind: FaultKind
    error: ApiError | None = field(default=None, compare=False)
    # For timeouts: whether Telegram still carried out the call (the answer was lost on the way back).
    after_effect: bool = False
    label: str = ""

    @classmethod
    def retry_after(cls, seconds: int) -> Fault:
        return cls("http", ApiError.too_many(seconds), label=f"retry_after({seconds})")

    @classmethod
    def server_error(cls, status: int = 502) -> Fault:
        if not 500 <= status <= 599:
            raise ValueError("server_error needs a 5xx status")
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Server Error"
        return cls("http", ApiError(status, phrase), label=f"server_error({status})")

    @classmethod
    def timeout(cls, *, after_effect: bool = False) -> Fault:
        """Raise `TimedOut` from the transport. With after_effect the call still took effect."""
        return cls("timeout", after_effect=after_effect, label="timeout")

    @classmethod
    def network_error(cls) -> Fault:
        return cls("network", label="network_error")

    @classmethod
    def forbidden(cls, what: str = "bot was blocked by the user") -> Fault:
        return cls("http", ApiError.forbidden(what), label=f"forbidden({what})")

    @classmethod
    def bad_request(cls, what: str) -> Fault:
        return cls("http", ApiError.bad_request(what), label=f"bad_request({what})")

    @classmethod
    def chat_migrated(cls, new_chat_id: int) -> Fault:
        return cls("http", ApiError.migrated(new_chat_id), label=f"chat_migrated({new_chat_id})")

    def __str__(self) -> str:
        return self.label or self.kind


@dataclass
class FaultRule:
    """A queued fault: applies to the next `remaining` matching calls (None: forever)."""

    method: str  # Bot API method name, "download" for file downloads, or "*"
    fault: Fault
    chat_id: int | str | None
    remaining: int | None

    def matches(self, method: str, chat_id: object) -> bool:
        if self.method != "*" and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)
