"""Structured logs: one line per event, with the update, chat and duty they belong to."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Config
from bot.logs import current_context, log_context, make_handler
from fakeapi import FakeTelegram
from fakeapi.harness import Harness

log = logging.getLogger("dondoc.test")


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """The production handler (format, context filter), on the root logger, at DEBUG."""
    stream = io.StringIO()
    handler = make_handler(stream)
    root = logging.getLogger()
    # As setup_logging does: the scheduler's own timer lines are not events (and belong to no update).
    scheduler = logging.getLogger("apscheduler")
    old_levels = root.level, scheduler.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    scheduler.setLevel(logging.WARNING)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_levels[0])
        scheduler.setLevel(old_levels[1])


def _fields(line: str) -> dict[str, str]:
    return dict(re.findall(r"(\w+)=(\"[^\"]*\"|\S+)", line))


def test_log_context_adds_nested_fields_and_restores_them(captured: io.StringIO) -> None:
    with log_context(duty=12):
        with log_context(assignment=345, unit="so_yte"):
            log.info("report stored kind=done")
        log.info("after inner")
    log.info("outside")
    lines = captured.getvalue().splitlines()
    assert len(lines) == 3
    assert "logger=dondoc.test duty=12 assignment=345 unit=so_yte report stored kind=done" in lines[0]
    assert _fields(lines[1]).get("duty") == "12" and "assignment=" not in lines[1]
    assert "duty=" not in lines[2]
    assert current_context() == {}


def test_none_values_are_left_out_and_odd_values_quoted(captured: io.StringIO) -> None:
    with log_context(duty=None, assignment=7, note='two words "quoted"'):
        log.info("x")
    line = captured.getvalue().strip()
    assert "duty=" not in line
    assert 'assignment=7 note="two words \\"quoted\\""' in line


def test_a_traceback_stays_on_its_event_line(captured: io.StringIO) -> None:
    try:
        raise ValueError("bad\nthing")
    except ValueError:
        log.exception("handler failed\nforged level=INFO line")
    text = captured.getvalue()
    assert text.count("\n") == 1  # the record's own terminator only
    assert "Traceback" in text and "\\n" in text


async def test_context_follows_tasks_started_inside_it(captured: io.StringIO) -> None:
    async def child() -> None:
        await asyncio.sleep(0)
        log.info("in child")

    with log_context(duty=5):
        task = asyncio.create_task(child())
    await task
    assert "duty=5 in child" in captured.getvalue()


async def test_every_line_of_a_handled_update_carries_update_id_and_chat_id(
    captured: io.StringIO, tmp_path: Path
) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    world = FakeTelegram(clock=clock.now)
    config = Config(database_url=f"sqlite+aiosqlite:///{tmp_path / 'logs.sqlite3'}", config_dir=tmp_path)
    async with Harness.running(config, world, clock=clock) as h:
        user = world.user("Lan")
        chat = world.private(user)
        update = world.send_text(user, chat, "/start")
        start = len(captured.getvalue())
        await h.deliver()
        during = captured.getvalue()[start:].splitlines()
        # Outside an update (here: between updates), no update fields leak in.
        log.info("idle")
        idle = captured.getvalue().splitlines()[-1]

    assert during, "handling an update logged nothing"
    # PTB's own debug lines (the sendMessage call) included, every line names the update and the chat.
    assert any("sendMessage" in line for line in during)
    for line in during:
        fields = _fields(line)
        assert fields.get("update_id") == str(update["update_id"]), line
        assert fields.get("chat_id") == str(chat.id), line
        assert fields.get("user_id") == str(user.id), line
    assert "update kind=message ms=" in during[-1]
    assert "update_id=" not in idle and "chat_id=" not in idle
