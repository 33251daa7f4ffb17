"""Updates the database could not store (disk full, locked, unreachable), kept to be stored later.

Why a local spool and not "leave it unconfirmed with Telegram": the offset is one number, so an
update held back holds back every later one (getUpdates returns at most 100 above it), and webhook
mode would have to answer 500 and stall the whole queue; other chats must keep being served. The
spool lets the update be confirmed, says so truthfully, and is replayed in order once the fault
clears. Stored exactly once because replies are unique by (chat, message) and taps by callback id,
so a replay after a crash, or alongside a redelivery, adds nothing.

Why it survives a full disk: the file is allocated in full (zeros written and synced) when the bot
starts, and records are written into those blocks in place, so no new block is needed (ext4, xfs,
tmpfs; a copy-on-write filesystem such as btrfs or zfs may still refuse). A record is one line,
b"P" + JSON + b"\\n"; replaying marks it b"D" in place; when every record is done the used part is
zeroed from the start, and reading stops at the first zero byte. When the spool cannot take a
record (full, unwritable), the person is asked to send it again instead.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy.exc

log = logging.getLogger("dondoc.spool")

SPOOL_BYTES = 4 * 1024 * 1024  # about 2,000 replies; an outage that outgrows it asks for resends
_CHUNK = 64 * 1024
_PENDING, _DONE = b"P", b"D"
_SQLITE_TRANSIENT = {"SQLITE_FULL", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_CANTOPEN"}
# PostgreSQL SQLSTATE classes: 08 connection, 53 insufficient resources (53100 disk full),
# 57P operator intervention (shutdown, cannot connect now), 40P01 deadlock, 55P03 lock not available.
_PG_TRANSIENT = ("08", "53", "57P", "40P01", "55P03")
_OS_TRANSIENT = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS}


def _causes(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo and len(out) < 12:
        cur = todo.pop()
        if cur is None or cur in out:
            continue
        out.append(cur)
        todo += [cur.__cause__, cur.__context__, getattr(cur, "orig", None)]
    return out


def is_storage_fault(exc: BaseException) -> bool:
    """A fault of the storage that goes away by itself, as opposed to a bug or a bad request."""
    for cur in _causes(exc):
        if isinstance(cur, sqlalchemy.exc.DBAPIError) and cur.connection_invalidated:
            return True
        if isinstance(cur, sqlalchemy.exc.TimeoutError | ConnectionError | TimeoutError):
            return True  # the pool could not hand out a connection; the server is gone or slow
        if isinstance(cur, OSError) and cur.errno in _OS_TRANSIENT:
            return True
        if isinstance(cur, sqlite3.Error) and getattr(cur, "sqlite_errorname", "") in _SQLITE_TRANSIENT:
            return True
        code = getattr(cur, "sqlstate", None) or getattr(cur, "pgcode", None)
        if isinstance(code, str) and code.startswith(_PG_TRANSIENT):
            return True
        if type(cur).__module__.startswith("asyncpg") and type(cur).__name__ in (
            "ConnectionDoesNotExistError", "InterfaceError", "CannotConnectNowError",
        ):  # fmt: skip
            return True
    return False


class Spool:
    """The preallocated file of raw updates; one process owns it (an exclusive flock)."""

    def __init__(self, path: Path, size: int = SPOOL_BYTES) -> None:
        self.path = path
        self.size = size
        self._fd: int | None = None
        self._end = 0
        self.records: list[tuple[int, dict[str, Any]]] = []  # (offset, update) still pending, in order

    def open(self) -> bool:
        """Allocate (or reopen) the file and load what is pending; False when it cannot be used."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            log.warning("event=spool_unavailable error=%s", exc)
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            data = self._read_all(fd)
            if os.fstat(fd).st_size < self.size:
                self._fill(fd, os.fstat(fd).st_size)
        except OSError as exc:  # another process has it, or the disk is full already
            os.close(fd)
            log.warning("event=spool_unavailable error=%s", exc)
            return False
        self._fd = fd
        self._load(data)
        return True

    def _read_all(self, fd: int) -> bytes:
        data = os.pread(fd, self.size, 0)
        cut = data.find(b"\0")
        return data if cut < 0 else data[:cut]

    def _fill(self, fd: int, start: int) -> None:
        zeros = b"\0" * _CHUNK
        for offset in range(start, self.size, _CHUNK):
            os.pwrite(fd, zeros[: min(_CHUNK, self.size - offset)], offset)
        os.fsync(fd)

    def _load(self, data: bytes) -> None:
        self._end = len(data)
        if data and not data.endswith(b"\n"):  # a record cut by a crash: close it, it is skipped
            self._write(b"\n", self._end)
            self._end += 1
        offset = 0
        for line in data.split(b"\n"):
            if line[:1] == _PENDING:
                try:
                    self.records.append((offset, json.loads(line[1:])))
                except ValueError:
                    log.warning("event=spool_bad_record offset=%s", offset)
            offset += len(line) + 1

    def _write(self, data: bytes, offset: int) -> None:
        assert self._fd is not None
        os.pwrite(self._fd, data, offset)
        os.fsync(self._fd)

    def append(self, update: dict[str, Any]) -> bool:
        """Keep one update; False when it could not be kept (then nothing was promised)."""
        line = _PENDING + json.dumps(update, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
        if self._fd is None or self._end + len(line) > self.size:
            return False
        try:
            self._write(line, self._end)
        except OSError as exc:
            log.warning("event=spool_write_failed error=%s", exc)
            return False
        self.records.append((self._end, update))
        self._end += len(line)
        return True

    def done(self, offset: int) -> None:
        """Mark one record stored; when none is left, clear the file for the next outage."""
        self._write(_DONE, offset)
        self.records = [r for r in self.records if r[0] != offset]
        if not self.records and self._end:
            assert self._fd is not None
            self._fill_range(self._end)
            self._end = 0

    def _fill_range(self, end: int) -> None:
        assert self._fd is not None
        zeros = b"\0" * _CHUNK
        for offset in range(0, end, _CHUNK):  # from the start: a crash midway leaves nothing readable
            os.pwrite(self._fd, zeros[: min(_CHUNK, end - offset)], offset)
        os.fsync(self._fd)

    def chats(self) -> set[int]:
        out = set()
        for _, update in self.records:
            for key in ("message", "edited_message", "callback_query"):
                msg = update.get(key)
                if isinstance(msg, dict):
                    chat = (msg.get("message") or msg).get("chat") if key == "callback_query" else msg.get("chat")
                    if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                        out.add(chat["id"])
        return out

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
