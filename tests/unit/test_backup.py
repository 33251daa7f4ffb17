"""`dondoc backup --out FILE`: a consistent SQLite copy taken while another connection keeps writing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.backup import BackupError, NotSqliteError, backup_database
from db.migrate import head_revision, upgrade

REPO = Path(__file__).resolve().parents[2]
PAD = "x" * 1000  # rows big enough that a backup spans many pages


def _dondoc(cwd: Path, *args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    env.update({"PYTHONPATH": str(REPO), "DATABASE_URL": url})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def live_db(tmp_path: Path) -> Path:
    path = tmp_path / "live.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")  # the app's schema, in WAL mode as the bot leaves it
    (tmp_path / "config.yaml").write_text("admins: [1]\n", encoding="utf-8")
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)",
            [(f"pre{i:05d}", json.dumps({"pad": PAD}), datetime.now(UTC).isoformat()) for i in range(3000)],
        )
    return path


class Writer(threading.Thread):
    """Inserts numbered rows, one committed transaction each, until stopped (as the bot would)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.stop = threading.Event()
        self.written = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout=30000")
            while not self.stop.is_set():
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)",
                    (f"w{self.written:07d}", json.dumps({"pad": PAD}), "2026-11-23T00:00:00"),
                )
                conn.execute("COMMIT")
                self.written += 1
            conn.close()
        except BaseException as exc:  # surfaced by the test
            self.error = exc


@pytest.fixture
def writer(live_db: Path) -> Iterator[Writer]:
    thread = Writer(live_db)
    thread.start()
    try:
        yield thread
    finally:
        thread.stop.set()
        thread.join(30)


def _snapshot_keys(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # stands alone, no -wal beside it
        return [row[0] for row in conn.execute("SELECT key FROM app_state WHERE key LIKE 'w%' ORDER BY key")]


def test_backup_while_a_writer_writes_is_consistent_and_usable(live_db: Path, writer: Writer, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{live_db}"
    out = tmp_path / "backups" / "dondoc.sqlite3"
    out.parent.mkdir()
    counts: list[int] = []
    while writer.written < 50:  # the writer is really running before the first copy
        writer.stop.wait(0.01)
    for _ in range(4):
        before = writer.written
        result = backup_database(url, out)
        after = writer.written
        assert result.out == out and result.size == out.stat().st_size
        keys = _snapshot_keys(out)
        # One moment's snapshot: exactly the first n committed rows, no gap, nothing half-written.
        assert keys == [f"w{i:07d}" for i in range(len(keys))]
        assert before <= len(keys) <= after + 1
        counts.append(len(keys))
    writer.stop.set()
    writer.join(30)
    assert writer.error is None
    assert counts == sorted(counts) and counts[-1] > counts[0], counts  # the writer kept writing throughout
    assert [p.name for p in out.parent.iterdir()] == ["dondoc.sqlite3"]  # no temp file left

    # The copy is a dondoc database at the current revision.
    proc = _dondoc(tmp_path, "db", "current", url=f"sqlite+aiosqlite:///{out}")
    assert proc.returncode == 0, proc.stderr
    assert head_revision() in proc.stdout


def test_cli_backup_prints_what_it_wrote(live_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.sqlite3"
    proc = _dondoc(tmp_path, "backup", "--out", str(out), url=f"sqlite+aiosqlite:///{live_db}")
    assert proc.returncode == 0, proc.stderr
    assert str(out) in proc.stdout and "ok" in proc.stdout
    assert len(_snapshot_keys(out)) == 0


def test_a_failed_backup_keeps_the_previous_one(tmp_path: Path) -> None:
    out = tmp_path / "previous.sqlite3"
    out.write_bytes(b"previous backup")
    with pytest.raises(BackupError, match="missing"):
        backup_database(f"sqlite+aiosqlite:///{tmp_path / 'missing.sqlite3'}", out)
    (tmp_path / "not-a-db.sqlite3").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(BackupError):
        backup_database(f"sqlite+aiosqlite:///{tmp_path / 'not-a-db.sqlite3'}", out)
    assert out.read_bytes() == b"previous backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-db.sqlite3", "previous.sqlite3"]


def test_backup_refuses_to_overwrite_the_live_database(live_db: Path) -> None:
    with pytest.raises(BackupError, match=r"live\.sqlite3"):
        backup_database(f"sqlite+aiosqlite:///{live_db}", live_db)


def test_backup_into_a_missing_directory_is_one_clear_error(live_db: Path, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="nowhere"):
        backup_database(f"sqlite+aiosqlite:///{live_db}", tmp_path / "nowhere" / "x.sqlite3")


def test_postgresql_gets_the_pg_dump_equivalent(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://dondoc:s3cret@db.internal:5433/dondoc?ssl=require"
    with pytest.raises(NotSqliteError) as info:
        backup_database(url, tmp_path / "dondoc.dump")
    command = info.value.command
    assert command.startswith("pg_dump --format=custom --file=")
    assert "postgresql://dondoc@db.internal:5433/dondoc" in command
    assert "s3cret" not in command and "asyncpg" not in command
    (tmp_path / "config.yaml").write_text("admins: [1]\n", encoding="utf-8")
    proc = _dondoc(tmp_path, "backup", "--out", str(tmp_path / "x.dump"), url=url)
    assert proc.returncode == 1
    assert "pg_dump --format=custom" in proc.stderr and "s3cret" not in proc.stderr
    assert "Traceback" not in proc.stderr
