"""The command line, run as a user would: a subprocess in a fresh directory."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _dondoc(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    base["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copy(REPO / "config.yaml", tmp_path / "config.yaml")
    return tmp_path


def test_run_without_token_exits_with_one_clear_line(workdir: Path) -> None:
    proc = _dondoc(workdir, "run")
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines == ["Lỗi cấu hình: thiếu mã bot; hãy đặt biến môi trường DONDOC_BOT_TOKEN."]
    assert not (workdir / "data" / "dondoc.sqlite3").exists()


def test_run_with_bad_config_names_the_key(workdir: Path) -> None:
    (workdir / "bad.yaml").write_text("summary:\n  at: 16:00\n", encoding="utf-8")
    proc = _dondoc(workdir, "--config", "bad.yaml", "run", env={"DONDOC_BOT_TOKEN": "1:x"})
    assert proc.returncode == 2
    assert "summary.at" in proc.stderr and "Traceback" not in proc.stderr


def test_db_upgrade_then_check(workdir: Path) -> None:
    before = _dondoc(workdir, "check")
    assert before.returncode == 1 and "dondoc db upgrade" in before.stdout
    up = _dondoc(workdir, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    assert (workdir / "data" / "dondoc.sqlite3").exists()
    cur = _dondoc(workdir, "db", "current")
    from db.migrate import head_revision

    assert head_revision() in cur.stdout
    after = _dondoc(workdir, "check", env={"DONDOC_BOT_TOKEN": "1:x"})
    assert after.returncode == 0, after.stdout
    assert "0 lỗi" in after.stdout


def test_config_from_environment_variable(workdir: Path) -> None:
    proc = _dondoc(workdir.parent, "check", env={"DONDOC_CONFIG": str(workdir / "missing.yaml")})
    assert proc.returncode == 2
    assert "missing.yaml" in proc.stderr


def test_unreachable_database_is_one_line(workdir: Path) -> None:
    proc = _dondoc(workdir, "db", "upgrade", env={"DATABASE_URL": "postgresql+asyncpg://u@127.0.0.1:1/x"})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "Lỗi cơ sở dữ liệu" in proc.stderr


def test_run_webhook_without_secret_exits_with_one_clear_line(workdir: Path) -> None:
    proc = _dondoc(workdir, "run", "--webhook", env={"DONDOC_BOT_TOKEN": "1:x"})
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "DONDOC_WEBHOOK_SECRET" in lines[0]
    assert not (workdir / "data" / "dondoc.sqlite3").exists()


def test_run_webhook_from_config_needs_the_public_url(workdir: Path) -> None:
    env = {"DONDOC_BOT_TOKEN": "1:x", "DONDOC_WEBHOOK_SECRET": "abc", "DONDOC_TELEGRAM__WEBHOOK__ENABLED": "true"}
    proc = _dondoc(workdir, "run", env=env)
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "webhook_url" in lines[0]


async def _dondoc_async(cwd: Path, *args: str, env: dict[str, str]) -> tuple[int, str]:
    """`dondoc` as a subprocess, without blocking the loop that serves the fake Bot API."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env={**base, "PYTHONPATH": str(REPO), **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def test_check_live_against_the_fake_bot_api(tmp_path: Path) -> None:
    from fakeapi import FakeTelegram
    from fakeapi.server import FakeBotApiServer

    world = FakeTelegram()
    server = FakeBotApiServer(world)
    await server.start()
    (tmp_path / "config.yaml").write_text(
        f'admins: [1]\ntelegram:\n  base_url: "{server.base_url}"\n  base_file_url: "{server.base_file_url}"\n',
        encoding="utf-8",
    )
    env = {"DONDOC_BOT_TOKEN": world.token}
    try:
        assert (await _dondoc_async(tmp_path, "db", "upgrade", env=env))[0] == 0
        code, out = await _dondoc_async(tmp_path, "check", "--live", env=env)
        assert code == 1, out  # the database answers and Telegram too, but nothing has ticked yet
        assert "ms" in out and "chưa chạy lần nào" in out and f"@{world.bot.username}" in out
        assert len(world.calls_to("getMe")) == 1

        # A tick recorded just now (as bot/jobs.py does): everything is fine.
        now = datetime.now(UTC)
        with sqlite3.connect(tmp_path / "data" / "dondoc.sqlite3") as conn:
            conn.execute(
                "INSERT INTO app_state (key, value, updated_at) VALUES ('scheduler', ?, ?)",
                (json.dumps({"last_tick": now.isoformat()}), now.replace(tzinfo=None).isoformat(" ")),
            )
        code, out = await _dondoc_async(tmp_path, "check", "--live", env=env)
        assert code == 0, out
        assert "LỖI" not in out and "0 lỗi" in out

        code, out = await _dondoc_async(tmp_path, "check", "--live", env={"DONDOC_BOT_TOKEN": "1:wrong"})
        assert code == 1 and "getMe" in out and "1:wrong" not in out
    finally:
        await server.stop()
    code, out = await _dondoc_async(tmp_path, "check", "--live", env=env)
    assert code == 1 and server.base_url in out  # Telegram unreachable, named by its address


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_run_webhook_process_serves_updates_and_health(tmp_path: Path) -> None:
    """The real `dondoc run --webhook` process: setWebhook, a posted update answered, /health, clean SIGTERM."""
    import signal

    import httpx

    from fakeapi import FakeTelegram
    from fakeapi.server import FakeBotApiServer

    world = FakeTelegram()
    server = FakeBotApiServer(world)
    await server.start()
    port, health_port = _free_port(), _free_port()
    (tmp_path / "config.yaml").write_text(
        f'admins: [1]\ntelegram:\n  base_url: "{server.base_url}"\n  base_file_url: "{server.base_file_url}"\n'
        f'  webhook:\n    port: {port}\n    url_path: tg\n    webhook_url: "https://bot.example.vn/tg"\n'
        f"    health_port: {health_port}\n",
        encoding="utf-8",
    )
    secret = "proc-Secret_42"
    base = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    env = {**base, "PYTHONPATH": str(REPO), "DONDOC_BOT_TOKEN": world.token, "DONDOC_WEBHOOK_SECRET": secret}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--webhook", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        call = await server.wait_for_call("setWebhook", within=90)
        assert call.params["url"] == "https://bot.example.vn/tg" and call.params["secret_token"] == secret
        async with httpx.AsyncClient(timeout=10) as client:
            health = f"http://127.0.0.1:{health_port}/health"
            for _ in range(300):  # until the server is up and the first tick is recorded
                try:
                    if (await client.get(health)).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            body = (await client.get(health)).json()
            assert body["ok"] is True, body

            user = world.user("Lan")
            chat = world.private(user)
            world.send_text(user, chat, "/start")
            (update,) = world.take_pending()
            url = f"http://127.0.0.1:{port}/tg"
            wrong = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
            right = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret})
            assert (wrong.status_code, right.status_code) == (403, 200)
        await server.wait_for_call("sendMessage", lambda c: str(c.params.get("chat_id")) == str(chat.id), within=30)
        proc.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await server.stop()
    log = out.decode()
    assert f"update_id={update['update_id']} chat_id={chat.id}" in log
    assert len(world.calls_to("sendMessage", chat.id)) == 1
    assert secret not in log and world.token not in log


def test_config_may_follow_the_subcommand(workdir: Path) -> None:
    shutil.move(workdir / "config.yaml", workdir / "office.yaml")
    after = _dondoc(workdir, "db", "upgrade", "--config", "office.yaml")
    assert after.returncode == 0, after.stderr
    before = _dondoc(workdir, "--config", "office.yaml", "units", "list")
    nested = _dondoc(workdir, "units", "list", "--config", "office.yaml")
    assert nested.returncode == 0 and nested.stdout == before.stdout and "so_yte" in nested.stdout


def test_units_list_into_a_closed_pipe_is_quiet(workdir: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head` that has already left
    base = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--config", "config.yaml", "units", "list"],
        cwd=workdir, env={**base, "PYTHONPATH": str(REPO)}, stdout=write_end, stderr=subprocess.PIPE,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    os.close(write_end)
    assert "Traceback" not in proc.stderr and "BrokenPipeError" not in proc.stderr, proc.stderr
    assert proc.returncode == 141
