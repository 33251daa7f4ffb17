"""The fake Bot API's HTTP/1.1 framing: reading a request (lengths, chunks, keep-alive) off a stream.

Hand-written on purpose: the fault injection needs control of the connection itself (close without
an answer, hold a request until the client leaves), which a framework's request handler hides.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

MAX_HEAD = 64 * 1024
MAX_BODY = 64 * 1024 * 1024  # above Telegram's 50 MB upload cap
READ_CHUNK = 64 * 1024
# Bot API parameters of type String: "123" or "true" typed by a user must stay text.
class BadHttp(Exception):
    """The peer did not speak HTTP/1.1 well enough to answer; reply 400 and close."""


@dataclass(frozen=True)
class Arrival:
    """A Bot API request as it reached the server (before the world ran it)."""

    at: float  # time.monotonic()
    method: str


@dataclass
class Request:
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
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    # None: no answer at all (a transport fault); the connection is closed instead.
    fault: str | None = None


class Connection:
    """Buffered reads over one keep-alive connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self.buf = bytearray()
        self.eof = False

    async def _fill(self) -> bool:
        chunk = await self._reader.read(READ_CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        if len(self.buf) > MAX_BODY + MAX_HEAD:
            raise BadHttp("request too large")
        return True

    async def wait_eof(self) -> None:
        """Return when the peer closes; anything it sends meanwhile stays buffered."""
        while await self._fill():
            pass

    async def _read_until(self, sep: bytes, limit: int) -> bytes | None:
        while (i := self.buf.find(sep)) < 0:
            if len(self.buf) > limit:
                raise BadHttp("header too large")
            if not await self._fill():
                if self.buf:
                    raise BadHttp("connection closed mid-request")
                return None
        data = bytes(self.buf[:i])
        del self.buf[: i + len(sep)]
        return data

    async def _read_exactly(self, n: int) -> bytes:
        while len(self.buf) < n:
            if not await self._fill():
                raise BadHttp("connection closed mid-body")
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    async def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            line = await self._read_until(b"\r\n", MAX_HEAD)
            if line is None:
                raise BadHttp("connection closed mid-body")
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise BadHttp("bad chunk size") from None
            if size == 0:
                # Skip trailers up to the empty line.
                while await self._read_until(b"\r\n", MAX_HEAD):
                    pass
                return bytes(body)
            body += await self._read_exactly(size)
            if len(body) > MAX_BODY:
                raise BadHttp("body too large")
            if await self._read_exactly(2) != b"\r\n":
                raise BadHttp("bad chunk terminator")

    async def read_request(self) -> Request | None:
        """The next request, or None when the peer closed cleanly between requests."""
        while self.buf.startswith(b"\r\n"):  # RFC 9112: tolerate stray CRLFs between requests
            del self.buf[:2]
        head = await self._read_until(b"\r\n\r\n", MAX_HEAD)
        if head is None:
            return None
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise BadHttp("bad request line")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                raise BadHttp("bad header line")
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
                raise BadHttp("bad content-length") from None
            if not 0 <= length <= MAX_BODY:
                raise BadHttp("bad content-length")
            body = await self._read_exactly(length)
        return Request(parts[0].upper(), parts[1], parts[2], headers, body)
