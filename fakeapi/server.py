"""`FakeBotApiServer`: a `FakeTelegram` served over real HTTP, stdlib asyncio only.

Point the real `dondoc run` process at it with
``telegram.base_url: "http://127.0.0.1:PORT/bot"`` and ``base_file_url: "http://127.0.0.1:PORT/file/bot"``.

Routes (GET or POST):
  /bot<token>/<method>          -> `world.call`; 200 ``{"ok":true,"result":...}`` or the ApiError body
  /file/bot<token>/<file_path>  -> the file's bytes (faults for method "download" apply)
A wrong token answers 401 ``Unauthorized``.

Parameters come from the query string and the body: ``application/x-www-form-urlencoded`` (PTB's
plain calls), ``multipart/form-data`` (uploads) or ``application/json``. PTB sends every non-str
value JSON-encoded (`RequestParameter.json_value`), so a form value is decoded when it parses as a
JSON object, array, number or boolean; Bot API parameters typed String are always kept as text.

Injected transport faults (error_code 0 in the world's record):
  network -> the connection is closed without an answer; httpx raises RemoteProtocolError and PTB
             `NetworkError`.
  timeout -> the request is held, unanswered, until the client gives up (it closes the connection)
             or `hold_timeout` passes; a client whose read timeout is shorter sees PTB `TimedOut`,
             exactly as with a stalled Telegram. A 504 would turn into `NetworkError`, not `TimedOut`.

Run ``python -m fakeapi.server --port N`` to serve a fresh world by hand; its token is
`FakeTelegram`'s default ("123456789:TEST-token_for_the_fake_bot_api_0000").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from fakeapi.faults import ApiError
from fakeapi.models import Call, JSONDict, UploadedFile
from fakeapi.world import FakeTelegram

log = logging.getLogger("dondoc.fakeapi.server")

_MAX_HEAD = 64 * 1024
_MAX_BODY = 64 * 1024 * 1024  # above Telegram's 50 MB upload cap
_READ_CHUNK = 64 * 1024
# Bot API parameters of type String: "123" or "true" typed by a user must stay text.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "parse_mode",
        "url",
        "secret_token",
        "description",
        "short_description",
        "name",
        "title",
        "language_code",
        "business_connection_id",
        "message_effect_id",
    }
)


class _BadHttp(Exception):
    """The peer did not speak HTTP/1.1 well enough to answer; reply 400 and close."""


@dataclass(frozen=True)
class Arrival:
    """A Bot API request as it reached the server (before the world ran it)."""

    at: float  # time.monotonic()
    method: str


@dataclass
class _Request:
    method: str
    target: str
    version: str
    headers: dict[str, str]
    body: bytes

    @property
    def keep_alive(self) -> bool:
        connection = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.0":
            return connection == "keep-alive"
        return connection != "close"


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    # None: no answer at all (a transport fault); the connection is closed instead.
    fault: str | None = None


class _Connection:
    """Buffered reads over one keep-alive connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self.buf = bytearray()
        self.eof = False

    async def _fill(self) -> bool:
        chunk = await self._reader.read(_READ_CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        if len(self.buf) > _MAX_BODY + _MAX_HEAD:
            raise _BadHttp("request too large")
        return True

    async def wait_eof(self) -> None:
        """Return when the peer closes; anything it sends meanwhile stays buffered."""
        while await self._fill():
            pass

    async def _read_until(self, sep: bytes, limit: int) -> bytes | None:
        while (i := self.buf.find(sep)) < 0:
            if len(self.buf) > limit:
                raise _BadHttp("header too large")
            if not await self._fill():
                if self.buf:
                    raise _BadHttp("connection closed mid-request")
                return None
        data = bytes(self.buf[:i])
        del self.buf[: i + len(sep)]
        return data

    async def _read_exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            if not await self._fill():
                raise _BadHttp("connection closed mid-body")
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    async def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            line = await self._read_until(b"\r\n", _MAX_HEAD)
            if line is None:
                raise _BadHttp("connection closed mid-body")
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BadHttp("bad chunk size") from None
            if size == 0:
                # Skip trailers up to the empty line.
                while await self._read_until(b"\r\n", _MAX_HEAD):
                    pass
                return bytes(body)
            body += await self._read_exactly(size)
            if len(body) > _MAX_BODY:
                raise _BadHttp("body too large")
            if await self._read_exactly(2) != b"\r\n":
                raise _BadHttp("bad chunk terminator")

    async def read_request(self) -> _Request | None:
        """The next request, or None when the peer closed cleanly between requests."""
        while self.buf.startswith(b"\r\n"):  # RFC 9112: tolerate stray CRLFs between requests
            del self.buf[:2]
        head = await self._read_until(b"\r\n\r\n", _MAX_HEAD)
        if head is None:
            return None
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise _BadHttp("bad request line")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                raise _BadHttp("bad header line")
            headers[name.strip().lower()] = value.strip()
        if headers.get("expect", "").lower() == "100-continue":
            # curl asks before uploading more than 1 KB and would otherwise stall for a second.
            self._writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            await self._writer.drain()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = await self._read_chunked()
        else:
            try:
                length = int(headers.get("content-length", "0"))
            except ValueError:
                raise _BadHttp("bad content-length") from None
            if not 0 <= length <= _MAX_BODY:
                raise _BadHttp("bad content-length")
            body = await self._read_exactly(length)
        return _Request(parts[0].upper(), parts[1], parts[2], headers, body)


class FakeBotApiServer:
    """Serves `world` over HTTP on 127.0.0.1. Use as ``async with FakeBotApiServer(world) as srv:``."""

    def __init__(self, world: FakeTelegram | None = None, *, hold_timeout: float = 60.0) -> None:
        self.world = world or FakeTelegram()
        self.hold_timeout = hold_timeout
        self.host = "127.0.0.1"
        self.port = 0
        self.arrivals: list[Arrival] = []
        self.connections = 0  # accepted so far; lets tests see keep-alive at work
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = await asyncio.start_server(self._serve, host, port)
        self.host = host
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        # Long polls and held requests would otherwise outlive the server.
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def __aenter__(self) -> FakeBotApiServer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def wait_for_call(
        self, method: str, where: Callable[[Call], bool] | None = None, *, within: float = 30.0
    ) -> Call:
        """The first recorded call to `method` (matching `where`), waiting up to `within` seconds for it."""
        deadline = time.monotonic() + within
        while True:
            for call in self.world.calls_to(method):
                if where is None or where(call):
                    return call
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {method} call within {within} s")
            await asyncio.sleep(0.02)

    # ------------------------------------------------------------------ connections

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        conn = _Connection(reader, writer)
        try:
            while True:
                try:
                    request = await conn.read_request()
                except _BadHttp as exc:
                    body = ApiError(400, f"Bad Request: {exc}").body()
                    await _write(writer, _Response(400, body), keep_alive=False)
                    return
                if request is None:
                    return
                response = await self._answer(request, conn)
                if response is None:
                    return  # the client left while we were working on it
                if response.fault == "timeout":
                    # Never answer; let the client's read timeout fire (or give up after hold_timeout).
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(conn.wait_eof(), self.hold_timeout)
                    return
                if response.fault is not None:
                    return  # "network": drop the connection unanswered
                if not await _write(writer, response, keep_alive=request.keep_alive) or not request.keep_alive:
                    return
        except (ConnectionError, _BadHttp):
            pass
        except asyncio.CancelledError:
            # stop() cancels open connections. Ending quietly: Python 3.11's stream callback would
            # otherwise log the cancellation as an error for every idle keep-alive connection.
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
            self._tasks.discard(task)

    async def _answer(self, request: _Request, conn: _Connection) -> _Response | None:
        if request.method not in ("GET", "POST"):
            return _Response(405, ApiError(405, "Method Not Allowed").body())
        url = urlsplit(request.target)
        path = unquote(url.path)
        if path.startswith("/file/bot"):
            token, _, file_path = path.removeprefix("/file/bot").partition("/")
            if token != self.world.token:
                return _Response(401, ApiError(401, "Unauthorized").body())
            return self._download(file_path)
        token, _, api_method = path.removeprefix("/bot").partition("/")
        if not path.startswith("/bot") or not api_method or "/" in api_method:
            return _Response(404, ApiError.not_found().body())
        if token != self.world.token:
            return _Response(401, ApiError(401, "Unauthorized").body())
        try:
            params, files = _parse_params(url.query, request)
        except (ValueError, UnicodeDecodeError) as exc:
            return _Response(400, ApiError.bad_request(f"can't parse request: {exc}").body())
        self.arrivals.append(Arrival(time.monotonic(), api_method))
        try:
            record = await _unless_client_leaves(self.world.call(api_method, params, files), conn)
        except Exception:
            # A bug in the fake must not look like a hung Telegram: answer 500 and keep serving.
            log.exception("world.call(%s) failed", api_method)
            return _Response(500, ApiError(500, "Internal Server Error").body())
        if record is None:
            return None
        if record.error is not None:
            if record.error.error_code == 0:
                return _Response(0, b"", fault=record.error.description)
            error = ApiError(record.error.error_code, record.error.description, record.error.parameters)
            return _Response(record.error.error_code, error.body())
        return _Response(200, json.dumps({"ok": True, "result": record.result}).encode())

    def _download(self, file_path: str) -> _Response:
        # FaultRule documents "download" as the method name of file downloads.
        fault = self.world.take_fault("download", {})
        if fault is not None:
            if fault.kind == "http" and fault.error is not None:
                return _Response(fault.error.error_code, fault.error.body())
            return _Response(0, b"", fault=fault.kind)
        try:
            content = self.world.download(file_path)
        except ApiError as exc:
            return _Response(exc.error_code, exc.body())
        return _Response(200, content, content_type="application/octet-stream")


async def _unless_client_leaves(call: Any, conn: _Connection) -> Call | None:
    """Run `call`; cancel it (a getUpdates long poll, say) if the client closes the connection first."""
    work: asyncio.Task[Call] = asyncio.ensure_future(call)
    watch = asyncio.ensure_future(conn.wait_eof())
    try:
        await asyncio.wait({work, watch}, return_when=asyncio.FIRST_COMPLETED)
        if work.done():
            return work.result()
        return None
    finally:
        for task in (work, watch):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


async def _write(writer: asyncio.StreamWriter, response: _Response, *, keep_alive: bool) -> bool:
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = "Unknown"
    headers = {
        "Content-Type": response.content_type,
        "Content-Length": str(len(response.body)),
        "Connection": "keep-alive" if keep_alive else "close",
        "Server": "dondoc-fake-bot-api",
    }
    head = f"HTTP/1.1 {response.status} {phrase}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    try:
        writer.write(head.encode("latin-1") + b"\r\n" + response.body)
        await writer.drain()
    except ConnectionError:
        return False
    return True


# ---------------------------------------------------------------------- request bodies


def _decode_value(name: str, raw: str) -> Any:
    """Undo PTB's `json_value`: non-str values arrive JSON-encoded, str values arrive as they are."""
    if name in _STRING_PARAMS:
        return raw
    try:
        value = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(value, float) and not math.isfinite(value):
        return raw  # "NaN" / "Infinity" are words here, not numbers
    return value if isinstance(value, dict | list | int | float | bool) else raw


def _parse_params(query: str, request: _Request) -> tuple[JSONDict, dict[str, UploadedFile]]:
    params: JSONDict = {k: _decode_value(k, v) for k, v in parse_qsl(query, keep_blank_values=True)}
    files: dict[str, UploadedFile] = {}
    content_type = request.headers.get("content-type", "")
    kind = content_type.split(";", 1)[0].strip().lower()
    if not request.body:
        return params, files
    if kind == "application/json":
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        params.update(data)
    elif kind == "multipart/form-data":
        _parse_multipart(content_type, request.body, params, files)
    else:  # x-www-form-urlencoded, also when the client did not say
        pairs = parse_qsl(request.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        params.update({k: _decode_value(k, v) for k, v in pairs})
    return params, files


def _parse_multipart(content_type: str, body: bytes, params: JSONDict, files: dict[str, UploadedFile]) -> None:
    # The email parser wants a whole MIME message: give it the request's Content-Type as its header.
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise ValueError("multipart body without parts")
    for part in message.get_payload():
        if not isinstance(part, Message):
            continue
        name = _utf8(part.get_param("name", header="content-disposition"))
        if not name:
            raise ValueError("multipart part without a name")
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        file_name = part.get_param("filename", header="content-disposition")
        if file_name is None:
            params[name] = _decode_value(name, content.decode("utf-8"))
        else:
            files[name] = UploadedFile(
                field=name,
                file_name=_utf8(file_name),
                content=content,
                mime_type=part.get_content_type(),
            )


def _utf8(value: object) -> str:
    """A header parameter as text: httpx writes raw UTF-8, which the parser keeps as surrogate escapes."""
    if isinstance(value, tuple):  # RFC 2231 form: (charset, language, value)
        value = value[2]
    if not isinstance(value, str):
        return ""
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeDecodeError:
        return value


# ---------------------------------------------------------------------- python -m fakeapi.server


async def _main(host: str, port: int) -> None:
    server = FakeBotApiServer()
    await server.start(host, port)
    print(f"listening http://{server.host}:{server.port}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description="Serve a fresh fake Telegram Bot API over HTTP.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8081)
    args = ap.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(args.host, args.port))


if __name__ == "__main__":
    main()
