"""`dondoc backup --out FILE`: a consistent copy of the live SQLite database.

sqlite3's online backup API copies every page inside one read transaction, so the copy is one
moment's snapshot even while the bot writes (WAL: readers never block writers). The copy is written
to a temporary file beside FILE, checked (PRAGMA integrity_check), synced and renamed over FILE, so
FILE is either the previous backup or a complete new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from bot import texts


class BackupError(Exception):
    """A backup that could not be made, phrased for the operator in one line."""


class NotSqliteError(BackupError):
    """The database is PostgreSQL: `command` is the pg_dump equivalent."""

    def __init__(self, command: str) -> None:
        super().__init__(command)
        self.command = command


@dataclass(frozen=True)
class BackupResult:
    source: Path
    out: Path
    size: int


def pg_dump_command(url: str, out: str | os.PathLike[str]) -> str:
    """pg_dump for the same database, in its custom format (restore with pg_restore); no password in it."""
    parsed = make_url(url)
    libpq = URL.create(
        "postgresql", username=parsed.username, host=parsed.host, port=parsed.port, database=parsed.database
    )
    target = libpq.render_as_string(hide_password=False)
    return f"pg_dump --format=custom --file={shlex.quote(str(out))} {shlex.quote(target)}"


def _fsync_dir(path: Path) -> None:
    # The rename is durable only once the directory entry is on disk (POSIX; a no-op elsewhere).
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_sqlite(source: Path, out: Path) -> BackupResult:
    if not source.is_file():
        raise BackupError(texts.BACKUP_NO_FILE.format(path=source))
    out = out.expanduser()
    directory = out.resolve().parent
    if not directory.is_dir():
        raise BackupError(texts.BACKUP_NO_DIR.format(path=directory))
    if out.exists() and out.resolve() == source.resolve():
        raise BackupError(texts.BACKUP_SAME_FILE.format(path=out))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        # timeout: the busy wait when the bot holds a lock for a moment (a checkpoint).
        src = sqlite3.connect(source, timeout=30)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)  # all pages in one step: one read transaction, one snapshot
                # The live file is in WAL mode; the copy must stand alone, with no -wal file beside it.
                dst.execute("PRAGMA journal_mode=DELETE")
                result = dst.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                dst.close()
        finally:
            src.close()
        if result != "ok":
            raise BackupError(texts.BACKUP_BAD_COPY.format(result=str(result)[:200]))
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, out)
        _fsync_dir(directory)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupResult(source=source, out=out, size=out.stat().st_size)


def backup_database(url: str, out: Path) -> BackupResult:
    """Back up the database at `url` to `out`; NotSqliteError carries the pg_dump command for PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise NotSqliteError(pg_dump_command(url, out))
    database = parsed.database or ""
    if database in ("", ":memory:") or parsed.query.get("mode") == "memory":
        raise BackupError(texts.BACKUP_IN_MEMORY)
    try:
        return backup_sqlite(Path(database), out)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(str(exc) or type(exc).__name__) from None
