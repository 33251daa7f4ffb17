"""Reply-throughput benchmark: prints one JSON line per backend.

    python bench/replies.py [--backend sqlite|pg|both] [--replies N] [--groups G] [--duties D] [--concurrency C]

The real Application (every handler group, the flood guard, the error handler) runs against the
in-process fake Bot API, built as `Harness` builds it: no JobQueue and rate limiting OFF, so the
figures are the bot's own cost and not Telegram's pacing. G units (default 200) are each bound to a
group of their own and named as leads of the D duties (default 3) of one directive; one real tick
sends each group its notice (one compact list of D duties, so D pings share its message id). Then N
replies (default 2,000) cycle realistic Vietnamese answers ("2. đang thực hiện 60%", ...) over the
groups, each replying to its group's notice.

A reply's latency runs from queuing the update (`world.send_text`) to `Application.process_update`
returning: mapping the notice back through `pings`, parsing, storing and committing the report (with
its outbox rows), the acknowledgement (sendMessage; a reaction for a note that just follows the same
person's report) and the edit of the notice (editMessageText). Replies go one at a time, as PTB's
default `concurrent_updates=False` processes them; with `--concurrency C` (default 8; 0 skips it) a
second, fresh database takes them C at a time (`asyncio.gather` of C workers owning distinct groups),
reported under "concurrent".

`stored_reports` counts the StatusReport rows afterwards; it, the distinct (chat, message) keys and the
acknowledgements must all equal the replies (`intact`). `sql_per_reply` and `cpu_ms_per_reply` (all
threads) are less sensitive to a busy machine than wall time; `fake_api_ms_per_reply` is the fake
Telegram's own share, spent in this process. The goal, on SQLite, is at least 500 replies/s with p99
under 50 ms, sequentially. PostgreSQL runs on a throwaway cluster (tests/support/pg.py); when none can
start, its line says "skipped" with the reason. `peak_rss_mb` is this process's peak so far.

`floor` is what PTB and the fake Bot API alone allow on this machine: the same updates through a bare
Application whose one handler only sends the acknowledgement and edits the notice, with no database
and no parsing. It bounds what any reply path built on PTB can reach here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import event, func, insert, select  # noqa: E402
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update  # noqa: E402
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402

from bench import replies_live  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.domain.draft import Draft, DraftDuty  # noqa: E402
from bot.domain.enums import PingKind  # noqa: E402
from bot.services.directives import save_draft  # noqa: E402
from db.models import Ping, StatusReport, Unit, UnitChat  # noqa: E402
from fakeapi.harness import Harness  # noqa: E402
from fakeapi.models import FakeChat, FakeUser  # noqa: E402
from fakeapi.request import FakeRequest  # noqa: E402
from fakeapi.world import FakeTelegram  # noqa: E402

GOAL = {"replies_per_s": 500, "p99_ms": 50}
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hanoi: notices go out at once
DEADLINE = date(2027, 3, 31)
ANSWERS = (
    "đã hoàn thành",
    "đang thực hiện 60%",
    "vướng: thiếu kinh phí",
    "xin gia hạn đến 30/6/2027 vì chờ số liệu",
    "đã nhận văn bản",
)
FLOOD_HEADROOM = 20  # replies per person per run, under the flood guard's 30 per 10 s


class Group:
    def __init__(self, chat: FakeChat, members: list[FakeUser]) -> None:
        self.chat = chat
        self.members = members  # the replies rotate over them, to stay under the flood guard
        self.notice = 0  # message id of the group's notice
        self.codes: list[int] = []  # its duties' codes (assignment ids), in the notice's order
        self.sent = 0


def _pct(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    return sorted_ms[max(0, math.ceil(q / 100 * len(sorted_ms)) - 1)]


async def _setup(h: Harness, groups: int, duties: int, replies: int, admin: FakeUser) -> list[Group]:
    """Units u0..u{G-1}, each bound to a group of its own, lead on every duty; one tick sends the notices."""
    world = h.world
    people = max(1, math.ceil(replies / groups / FLOOD_HEADROOM))
    out = []
    for i in range(groups):
        members = [world.user(f"Cán bộ {i}.{k}") for k in range(people)]
        out.append(Group(world.group(f"Nhóm đơn vị {i}", members), members))
    codes = [f"u{i}" for i in range(groups)]
    async with h.app.bot_data.sessions() as s:
        await s.execute(
            insert(Unit),
            [{"code": code, "name": f"Sở ban ngành {code}", "created_at": NOW, "updated_at": NOW} for code in codes],
        )
        ids = {code: uid for code, uid in await s.execute(select(Unit.code, Unit.id).where(Unit.code.in_(codes)))}
        await s.execute(
            insert(UnitChat),
            [
                {
                    "unit_id": ids[f"u{i}"],
                    "chat_id": g.chat.id,
                    "chat_title": g.chat.title,
                    "chat_type": "group",
                    "bound_at": NOW,
                }
                for i, g in enumerate(out)
            ],
        )
        await s.commit()
    draft = Draft(source_text="12/CT-UBND", number="12/CT-UBND", kind="chỉ thị", title="Về việc bench phản hồi")
    for d in range(1, duties + 1):
        text = f"Các sở, ngành triển khai nội dung {d}, báo cáo kết quả."
        draft.duties.append(DraftDuty(str(d), None, text, general=False, leads=codes, deadline=DEADLINE))
    async with h.app.bot_data.sessions() as s:
        await save_draft(s, draft, actor=admin.id, now=NOW)
        await s.commit()
    await h.tick()
    async with h.app.bot_data.sessions() as s:
        rows = await s.execute(
            select(Ping.chat_id, Ping.message_id, func.count())
            .where(Ping.kind == PingKind.NOTICE, Ping.message_id.is_not(None))
            .group_by(Ping.chat_id, Ping.message_id)
        )
        notices = {int(chat_id): (int(message_id), int(n)) for chat_id, message_id, n in rows if chat_id and message_id}
        codes: dict[int, list[int]] = {}
        for chat_id, aid in await s.execute(
            select(Ping.chat_id, Ping.assignment_id).where(Ping.kind == PingKind.NOTICE).order_by(Ping.assignment_id)
        ):
            codes.setdefault(int(chat_id or 0), []).append(int(aid))
    for g in out:
        message_id, n = notices.get(g.chat.id, (0, 0))
        if n != duties:
            raise SystemExit(f"setup: group {g.chat.title} has {n} of {duties} duties in one notice")
        g.notice = message_id
        g.codes = codes.get(g.chat.id, [])
    return out


def _plan(groups: list[Group], replies: int, duties: int) -> list[tuple[Group, str]]:
    """Reply i goes to group i % G; rounds walk the duties and the answers."""
    plan = []
    for i in range(replies):
        g = groups[i % len(groups)]
        k = i // len(groups)
        # A reply names a duty by its code, as the notice lists it.
        plan.append((g, f"{g.codes[k % duties]}. {ANSWERS[(k + i) % len(ANSWERS)]}"))
    return plan


async def _one(h: Harness, group: Group, text: str, latencies: list[float]) -> None:
    user = group.members[group.sent % len(group.members)]
    group.sent += 1
    t0 = time.perf_counter()
    raw = h.world.send_text(user, group.chat, text, reply_to=group.notice)
    h.world.pending.remove(raw)  # handed straight to the Application, as Harness.deliver does
    await h.app.process_update(Update.de_json(raw, h.app.bot))
    latencies.append((time.perf_counter() - t0) * 1000)


async def _drive(h: Harness, plan: list[tuple[Group, str]], concurrency: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    if concurrency <= 1:
        t0 = time.perf_counter()
        for group, text in plan:
            await _one(h, group, text, latencies)
        return time.perf_counter() - t0, latencies
    # Each worker owns the groups g with index % C == w, so no two replies race on one notice.
    index = {id(g): n for n, g in enumerate(dict.fromkeys(g for g, _ in plan))}
    lanes: list[list[tuple[Group, str]]] = [[] for _ in range(concurrency)]
    for group, text in plan:
        lanes[index[id(group)] % concurrency].append((group, text))

    async def worker(lane: list[tuple[Group, str]]) -> None:
        for group, text in lane:
            await _one(h, group, text, latencies)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(lane) for lane in lanes))
    return time.perf_counter() - t0, latencies


async def run_once(url: str, tmp: Path, args: argparse.Namespace, concurrency: int) -> dict[str, Any]:
    clock = FakeClock(NOW)
    world = FakeTelegram(clock=clock.now)
    admin = world.user("Văn phòng")
    world.private(admin)
    config = Config(database_url=url, admins=[admin.id], config_dir=tmp)
    async with Harness.running(config, world, clock=clock, rate_limit=False) as h:
        groups = await _setup(h, args.groups, args.duties, args.replies, admin)
        plan = _plan(groups, args.replies, args.duties)
        start = len(world.calls)
        fake_s = _time_fake_api(world)
        statements = _count_statements(h)
        cpu0 = time.process_time()
        seconds, latencies = await _drive(h, plan, concurrency)
        cpu = time.process_time() - cpu0
        event.remove(h.app.bot_data.engine.sync_engine, "before_cursor_execute", statements.count)
        calls = world.calls[start:]
        async with h.app.bot_data.sessions() as s:
            stored = int(await s.scalar(select(func.count()).select_from(StatusReport)) or 0)
            # Every reply maps to exactly one report row, keyed by its own (chat, message).
            distinct = int(
                await s.scalar(
                    select(func.count()).select_from(
                        select(StatusReport.chat_id, StatusReport.message_id).distinct().subquery()
                    )
                )
                or 0
            )
    latencies.sort()
    errors = [c for c in calls if not c.ok]
    # The acknowledgement is a reply, or a reaction when a note just follows the same person's report.
    messages = sum(1 for c in calls if c.method == "sendMessage" and c.ok)
    reactions = sum(1 for c in calls if c.method == "setMessageReaction" and c.ok)
    return {
        "concurrency": max(1, concurrency),
        "replies": len(latencies),
        "seconds": round(seconds, 3),
        "replies_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(_pct(latencies, 99), 2),
        "max_ms": round(latencies[-1], 2),
        "stored_reports": stored,
        "distinct_reports": distinct,
        "acks": messages + reactions,
        "ack_messages": messages,
        "ack_reactions": reactions,
        "edits": sum(1 for c in calls if c.method == "editMessageText" and c.ok),
        "api_errors": len(errors),
        "fake_api_ms_per_reply": round(fake_s[0] * 1000 / len(latencies), 2),
        "cpu_ms_per_reply": round(cpu * 1000 / len(latencies), 2),
        "sql_per_reply": round(statements.n / len(latencies), 2),
    }


class _Statements:
    def __init__(self) -> None:
        self.n = 0

    def count(self, *_args: Any) -> None:
        self.n += 1


def _count_statements(h: Harness) -> _Statements:
    """Statements sent to the database (BEGIN IMMEDIATE included, COMMIT and ROLLBACK not): load cannot skew it."""
    statements = _Statements()
    event.listen(h.app.bot_data.engine.sync_engine, "before_cursor_execute", statements.count)
    return statements


def _time_fake_api(world: FakeTelegram) -> list[float]:
    """Seconds spent inside the fake Bot API (Telegram's side, not the bot's), summed into [0]."""
    spent = [0.0]
    call = world.call

    async def timed(method: str, params: dict[str, Any], files: Any = None) -> Any:
        t0 = time.perf_counter()
        try:
            return await call(method, params, files)
        finally:
            spent[0] += time.perf_counter() - t0

    world.call = timed  # type: ignore[method-assign]
    return spent


async def _measure(new_url: Callable[[], str], tmp: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The sequential run, the concurrent one, then the live scenarios, each on a fresh database."""
    out = [await run_once(new_url(), tmp, args, 1)]
    if args.concurrency > 1:
        out.append(await run_once(new_url(), tmp, args, args.concurrency))
    if args.live:
        hol = await replies_live.hol(new_url(), tmp, _setup, NOW)
        lat = await replies_live.flood(new_url(), tmp, _setup, NOW, replies=args.latency_replies, latency=0.05)
        burst = await replies_live.flood(new_url(), tmp, _setup, NOW, replies=500, latency=0.0)
        out.append({"live": {**hol, "latency": lat, "burst": burst}})
    return out


async def _measure_pg(tmp: Path, args: argparse.Namespace) -> list[dict[str, Any]] | str:
    """Runs on a throwaway cluster, or why none could start (a reason, not a crash)."""
    try:
        from tests.support.pg import PgCluster

        cluster = PgCluster()
    except Exception as exc:  # no initdb, or no tests/ beside bench/
        return f"{type(exc).__name__}: {str(exc).strip()[:300]}"
    try:
        try:
            cluster.start()
        except Exception as exc:
            return f"{type(exc).__name__}: {str(exc).strip()[:300]}"
        return await _measure(lambda: cluster.url(cluster.create_database()), tmp, args)
    finally:
        cluster.stop()


async def bench_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {"bench": "replies", "backend": backend}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="dondoc-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        if backend == "pg":
            runs = await _measure_pg(tmp, args)
        else:
            names = (f"sqlite+aiosqlite:///{tmp}/bench{n}.sqlite3" for n in range(8))
            runs = await _measure(lambda: next(names), tmp, args)
    if isinstance(runs, str):
        return {**report, "skipped": runs}
    live = runs.pop()["live"] if runs and "live" in runs[-1] else None
    seq = runs[0]
    report.update(seq)
    del report["concurrency"]
    report.update(groups=args.groups, duties_per_notice=args.duties, rate_limit=False)
    if len(runs) > 1:
        report["concurrent"] = runs[1]
    report["floor"] = await floor(args.replies)
    _headline(report, seq, live)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    report["loadavg_1m"] = [round(load, 2), round(os.getloadavg()[0], 2)]  # before, after: the machine is shared
    report["goal"] = GOAL
    intact = all(
        r["stored_reports"] == r["distinct_reports"] == r["acks"] == r["replies"] and r["api_errors"] == 0 for r in runs
    )
    report["intact"] = intact
    report["ok"] = intact and seq["replies_per_s"] >= GOAL["replies_per_s"] and seq["p99_ms"] < GOAL["p99_ms"]
    return report


def _headline(report: dict[str, Any], seq: dict[str, Any], live: dict[str, Any] | None) -> None:
    """The keys issue 16 asks for, measured in this run."""
    floor_per_s = report["floor"]["replies_per_s"]
    report["floor_per_s"] = floor_per_s
    report["ratio_to_floor"] = round(seq["replies_per_s"] / floor_per_s, 3)
    lost = seq["replies"] - seq["distinct_reports"]
    if live is not None:
        lat, burst = live["latency"], live["burst"]
        report.update(
            hol_others_p99_ms=live["hol_others_p99_ms"], hol_others_max_ms=live["hol_others_max_ms"],
            hol_burst_done_s=live["hol_burst_done_s"], latency50_replies_per_s=lat["per_s"],
            latency50_p99_ms=lat["p99_ms"], telegram_calls_per_reply=live["telegram_calls_per_reply"],
            burst_drain_per_s=burst["per_s"], burst_p99_ms=burst["p99_ms"], http_429=live["http_429"],
        )  # fmt: skip
        lost += live["hol_lost"] + lat["lost"] + burst["lost"]
    report["lost"] = lost


async def floor(replies: int) -> dict[str, Any]:
    """Replies/s of a bare Application that only acknowledges and edits (see the module docstring)."""
    world = FakeTelegram()
    request = FakeRequest(world)
    app = ApplicationBuilder().token(world.token).request(request).get_updates_request(request).build()
    user = world.user("Cán bộ")
    group = world.group("Nhóm đơn vị", [user])
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"{d} {a}", callback_data=f"r|{d}|{a}") for a in "dpbe"] for d in range(1, 4)]
    )

    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html("✅ Đã ghi nhận: <b>Đang thực hiện</b> (60%)")
        await context.bot.edit_message_text(
            f"📌 <b>Thông báo</b> {update.update_id}", chat_id=group.id, message_id=notice.message_id,
            reply_markup=keyboard, parse_mode="HTML",
        )  # fmt: skip

    app.add_handler(MessageHandler(filters.TEXT, handler))
    async with app:
        notice = await app.bot.send_message(group.id, "📌 <b>Thông báo</b>", parse_mode="HTML")
        latencies: list[float] = []
        t0 = time.perf_counter()
        for i in range(replies):
            t = time.perf_counter()
            raw = world.send_text(user, group, f"{i % 3 + 1}. {ANSWERS[i % len(ANSWERS)]}", reply_to=notice.message_id)
            world.pending.remove(raw)
            await app.process_update(Update.de_json(raw, app.bot))
            latencies.append((time.perf_counter() - t) * 1000)
        seconds = time.perf_counter() - t0
    latencies.sort()
    return {"replies_per_s": round(replies / seconds, 1), "p99_ms": round(_pct(latencies, 99), 2)}


async def main(args: argparse.Namespace) -> None:
    backends = ["sqlite", "pg"] if args.backend == "both" else [args.backend]
    for backend in backends:
        print(json.dumps(await bench_backend(backend, args), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "pg", "both"], default="both")
    parser.add_argument("--replies", type=int, default=2000)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--duties", type=int, default=3, help="duties per directive, so per notice (max 10)")
    parser.add_argument("--concurrency", type=int, default=8, help="0 or 1: sequential only")
    parser.add_argument("--no-live", dest="live", action="store_false", help="skip the polling scenarios")
    parser.add_argument("--latency-replies", type=int, default=1000)
    args = parser.parse_args()
    args.replies, args.groups, args.duties = max(1, args.replies), max(1, args.groups), min(10, max(1, args.duties))
    asyncio.run(main(args))
