"""Start-up benchmark: prints one JSON line.

    python bench/startup.py [--runs N]

Each run serves a fresh fake Telegram over real HTTP (`FakeBotApiServer`, in this process), queues a
private "/start" and spawns the real `python -m bot run` with a fresh temporary SQLite database, so
the timings include interpreter start, imports and every migration. Measured from the spawn:
`to_polling_s` until the first getUpdates reaches the server, `to_first_reply_s` until the bot's
sendMessage answering "/start" does. `rss_mb` / `hwm_mb` are VmRSS / VmHWM of the process read from
/proc right after that reply; `stop_s` is SIGTERM to exit. Figures are medians over the runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import telegram  # noqa: E402

from fakeapi.server import FakeBotApiServer  # noqa: E402


def _proc_status_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM in MB (Linux only; empty elsewhere)."""
    out: dict[str, float] = {}
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024  # kB
    return out


def _text(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")


async def one_run(work: Path) -> dict[str, Any]:
    async with FakeBotApiServer() as server:
        world = server.world
        user = world.user("Bench")
        chat = world.private(user)
        world.send_text(user, chat, "/start")  # waiting before the bot starts: pending updates are never dropped
        config = work / "config.yaml"
        config.write_text(
            f'data_dir: "{work / "data"}"\n'
            "telegram:\n"
            f'  base_url: "{server.base_url}"\n'
            f'  base_file_url: "{server.base_file_url}"\n'
            "  poll_timeout: 1\n",
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
        env.update(PYTHONPATH=str(REPO), DONDOC_BOT_TOKEN=world.token)
        log = work / "dondoc.log"
        with log.open("wb") as out:
            t0 = time.monotonic()
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "--config",
                str(config),
                "run",
                cwd=work,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )
        try:
            await server.wait_for_call("sendMessage", lambda c: c.params.get("chat_id") == chat.id, within=120)
            memory = _proc_status_mb(proc.pid)
            first = {a.method: a.at for a in reversed(server.arrivals)}
            t_stop = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(proc.wait(), 30)
            stop_s = time.monotonic() - t_stop
        except BaseException:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
            sys.stderr.write(_text(log))
            raise
    if code != 0:
        raise SystemExit(f"dondoc exited {code}:\n{_text(log)}")
    return {
        "to_polling_s": first["getUpdates"] - t0,
        "to_first_reply_s": first["sendMessage"] - t0,
        "stop_s": stop_s,
        "rss_mb": memory.get("VmRSS", float("nan")),
        "hwm_mb": memory.get("VmHWM", float("nan")),
    }


async def main_async(runs: int) -> dict[str, Any]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="dondoc-bench-") as tmp:
            results.append(await one_run(Path(tmp)))
    report: dict[str, Any] = {"bench": "startup"}
    for key in ("to_polling_s", "to_first_reply_s", "stop_s", "rss_mb", "hwm_mb"):
        digits = 3 if key.endswith("_s") else 1
        report[key] = round(statistics.median(r[key] for r in results), digits)
    report.update(
        runs=runs,
        migrations_included=True,
        to_first_reply_max_s=round(max(r["to_first_reply_s"] for r in results), 3),
        includes="interpreter start, imports, fresh SQLite with all migrations, getMe, setMyCommands",
        transport="real HTTP to the in-process fake Bot API (127.0.0.1)",
        python=platform.python_version(),
        ptb=telegram.__version__,
    )
    return report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(json.dumps(asyncio.run(main_async(max(1, args.runs))), ensure_ascii=False))


if __name__ == "__main__":
    main()
