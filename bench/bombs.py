"""Hostile uploads while another group talks to the bot: prints one JSON line.

    python bench/bombs.py [--quick]

The real Application runs its real polling loop (bot/polling.py) against the in-process fake Bot API,
with the default configuration (limits included). For each generated bomb a secretary sends it to
/newdirective while a unit's group sends /whoami every 100 ms; each of those is timed from
sending to the bot's answer. Reported per bomb: the time to the secretary's refusal, the refusal's
kind, the other group's worst and median reply latency (goal < 1 s), and nothing stored. Then the
peak resident memory of this process (the bot and the fake Telegram), and of the largest
extraction child. --quick leaves out the 1.1 GB .docx, whose generation alone takes a few seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import func, select  # noqa: E402

from bot import texts  # noqa: E402
from bot.app import ALLOWED_UPDATES  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.runtime.polling import poll  # noqa: E402
from db.models import Directive  # noqa: E402
from fakeapi.harness import Harness  # noqa: E402
from fakeapi.models import FakeUser  # noqa: E402
from fakeapi.world import FakeTelegram  # noqa: E402
from tests.support.bombs import DOCX_MIME, docx_bomb, pdf_pages, pdf_slow_page  # noqa: E402

GOAL_S = 1.0


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _bombs(quick: bool) -> list[tuple[str, Callable[[], bytes], str, str]]:
    out: list[tuple[str, Callable[[], bytes], str, str]] = [
        ("docx_50MB_expanded", lambda: docx_bomb(50), "bom.docx", DOCX_MIME),
        ("pdf_20000_pages", lambda: pdf_pages(20_000), "20000.pdf", "application/pdf"),
        ("pdf_slow_8MB_stream", lambda: pdf_slow_page(8), "cham.pdf", "application/pdf"),
    ]
    if not quick:
        out.insert(1, ("docx_1.1GB_expanded", lambda: docx_bomb(1100), "bom11.docx", DOCX_MIME))
    return out


async def _one(h: Harness, secretary: FakeUser, name: str, data: bytes, file_name: str, mime: str) -> dict[str, Any]:
    world = h.world
    # Several members take turns: one person sending 10 a second would trip the flood guard.
    members = [world.user("Đơn", f"Vị {k}") for k in range(8)]
    chat, group = world.private(secretary), world.group(f"Nhóm {name}", members)
    before = len(world.bot_messages(chat))
    started = time.perf_counter()
    world.send_document(secretary, chat, data, file_name, mime)
    latencies: list[float] = []
    while len(world.bot_messages(chat)) == before:
        await asyncio.sleep(0.1)
        answers = len(world.bot_messages(group))
        sent = time.perf_counter()
        world.send_text(members[len(latencies) % len(members)], group, "/whoami")
        while len(world.bot_messages(group)) == answers:
            await asyncio.sleep(0.005)
            if time.perf_counter() - sent > 60:
                raise RuntimeError("the other group was never answered")
        latencies.append(time.perf_counter() - sent)
    refused_s = time.perf_counter() - started
    answer = world.bot_messages(chat)[-1]["text"]
    kind = next((k for k, t in texts.EXTRACT_ERRORS.items() if answer.startswith(t[:20])), "?")
    return {
        "bomb": name,
        "file_kb": round(len(data) / 1024, 1),
        "refused_as": kind,
        "refusal_s": round(refused_s, 3),
        "other_group_replies": len(latencies),
        "other_group_max_s": round(max(latencies), 3),
        "other_group_p50_s": round(statistics.median(latencies), 3),
    }


async def main(quick: bool) -> dict[str, Any]:
    bombs = [(name, make(), file_name, mime) for name, make, file_name, mime in _bombs(quick)]
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(database_url=f"sqlite+aiosqlite:///{tmp}/b.sqlite3", admins=[100_000_001], config_dir=Path(tmp))
        world = FakeTelegram()
        async with Harness.running(config, world) as h:
            stop = asyncio.Event()
            polling = asyncio.ensure_future(poll(h.app, stop, allowed_updates=ALLOWED_UPDATES, poll_timeout=1))
            secretary = world.user("Lan", "Nguyễn")  # the first user: the configured admin
            chat = world.private(secretary)
            world.send_text(secretary, chat, "/newdirective")  # each refusal leaves it collecting
            started = time.perf_counter()
            while not world.bot_messages(chat):
                await asyncio.sleep(0.01)
                if time.perf_counter() - started > 30:
                    raise RuntimeError("/newdirective was never answered")
            rss_before = _status_mb("VmRSS")
            runs = [await _one(h, secretary, *bomb) for bomb in bombs]
            peak = _status_mb("VmHWM")
            stop.set()
            await polling
            async with h.app.bot_data.sessions() as s:
                stored = await s.scalar(select(func.count()).select_from(Directive))
    worst = max(r["other_group_max_s"] for r in runs)
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "bench": "bombs",
        "runs": runs,
        "other_group_worst_s": worst,
        "goal_s": GOAL_S,
        "ratio_to_goal": round(GOAL_S / worst, 2) if worst else None,
        "met": worst < GOAL_S and stored == 0,
        "directives_stored": stored,
        "limits": {
            "max_file_mb": config.max_file_bytes / 2**20,
            "max_expanded_mb": config.max_expanded_bytes / 2**20,
            "max_zip_ratio": config.max_zip_ratio,
            "max_pdf_pages": config.max_pdf_pages,
            "max_text_chars": config.max_text_chars,
            "extract_timeout_s": config.extract_timeout_s,
            "extract_memory_mb": config.extract_memory_mb,
        },
        "bot_rss_before_mb": round(rss_before, 1),
        "bot_peak_rss_mb": round(peak, 1),
        "largest_child_peak_rss_mb": round(children_kb / 1024, 1),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.quick)), ensure_ascii=False))
