"""The local spool of updates the database could not store (bot/spool.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy.exc

from bot.runtime.spool import Spool, is_storage_fault


def test_records_survive_a_restart_in_order_and_a_cut_record_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "spool.bin"
    spool = Spool(path, size=4096)
    assert spool.open() and path.stat().st_size == 4096  # allocated in full at start
    assert spool.append({"update_id": 1, "message": {"chat": {"id": -5}}})
    assert spool.append({"update_id": 2})
    spool.done(spool.records[0][0])
    spool.close()
    with path.open("r+b") as f:  # a crash in the middle of a third record
        data = f.read()
        f.seek(data.index(b"\0"))
        f.write(b'P{"update_id": 3')
    again = Spool(path, size=4096)
    assert again.open()
    assert [u["update_id"] for _, u in again.records] == [2]
    assert again.append({"update_id": 4})
    assert [u["update_id"] for _, u in again.records] == [2, 4]
    for offset, _ in list(again.records):
        again.done(offset)
    assert path.read_bytes() == b"\0" * 4096  # emptied for the next outage, same size
    assert not again.append({"update_id": 5, "text": "x" * 5000})  # no room: nothing promised
    again.close()


def test_one_process_owns_the_spool(tmp_path: Path) -> None:
    first = Spool(tmp_path / "spool.bin", size=1024)
    assert first.open()
    assert not Spool(tmp_path / "spool.bin", size=1024).open()
    first.close()


def test_storage_faults_are_told_apart_from_bugs() -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
    wrapped = sqlalchemy.exc.OperationalError("INSERT", {}, full)
    assert is_storage_fault(wrapped)
    assert is_storage_fault(ConnectionRefusedError(111, "refused"))
    assert is_storage_fault(OSError(28, "No space left on device"))
    assert not is_storage_fault(ValueError("bug"))
    assert not is_storage_fault(sqlalchemy.exc.IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE")))
