"""`dondoc run` failing to start, as an operator meets it: one clear line each, no traceback, no secret."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from bot import texts
from fakeapi import FakeTelegram
from fakeapi.server import FakeBotApiServer

REPO = Path(__file__).resolve().parents[2]
TOKEN = "987654321:WRONG-secret_token_nobody_may_see_000"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    return {**env, "PYTHONPATH": str(REPO), "DONDOC_BOT_TOKEN": TOKEN, **extra}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _config(directory: Path, base_url: str, *, admins: str = "[100000001]") -> Path:
    path = directory / "config.yaml"
    path.write_text(
        f'data_dir: "{directory / "data"}"\nadmins: {admins}\ntelegram:\n  base_url: "{base_url}"\n  poll_timeout: 1\n',
        encoding="utf-8",
    )
    return path


async def _dondoc(cwd: Path, config: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config),
        cwd=cwd, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def _operator_lines(stderr: str) -> list[str]:
    """What a person reads: stderr without the key=value log lines."""
    return [ln for ln in stderr.splitlines() if ln.strip() and " event=" not in ln and "level=" not in ln]


async def test_a_wrong_token_is_one_line_without_the_token(tmp_path: Path) -> None:
    world = FakeTelegram()  # its own token differs: every call is 401 Unauthorized
    async with FakeBotApiServer(world) as server:
        proc = await _dondoc(tmp_path, _config(tmp_path, server.base_url), _env())
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    stderr = err.decode()
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr and TOKEN not in stderr + out.decode()
    assert TOKEN.split(":")[1] not in stderr
    assert texts.START_BAD_TOKEN in stderr.splitlines()


async def test_no_network_retries_says_so_once_and_exits_non_zero_when_stopped(tmp_path: Path) -> None:
    config = _config(tmp_path, f"http://127.0.0.1:{_closed_port()}/bot")
    proc = await _dondoc(tmp_path, config, _env())
    assert proc.stderr is not None
    seen: list[str] = []
    while texts.START_NO_NETWORK not in seen:
        line = await asyncio.wait_for(proc.stderr.readline(), 60)
        assert line, f"dondoc exited {await proc.wait()}: {seen}"
        seen.append(line.decode().rstrip("\n"))
    await asyncio.sleep(3.5)  # a few retries (1 s, 2 s, ...) pass without a new line
    proc.send_signal(signal.SIGTERM)
    rest = await asyncio.wait_for(proc.stderr.read(), 30)
    code = await asyncio.wait_for(proc.wait(), 30)
    stderr = "\n".join(seen) + "\n" + rest.decode()
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.count(texts.START_NO_NETWORK) == 1
    assert texts.START_STOPPED_OFFLINE in stderr


async def test_an_unreachable_database_is_one_line_with_the_password_hidden(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://dondoc:hunter2pw@127.0.0.1:{_closed_port()}/dondoc"
    proc = await _dondoc(tmp_path, _config(tmp_path, "http://127.0.0.1:9/bot"), _env(DATABASE_URL=url))
    _out, err = await asyncio.wait_for(proc.communicate(), 60)
    stderr = err.decode()
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr and "hunter2pw" not in stderr
    [line] = [ln for ln in _operator_lines(stderr) if "cơ sở dữ liệu" in ln]
    assert line.startswith("Không mở được cơ sở dữ liệu postgresql+asyncpg://dondoc:***@127.0.0.1")


async def test_no_admin_configured_is_warned_with_the_fix(tmp_path: Path) -> None:
    world = FakeTelegram()
    async with FakeBotApiServer(world) as server:
        proc = await _dondoc(tmp_path, _config(tmp_path, server.base_url, admins="[]"), _env())
        _out, err = await asyncio.wait_for(proc.communicate(), 60)
    stderr = err.decode()
    assert texts.CLI_NO_ADMINS in stderr.splitlines()
    assert "DONDOC_ADMINS" in texts.CLI_NO_ADMINS and "admins:" in texts.CLI_NO_ADMINS
