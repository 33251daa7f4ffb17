"""An in-memory Telegram: people, chats, messages and the Bot API methods dondoc uses.

Tests and `dondoc demo` play users against it; `FakeRequest` (request.py) connects the real
`telegram.ext.Application` to it. Answers follow the real Bot API's shapes and error texts closely
enough that PTB raises the same exceptions it would in production.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from fakeapi.api import BotApi
from fakeapi.faults import ApiError
from fakeapi.models import (
    Call,
    CallError,
    JSONDict,
    UploadedFile,
)
from fakeapi.state import BOT_NAME, NOWHERE
from fakeapi.users import UsersAct


class FakeTelegram(UsersAct, BotApi):
    """The whole fake world. Not thread-safe: use it from one event loop."""

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
                self._log(BOT_NAME, self._chat_or_none(params) or NOWHERE, f"{method}: {exc}", kind="error")
        return record

    async def _dispatch(self, method: str, params: JSONDict, files: dict[str, UploadedFile]) -> Any:
        handler = _METHODS.get(method.lower())
        if handler is None:
            raise ApiError.not_found()
        return await handler(self, params, files)


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
