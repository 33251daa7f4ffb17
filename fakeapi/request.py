"""`FakeRequest`: the `BaseRequest` that connects PTB's real Application to the fake world."""

from __future__ import annotations

import json
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from fakeapi.faults import ApiError
from fakeapi.models import JSONDict, UploadedFile
from fakeapi.world import FakeTelegram


class FakeRequest(BaseRequest):
    """Answers every HTTP call PTB makes from `world`, in-process, with no network."""

    def __init__(self, world: FakeTelegram, *, read_timeout: float | None = 5.0) -> None:
        self.world = world
        self._read_timeout = read_timeout
        self.initialized = False
        self.closed = False

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        self.initialized = True

    async def shutdown(self) -> None:
        self.closed = True

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            fault = self.world.take_fault("download", {})
            if fault is not None:
                if fault.error is not None:
                    return fault.error.error_code, fault.error.body()
                raise TimedOut("fake timeout") if fault.kind == "timeout" else NetworkError("fake network error")
            try:
                return 200, self.world.download(url.split("/file/bot", 1)[1].split("/", 1)[1])
            except ApiError as exc:
                return exc.error_code, exc.body()
        token, api_method = url.rsplit("/", 2)[-2:]
        if token.removeprefix("bot") != self.world.token:
            return 401, ApiError(401, "Unauthorized").body()
        params: JSONDict = dict(request_data.parameters) if request_data is not None else {}
        files = _files(request_data)
        record = await self.world.call(api_method, params, files)
        if record.error is not None:
            if record.error.error_code == 0:
                if record.error.description == "timeout":
                    raise TimedOut("fake timeout")
                raise NetworkError("fake network error")
            error = ApiError(record.error.error_code, record.error.description, record.error.parameters)
            return record.error.error_code, error.body()
        return 200, json.dumps({"ok": True, "result": record.result}).encode()


def _files(request_data: RequestData | None) -> dict[str, UploadedFile]:
    if request_data is None or not request_data.contains_files:
        return {}
    out: dict[str, UploadedFile] = {}
    for name, (file_name, content, mime) in request_data.multipart_data.items():
        raw: Any = content if isinstance(content, bytes) else content.read()
        out[name] = UploadedFile(field=name, file_name=file_name, content=bytes(raw), mime_type=mime)
    return out
