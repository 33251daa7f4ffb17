"""The fake Bot API over real HTTP: PTB's own HTTPXRequest against it, then the real `dondoc run` process."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.app import ALLOWED_UPDATES
from fakeapi import FakeTelegram, Fault
from fakeapi.models import Call
from fakeapi.server import FakeBotApiServer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def live_world() -> FakeTelegram:
    # Real clock: the subprocess compares message dates with its own wall clock.
    return FakeTelegram()


@pytest.fixture
async def server(live_world: FakeTelegram) -> AsyncIterator[FakeBotApiServer]:
    async with FakeBotApiServer(live_world, hold_timeout=5.0) as srv:
        yield srv


@pytest.fixture
async def bot(server: FakeBotApiServer) -> AsyncIterator[Bot]:
    async with Bot(server.world.token, base_url=server.base_url, base_file_url=server.base_file_url) as b:
        yield b


# ---------------------------------------------------------------------- PTB's HTTPXRequest over HTTP


async def test_get_me_and_keep_alive(bot: Bot, server: FakeBotApiServer) -> None:
    assert bot.username == server.world.bot.username  # `async with Bot` already ran getMe
    for _ in range(5):
        assert (await bot.get_me()).id == server.world.bot.id
    assert server.connections == 1  # one keep-alive connection carried all six calls
    assert [a.method for a in server.arrivals] == ["getMe"] * 6


async def test_send_message_html_with_inline_keyboard(bot: Bot, server: FakeBotApiServer) -> None:
    world = server.world
    chat = world.private(world.user("Lan"))
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Đã xong ✅", callback_data="done:42")]])
    sent = await bot.send_message(chat.id, "<b>Nhắc</b> việc 1 &amp; 2", parse_mode="HTML", reply_markup=markup)
    assert sent.text == "Nhắc việc 1 & 2"
    assert sent.reply_markup == markup
    stored = world.last_bot_message(chat)
    assert stored["entities"] == [{"offset": 0, "length": 4, "type": "bold"}]
    assert stored["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "done:42"
    # Values PTB JSON-encodes arrive decoded; text that merely looks like JSON stays text.
    call = world.calls_to("sendMessage")[0]
    assert call.params["chat_id"] == chat.id and isinstance(call.params["reply_markup"], dict)
    assert (await bot.send_message(chat.id, "123")).text == "123"
    assert world.calls_to("sendMessage")[1].params["text"] == "123"


async def test_upload_arrives_intact_and_downloads_back(bot: Bot, server: FakeBotApiServer) -> None:
    world = server.world
    chat = world.private(world.user("Minh"))
    # Every byte value, bare CR/LF runs and a fake boundary: whatever could trip a multipart parser.
    content = bytes(range(256)) * 40 + b"\r\n--boundary\r\n\r\n\n\r" + os.urandom(4096) + b"\r\n"
    name = "Báo cáo tuần 47.xlsx"
    sent = await bot.send_document(chat.id, content, filename=name, caption="<i>Tuần 47</i>", parse_mode="HTML")
    upload = world.calls_to("sendDocument")[0].files["document"]
    assert upload.content == content
    assert upload.file_name == name
    assert upload.mime_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert sent.document is not None and sent.document.file_name == name and sent.caption == "Tuần 47"
    tg_file = await bot.get_file(sent.document.file_id)
    assert bytes(await tg_file.download_as_bytearray()) == content


async def test_injected_errors_raise_what_telegram_would(bot: Bot, server: FakeBotApiServer) -> None:
    world = server.world
    chat = world.private(world.user("Hà"))
    world.inject("sendMessage", Fault.retry_after(7))
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(chat.id, "x")
    assert retry.value.retry_after == timedelta(seconds=7)  # PTB's timedelta form (bot/__init__.py)
    world.inject("sendMessage", Fault.forbidden())
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(chat.id, "x")
    world.inject("sendMessage", Fault.network_error())
    with pytest.raises(NetworkError) as network:
        await bot.send_message(chat.id, "x")
    assert not isinstance(network.value, TimedOut)
    assert (await bot.send_message(chat.id, "ok")).text == "ok"  # a fresh connection works


async def test_injected_timeout_is_a_read_timeout(server: FakeBotApiServer) -> None:
    world = server.world
    chat = world.private(world.user("Tú"))
    request = HTTPXRequest(read_timeout=0.3)
    async with Bot(world.token, base_url=server.base_url, request=request) as quick:
        world.inject("sendMessage", Fault.timeout(after_effect=True))
        with pytest.raises(TimedOut):
            await quick.send_message(chat.id, "lost answer")
        assert world.last_bot_message(chat)["text"] == "lost answer"  # it still took effect


async def test_wrong_token_is_refused(server: FakeBotApiServer) -> None:
    wrong = Bot("1:wrong", base_url=server.base_url, base_file_url=server.base_file_url)
    with pytest.raises(InvalidToken, match="Unauthorized"):
        await wrong.get_me()
    await wrong.shutdown()
    assert server.world.calls == []  # refused before reaching the world


async def test_long_poll_does_not_block_other_requests(bot: Bot, server: FakeBotApiServer) -> None:
    world = server.world
    user = world.user("Quân")
    chat = world.private(user)
    poll = asyncio.create_task(bot.get_updates(timeout=5, read_timeout=10, allowed_updates=ALLOWED_UPDATES))
    await server.wait_for_call("getUpdates")
    assert (await bot.send_message(chat.id, "trong lúc chờ")).text == "trong lúc chờ"
    assert not poll.done()
    world.send_text(user, chat, "/start")
    updates = await asyncio.wait_for(poll, 3)
    assert [u.message.text for u in updates if u.message] == ["/start"]
    assert world.allowed_updates == ALLOWED_UPDATES


async def test_raw_http_chunked_pipelined_and_errors(server: FakeBotApiServer) -> None:
    reader, writer = await asyncio.open_connection(server.host, server.port)
    token = server.world.token
    body = b'{"offset": 0}'
    writer.write(
        f"POST /bot{token}/getUpdates HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n".encode()
        + f"{len(body):x}\r\n".encode()
        + body
        + b"\r\n0\r\n\r\n"
        + f"GET /bot{token}/noSuchMethod HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        + b"GET /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n"
        + b"GET /bot1:wrong/getMe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), 5)  # the last request asked to close
    writer.close()
    await writer.wait_closed()
    statuses = re.findall(r"HTTP/1\.1 (\d{3}) ", raw.decode())
    assert statuses == ["200", "404", "404", "401"]
    assert b'{"ok": true, "result": []}' in raw and b'"description": "Unauthorized"' in raw


# ---------------------------------------------------------------------- the real process


def _process_env(token: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    return {**env, "PYTHONPATH": str(REPO), "DONDOC_BOT_TOKEN": token}


def write_config(directory: Path, server: FakeBotApiServer) -> Path:
    path = directory / "config.yaml"
    path.write_text(
        f'data_dir: "{directory / "data"}"\n'
        "telegram:\n"
        f'  base_url: "{server.base_url}"\n'
        f'  base_file_url: "{server.base_file_url}"\n'
        "  poll_timeout: 1\n",
        encoding="utf-8",
    )
    return path


def _text(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")


async def _wait(
    server: FakeBotApiServer,
    proc: asyncio.subprocess.Process,
    log: Path,
    method: str,
    where: Callable[[Call], bool] | None = None,
) -> Call:
    """Like server.wait_for_call, but fails at once (with the process's log) if the process died."""
    waiting = asyncio.create_task(server.wait_for_call(method, where, within=60))
    exited = asyncio.create_task(proc.wait())
    await asyncio.wait({waiting, exited}, return_when=asyncio.FIRST_COMPLETED)
    if not waiting.done():
        waiting.cancel()
        pytest.fail(f"dondoc exited {proc.returncode} before {method}:\n{_text(log)}")
    exited.cancel()
    return waiting.result()


async def test_dondoc_run_polls_answers_and_stops_on_sigterm(
    tmp_path: Path, server: FakeBotApiServer, live_world: FakeTelegram
) -> None:
    config = write_config(tmp_path, server)
    log = tmp_path / "dondoc.log"
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--config",
            str(config),
            "run",
            cwd=tmp_path,
            env=_process_env(live_world.token),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
        )
    try:
        get_me = await _wait(server, proc, log, "getMe")
        commands = await _wait(server, proc, log, "setMyCommands")
        poll = await _wait(server, proc, log, "getUpdates")
        calls = live_world.calls
        assert calls.index(get_me) < calls.index(commands) < calls.index(poll)
        assert poll.params["allowed_updates"] == ALLOWED_UPDATES
        assert live_world.allowed_updates == ALLOWED_UPDATES
        assert (tmp_path / "data" / "dondoc.sqlite3").exists()

        user = live_world.user("Nguyễn", "Lan")
        chat = live_world.private(user)
        live_world.send_text(user, chat, "/start")
        reply = await _wait(server, proc, log, "sendMessage", lambda c: c.params.get("chat_id") == chat.id)
        assert reply.ok, reply.error
        assert live_world.last_bot_message(chat)["text"]

        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 10)
        assert code == 0, _text(log)
        assert "shut down cleanly" in _text(log)
        assert not live_world.pending  # on the way out PTB confirmed the /start it had handled
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_a_crash_in_the_fake_is_a_500_not_a_hang(
    bot: Bot, server: FakeBotApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object) -> Call:
        raise RuntimeError("bug in the fake")

    monkeypatch.setattr(server.world, "call", broken)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.get_me()
    monkeypatch.undo()
    assert (await bot.get_me()).id == server.world.bot.id  # and it keeps serving
