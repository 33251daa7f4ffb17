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
import time
from collections.abc import Callable
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from fakeapi.faults import ApiError
from fakeapi.http import Arrival, BadHttp, Connection, Request, Response
from fakeapi.models import Call
from fakeapi.params import parse_params
from fakeapi.world import FakeTelegram

log = logging.getLogger("dondoc.fakeapi.server")

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
        conn = Connection(reader, writer)
        try:
            while True:
                try:
                    request = await conn.read_request()
                except BadHttp as exc:
                    body = ApiError(400, f"Bad Request: {exc}").body()
                    await _write(writer, Response(400, body), keep_alive=False)
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
        except (ConnectionError, BadHttp):
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

    async def _answer(self, request: Request, conn: Connection) -> Response | None:
        if request.method not in ("GET", "POST"):
            return Response(405, ApiError(405, "Method Not Allowed").body())
        url = urlsplit(request.target)
        path = unquote(url.path)
        if path.startswith("/file/bot"):
            token, _, file_path = path.removeprefix("/file/bot").partition("/")
            if token != self.world.token:
                return Response(401, ApiError(401, "Unauthorized").body())
            return self._download(file_path)
        token, _, api_method = path.removeprefix("/bot").partition("/")
        if not path.startswith("/bot") or not api_method or "/" in api_method:
            return Response(404, ApiError.not_found().body())
        if token != self.world.token:
            return Response(401, ApiError(401, "Unauthorized").body())
        try:
            params, files = parse_params(url.query, request)
        except (ValueError, UnicodeDecodeError) as exc:
            return Response(400, ApiError.bad_request(f"can't parse request: {exc}").body())
        self.arrivals.append(Arrival(time.monotonic(), api_method))
        try:
            record = await _unless_client_leaves(self.world.call(api_method, params, files), conn)
        except Exception:
            # A bug in the fake must not look like a hung Telegram: answer 500 and keep serving.
            log.exception("world.call(%s) failed", api_method)
            return Response(500, ApiError(500, "Internal Server Error").body())
        if record is None:
            return None
        if record.error is not None:
            if record.error.error_code == 0:
                return Response(0, b"", fault=record.error.description)
            error = ApiError(record.error.error_code, record.error.description, record.error.parameters)
            return Response(record.error.error_code, error.body())
        return Response(200, json.dumps({"ok": True, "result": record.result}).encode())

    def _download(self, file_path: str) -> Response:
        # FaultRule documents "download" as the method name of file downloads.
        fault = self.world.take_fault("download", {})
        if fault is not None:
            if fault.kind == "http" and fault.error is not None:
                return Response(fault.error.error_code, fault.error.body())
            return Response(0, b"", fault=fault.kind)
        try:
            content = self.world.download(file_path)
        except ApiError as exc:
            return Response(exc.error_code, exc.body())
        return Response(200, content, content_type="application/octet-stream")


async def _unless_client_leaves(call: Any, conn: Connection) -> Call | None:
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


async def _write(writer: asyncio.StreamWriter, response: Response, *, keep_alive: bool) -> bool:
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
