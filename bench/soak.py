"""Crash-safety soak: the real `dondoc run` process, SIGKILLed at random moments; prints one JSON line per backend.

    python bench/soak.py [--backend sqlite|pg|both] [--units 50] [--kills 20] [--seconds 90] [--rate R]
                         [--directives 4] [--summary-every 15] [--burst-every 0] [--settle 60]
                         [--aim-confirm 0] [--aim-send 0] [--wait-leases] [--seed N] [--keep]

The bot runs as its own process (``python -m bot --config FILE run``, what `dondoc run` runs) against
`FakeBotApiServer` over real HTTP (`telegram.base_url`), with the token from DONDOC_BOT_TOKEN and the
database from DATABASE_URL. The fake answers like Telegram, 429s included (bot/fakeapi/limits.py), and
keeps every update it handed out until a getUpdates offset confirms it. Before the first start the
database is seeded directly, through the project's own services:

- U units, each bound to a group of its own with three members, and one administrator;
- directive 1/SOAK (three duties) and 2/SOAK (two duties), every unit lead on each, so the first ticks
  send each group one notice listing five duties; the replies and button presses answer that notice;
- each 2/SOAK assignment has one reminder slot, due at a random moment of the kill phase (its plan has
  no other slot); a unit that reported the duty done before then is not reminded, as in production;
- the weekly summary is due at the first whole minute 10 s after the start (day and time in the config);
  the kill phase lasts at least until it has been due for 5 s.

Then, all at once, for --seconds (longer when start-up is slow: the kills are all done, within a bound):
- the units stream replies ("57. đang thực hiện 60%", 57 a duty's code) and presses (✅ ⏳ ⚠️) at --rate per second
  (default 0.08 per unit, about 10 calls back a minute per group, under Telegram's 20), while the bot is
  up or down, as Telegram users would; with --burst-every a whole group answers at once now and then;
- the administrator asks /summary about every --summary-every seconds (a slow update: chart, workbook);
- --directives new directives are saved at random moments (their notices go out on the next tick);
- the bot is SIGKILLed --kills times and restarted at once: a fifth of the kills at a random moment of
  its start-up, the others at a random moment after it began polling. Aimed kills are fired by the fake
  server instead: --aim-confirm as a getUpdates arrives whose offset confirms an update the bot has not
  answered yet (the loss window of PTB's own Updater), --aim-send right after the fake accepted a
  notice or reminder and before the answer goes back (the at-least-once window of bot/dispatch.py).
Finally the bot runs unharmed until everything is settled (at most --settle seconds; with --wait-leases
also until every leased ping was retried, up to dispatch.LEASE more), and is stopped with SIGTERM.

Checks, from the fake world's records and the database:
- every user update the fake handed out in a getUpdates answer ("delivered") is stored exactly once: a
  StatusReport with its (chat_id, message_id), or its callback id for a button. A tap that repeats the
  unit's latest status is answered "already recorded" and stored by design never (`repeat_taps`). An
  update not stored is a loss once Telegram no longer has it (an offset confirmed it), else it counts
  as `unconfirmed_at_end` (the bot had not caught up when the soak ended);
- every notice and reminder slot (a Ping row) reached Telegram exactly once: the sendMessage calls the
  fake accepted are matched to slots by their buttons (assignment ids) and headlines (notice or
  reminder). `in_window` counts slots Telegram accepted while the database never recorded the send (the
  answer was lost to a kill): they go out again when the lease expires, as `duplicate_sends`.
  `leased_at_end` counts slots a killed run had claimed but not sent: they go out when the lease
  expires (dispatch.LEASE), so only --wait-leases sees them sent (and checks them);
- the at-least-once bound, in messages (one message carries a chat's list of up to 10 slots): per kill,
  the notices and reminders the fake accepted that the database never recorded as sent, attributed to
  the run that sent them (`unrecorded_per_kill`), and the messages the killed run had marked sending in
  the database, read right after the kill (`marked_sending_per_kill`), are each at most
  dispatch.IN_FLIGHT; every message that carries a slot sent before says "(nhắc lại)" (`unmarked_repeats`);
- the weekly summary reached the channel exactly once (the messages its summary_posts row lists) and that
  row is the only one.

`ok` is true only when all of these hold. The temp dir (config, database, the bot's log) is kept when the
run is not ok, or with --keep; its path is in the line, with the seed that replays the same choices.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import delete, insert, select, update  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from bot import texts  # noqa: E402
from bot.domain.draft import Draft, DraftDuty  # noqa: E402
from bot.domain.enums import PingKind, PingStatus  # noqa: E402
from bot.runtime.dispatch import IN_FLIGHT, LEASE  # noqa: E402
from bot.services.directives import save_draft  # noqa: E402
from bot.services.summary import POST_LEASE  # noqa: E402
from db.migrate import upgrade_async  # noqa: E402
from db.models import Assignment, Directive, Duty, Outbox, Ping, StatusReport, SummaryPost, Unit, UnitChat  # noqa: E402
from db.session import make_engine, make_session_factory  # noqa: E402
from fakeapi.limits import FloodControl  # noqa: E402
from fakeapi.models import Call, FakeChat, FakeUser, JSONDict, UploadedFile  # noqa: E402
from fakeapi.server import FakeBotApiServer  # noqa: E402
from fakeapi.world import FakeTelegram  # noqa: E402

TIMEZONE = "Asia/Ho_Chi_Minh"
ANSWERS = (
    "đã hoàn thành",
    "đang thực hiện 60%",
    "vướng: thiếu kinh phí",
    "đang thực hiện 30%, chờ số liệu của các xã",
    "đã nhận văn bản, đang triển khai",
)
BUTTONS = ("d", "p", "b")  # ✅ ⏳ ⚠️: each stores a report (📅 only asks for a date)
MEMBERS = 3  # per group: the replies rotate over them, far under the flood guard
BURST = 12  # replies a group sends at once in a burst: 24 calls back, over the 19 a minute per group
NOTICE_DUTIES = 3  # directive 1/SOAK
REMINDER_DUTIES = 2  # directive 2/SOAK: one reminder slot per assignment
# The plan of a reminder directive: a cadence whose only fire is long past, so catch-up yields one slot.
PAST_CRON = {"year": 2020, "month": 1, "day": 6, "hour": 8, "minute": 0}
PAST_FIRE = datetime(2020, 1, 6, 1, 0, tzinfo=UTC)  # that fire: 08:00 in Hanoi
FAR = datetime(2099, 1, 1, tzinfo=UTC)
WEBHOOK_SECRET = "soak-webhook-secret"
SUMMARY_WAIT_MAX_S = 240.0  # settling waits for a summary claim's takeover when it comes this soon
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LIST_LINE = re.compile(r"^\[(\d+)\] (.+?) — ", re.MULTILINE)


# ---------------------------------------------------------------------- the bot process


def bot_env(token: str, db_url: str) -> dict[str, str]:
    """The child's environment: ours without DONDOC_* and DATABASE_URL, then the token and the database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    env.pop("PYTEST_CURRENT_TEST", None)
    return {
        **env,
        "PYTHONPATH": str(REPO),
        "DONDOC_BOT_TOKEN": token,
        "DONDOC_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "DATABASE_URL": db_url,
    }


class BotProcess:
    """One `dondoc run` at a time; every run appends its output to the same log."""

    def __init__(self, config: Path, env: dict[str, str], log: Path) -> None:
        self.config = config
        self.env = env
        self.log = log
        self.proc: asyncio.subprocess.Process | None = None
        self.started_at = 0.0
        self.started_wall = datetime.now(UTC)
        self.starts = 0
        self.run_starts: list[float] = []  # time.monotonic() of every spawn, in order
        self.unexpected_exits: list[int] = []
        self._ended_by_us = False

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.proc.returncode is None else None

    async def start(self) -> None:
        if self.proc is not None and self.proc.returncode is not None and not self._ended_by_us:
            self.unexpected_exits.append(self.proc.returncode)  # it died without our signal
        self._ended_by_us = False
        with self.log.open("ab") as out:
            out.write(f"\n===== start {self.starts + 1} at {datetime.now(UTC).isoformat()} =====\n".encode())
            out.flush()
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "--config", str(self.config), "run",
                cwd=self.config.parent, env=self.env, stdin=asyncio.subprocess.DEVNULL,
                stdout=out, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
        self.started_at = time.monotonic()
        self.started_wall = datetime.now(UTC)
        self.run_starts.append(self.started_at)
        self.starts += 1

    async def kill(self) -> None:
        if self.proc is None:
            return
        if self.proc.returncode is None:
            self._ended_by_us = True
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self, grace: float = 30.0) -> int | None:
        """SIGTERM, as an operator stops it; SIGKILL (and None) if it does not exit in time."""
        if self.proc is None:
            return None
        if self.proc.returncode is None:
            self._ended_by_us = True
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), grace)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
                return None
        return self.proc.returncode


# ---------------------------------------------------------------------- the fake world's side


def is_dispatch(params: JSONDict) -> bool:
    """A notice or reminder from bot/dispatch.py: answer buttons (r|aid|x) only, and a reply to no one."""
    if params.get("reply_parameters") or params.get("reply_to_message_id"):
        return False
    markup = params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not isinstance(markup, dict):
        return False
    data = [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]
    return bool(data) and all(str(d).startswith("r|") for d in data)


def keyboard_aids(message: JSONDict) -> list[int]:
    """Assignment ids under a notice or reminder, in the order its text lists them."""
    out: list[int] = []
    for row in message.get("reply_markup", {}).get("inline_keyboard", []):
        for button in row:
            parts = str(button.get("callback_data", "")).split("|")
            if len(parts) == 3 and parts[0] == "r" and int(parts[1]) not in out:
                out.append(int(parts[1]))
    return out


def _kind_of_headline(headline: str) -> str:
    if headline.startswith(texts.REMIND_HEADLINES["notice"]):
        return "notice"
    if headline.startswith(texts.REMIND_HEADLINES["routine"]):
        return "routine"
    return "other"


def message_slots(message: JSONDict) -> list[tuple[int, str]]:
    """(assignment id, "notice" | "routine" | "other") for each duty a dispatched message carries."""
    aids = keyboard_aids(message)
    text = str(message.get("text", ""))
    if len(aids) == 1:
        return [(aids[0], _kind_of_headline(text))]
    kinds = {int(n): _kind_of_headline(h) for n, h in _LIST_LINE.findall(text)}
    return [(aid, kinds.get(aid, "other")) for aid in aids]  # a list line opens with its duty's code


def slot_kind(kind: PingKind) -> str:
    return kind.value if kind in (PingKind.NOTICE, PingKind.ROUTINE) else "other"


def dispatched(world: FakeTelegram) -> dict[tuple[int, str], list[tuple[int, int]]]:
    """(assignment id, kind) -> the (chat_id, message_id) of every notice or reminder Telegram accepted."""
    sends: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for c in world.calls:
        if c.method == "sendMessage" and c.ok and isinstance(c.result, dict) and is_dispatch(c.params):
            for slot in message_slots(c.result):
                sends[slot].append((int(c.result["chat"]["id"]), int(c.result["message_id"])))
    return sends


@dataclass
class RepeatCheck:
    """Notices and reminders counted as messages (one message may carry up to 10 slots)."""

    per_kill: list[int]  # accepted by Telegram, never recorded by the bot, per kill
    without_kill: int = 0  # the same in a run that was not killed (a timeout after Telegram took it)
    repeated: int = 0  # messages carrying a slot that an earlier accepted message carried
    unmarked: int = 0  # of those, without "(nhắc lại)" on the first line


@dataclass
class SlotCheck:
    slots: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    duplicate_sends: int = 0  # sends beyond the first, over all slots
    in_window: int = 0  # Telegram has it, the database does not know: resent when the lease expires
    leased: int = 0  # pending, claimed by a run that was killed before sending: goes out when the lease ends
    unsent: int = 0  # pending, unclaimed, never reached Telegram
    unmatched: int = 0  # recorded as sent, yet no such message reached Telegram
    stray_sends: int = 0  # notices or reminders matching no slot


def check_slots(world: FakeTelegram, pings: list[tuple[Any, ...]]) -> SlotCheck:
    """`pings`: (assignment_id, kind, status, chat_id, message_id, claimed_until) of every Ping row."""
    sends = dispatched(world)
    out = SlotCheck(slots=len(pings))
    keys: set[tuple[int, str]] = set()
    now = datetime.now(UTC)
    for aid, kind, status, chat_id, message_id, claimed_until in pings:
        key = (int(aid), slot_kind(kind))
        keys.add(key)
        out.by_status[f"{key[1]}:{status.value}"] += 1
        got = sends.get(key, [])
        out.duplicate_sends += max(0, len(got) - 1)
        if status == PingStatus.SENT and (chat_id, message_id) not in got:
            out.unmatched += 1
        elif status == PingStatus.PENDING and got:
            out.in_window += 1
        elif status == PingStatus.PENDING and claimed_until is not None and claimed_until > now:
            out.leased += 1
        elif status == PingStatus.PENDING:
            out.unsent += 1
    out.stray_sends = sum(len(v) for k, v in sends.items() if k not in keys)
    return out


@contextlib.asynccontextmanager
async def reading(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A read-only session: on SQLite a deferred BEGIN, so watching never takes the bot's write lock."""
    async with sessions() as s:
        await s.connection(execution_options={"sqlite_deferred": True})
        yield s


async def load_pings(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[Any, ...]]:
    async with reading(sessions) as s:
        rows = await s.execute(
            select(Ping.assignment_id, Ping.kind, Ping.status, Ping.chat_id, Ping.message_id, Ping.claimed_until)
        )
        return [tuple(r) for r in rows]


async def marked_sending(sessions: async_sessionmaker[AsyncSession], since: datetime, until: datetime) -> int:
    """Messages claimed and marked sending between `since` and `until` and not finished: what dispatch had
    in flight when a run was killed. One claim marks one message's rows with one timestamp."""
    out = 0
    async with reading(sessions) as s:
        for model in (Ping, Outbox):
            marks = await s.scalars(
                select(model.sending_at)
                .where(model.status == PingStatus.PENDING, model.sending_at >= since, model.sending_at <= until)
                .distinct()
            )
            out += len(list(marks))
    return out


@dataclass
class SummaryCheck:
    ok: bool
    posts: float  # messages the channel received over the messages of one post (a quiet week posts one)
    calls: dict[str, int]
    rows: dict[str, int]  # SummaryPost rows by status


async def check_summary(
    world: FakeTelegram, sessions: async_sessionmaker[AsyncSession], channel: FakeChat
) -> SummaryCheck:
    async with reading(sessions) as s:
        posts = list(await s.scalars(select(SummaryPost)))
    to_channel = [c for c in world.calls if str(c.params.get("chat_id")) == str(channel.id)]
    calls = Counter(c.method for c in to_channel if c.ok and c.result is not None)
    sent = [p for p in posts if p.status == PingStatus.SENT]
    one_post = len(sent[0].message_ids) if len(sent) == 1 else 0
    received = sum(calls.values())
    ok = len(posts) == 1 and one_post > 0 and received == one_post and calls["sendPhoto"] <= 1
    rows = Counter(p.status.value for p in posts)
    posts_seen = round(received / one_post, 2) if one_post else 0.0  # unfinished: see `calls` and `rows`
    return SummaryCheck(ok, posts_seen, dict(sorted(calls.items())), dict(rows))


class Tap:
    """Wraps `world.call`: Telegram's flood limits, each call's arrival time, and aimed kills.

    Armed "send": SIGKILL the bot right after the world accepted a notice or reminder, before the answer
    goes back (Telegram has the message; the database never learns it was sent).
    Armed "confirm": SIGKILL the bot as a getUpdates arrives whose offset confirms an update the bot
    has not handled yet (`unhandled_below`); Telegram drops what the offset confirms, as it should.
    """

    def __init__(self, world: FakeTelegram, flood: FloodControl | None = None) -> None:
        self.world = world
        self.flood = flood
        self._inner = world.call
        self.times: dict[int, float] = {}  # id(Call) -> time.monotonic() when it arrived
        self.last_activity = time.monotonic()  # the last call other than getUpdates
        self.armed: str | None = None
        self.armed_pid: int | None = None
        self.on_fire: Callable[[], None] | None = None
        self.unhandled_below: Callable[[int], bool] | None = None
        self.send_latency = 0.0  # seconds Telegram takes to accept a sendMessage (a slow day)
        self.answered: set[tuple[Any, ...]] = set()  # user updates the bot has answered (a Sent.key)
        world.call = self  # type: ignore[method-assign]

    def _note_answer(self, name: str, params: JSONDict) -> None:
        """The bot answers a reply (ack, reaction, hint) or a tap only after its report is committed."""
        if name == "answercallbackquery":
            self.answered.add(("cb", str(params.get("callback_query_id"))))
        elif name == "setmessagereaction":
            self.answered.add(("msg", params.get("chat_id"), params.get("message_id")))
        elif name == "sendmessage" and isinstance(reply := params.get("reply_parameters"), dict):
            self.answered.add(("msg", params.get("chat_id"), reply.get("message_id")))

    def _fire(self) -> None:
        pid, self.armed, self.armed_pid = self.armed_pid, None, None
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.on_fire is not None:
            self.on_fire()

    async def __call__(self, method: str, params: JSONDict, files: dict[str, UploadedFile] | None = None) -> Call:
        at = time.monotonic()
        name = method.lower()
        if name != "getupdates":
            self.last_activity = at
        refused = self.flood.check(method, params.get("chat_id")) if self.flood is not None else None
        if refused is not None:
            # Telegram's own 429, as bot/fakeapi/limits.py answers it; recorded like an injected fault.
            record = Call(method=method, params=params, at=self.world.now(), injected=True)
            record.error = refused.as_call_error()
            self.world.calls.append(record)
            self.times[id(record)] = at
            return record
        offset = int(params.get("offset", 0) or 0) if name == "getupdates" else 0
        if self.armed == "confirm" and offset and self.unhandled_below is not None and self.unhandled_below(offset):
            self._fire()  # the world below still takes the confirmation: it had arrived
        if self.send_latency and name == "sendmessage":
            await asyncio.sleep(self.send_latency)
        record = await self._inner(method, params, files)
        self.times[id(record)] = at
        if record.ok:
            self._note_answer(name, params)
        if self.armed == "send" and name == "sendmessage" and record.result is not None and is_dispatch(params):
            self._fire()
        return record


@dataclass
class Group:
    code: str
    chat: FakeChat
    members: list[FakeUser]
    notice: int = 0  # message id of the group's first notice (directives 1 and 2)
    aids: list[int] = field(default_factory=list)  # its duties, as the notice numbers them


def build_world(world: FakeTelegram, units: int) -> tuple[list[Group], FakeChat]:
    groups = []
    for i in range(units):
        members = [world.user(f"Cán bộ {i}.{k}") for k in range(MEMBERS)]
        groups.append(Group(f"u{i}", world.group(f"Nhóm đơn vị {i}", members), members))
    return groups, world.channel("Kênh tổng hợp đôn đốc")


def add_admin(world: FakeTelegram) -> FakeChat:
    """The office's administrator, in a private chat with the bot (put their id in the config's admins)."""
    return world.private(world.user("Văn phòng", "Tỉnh ủy"))


# ---------------------------------------------------------------------- the database's side


def _draft(number: str, duties: int, codes: list[str], deadline: date | None, plan: str) -> Draft:
    draft = Draft(source_text=f"Soak {number}", number=number, kind="chỉ thị", title=f"Về việc thử {number}")
    draft.plan = plan
    for d in range(1, duties + 1):
        text = f"Các đơn vị triển khai nội dung {d} của văn bản {number}, báo cáo kết quả."
        draft.duties.append(DraftDuty(str(d), None, text, general=False, leads=list(codes), deadline=deadline))
    return draft


async def seed_units(sessions: async_sessionmaker[AsyncSession], groups: list[Group], now: datetime) -> None:
    """One unit per group, bound to it (what /invite and the group's /start would have done)."""
    async with sessions() as s:
        await s.execute(
            insert(Unit),
            [{"code": g.code, "name": f"Đơn vị thử {g.code}", "created_at": now, "updated_at": now} for g in groups],
        )
        ids = {code: uid for code, uid in await s.execute(select(Unit.code, Unit.id))}
        rows = [
            {"unit_id": ids[g.code], "chat_id": g.chat.id, "chat_title": g.chat.title, "chat_type": "group",
             "bound_at": now}
            for g in groups
        ]  # fmt: skip
        await s.execute(insert(UnitChat), rows)
        await s.commit()


async def add_directive(
    sessions: async_sessionmaker[AsyncSession], number: str, codes: list[str], now: datetime, duties: int = 1
) -> None:
    """A directive as /newdirective saves it: its notices go out on the next tick; no reminder for a year."""
    draft = _draft(number, duties, codes, (now + timedelta(days=400)).date(), "deadline")
    async with sessions() as s:
        await save_draft(s, draft, actor=None, now=now)
        await s.commit()


async def add_reminder_directive(
    sessions: async_sessionmaker[AsyncSession],
    number: str,
    codes: list[str],
    now: datetime,
    *,
    duties: int = 1,
    due: datetime = FAR,
    notices: bool = True,
) -> None:
    """A directive whose assignments each have exactly one reminder slot, due at `due` (`arm_reminders`
    can move it). Without `notices`, its notices are dropped, as if they had gone out long ago."""
    async with sessions() as s:
        saved = await save_draft(s, _draft(number, duties, codes, None, "weekly"), actor=None, now=now)
        await s.execute(
            update(Directive)
            .where(Directive.id == saved.directive_id)
            .values(reminder_plan={"cron": PAST_CRON, "before_days": []})
        )
        aids = select(Assignment.id).join(Duty, Duty.id == Assignment.duty_id)
        aids = aids.where(Duty.directive_id == saved.directive_id)
        await s.execute(
            update(Assignment)
            .where(Assignment.id.in_(aids.scalar_subquery()))
            .values(next_kind=PingKind.ROUTINE, next_nominal=PAST_FIRE, next_run_at=due)
        )
        if not notices:
            notice = (Ping.assignment_id.in_(aids.scalar_subquery())) & (Ping.kind == PingKind.NOTICE)
            await s.execute(delete(Ping).where(notice))
        await s.commit()


async def arm_reminders(
    sessions: async_sessionmaker[AsyncSession], start: datetime, seconds: float, rng: random.Random
) -> int:
    """Each reminder slot parked at FAR becomes due at a random moment of the next `seconds`."""
    async with sessions() as s:
        aids = list(await s.scalars(select(Assignment.id).where(Assignment.next_run_at == FAR)))
        for aid in aids:
            when = start + timedelta(seconds=rng.uniform(0.05, 0.85) * seconds)
            await s.execute(update(Assignment).where(Assignment.id == aid).values(next_run_at=when))
        await s.commit()
    return len(aids)


def summary_moment(now: datetime, lead_s: float) -> datetime:
    """The first whole minute at least `lead_s` from now (the config's "at" has minute precision)."""
    t = now + timedelta(seconds=lead_s)
    return (t + timedelta(minutes=1)).replace(second=0, microsecond=0) if t.second or t.microsecond else t


def write_config(
    directory: Path,
    server: FakeBotApiServer,
    *,
    channel_id: int | None = None,
    summary_at: datetime | None = None,
    tick_seconds: int = 1,
    poll_timeout: int = 5,
    webhook_port: int | None = None,
    admins: list[int] | None = None,
    name: str = "config.yaml",
) -> Path:
    """A soak config: no quiet hours, weekends or holidays (a slot due is a slot sent), 1 s ticks.

    With `webhook_port` the instance runs in webhook mode on that port (the fake never posts to it:
    that instance only does the scheduled work, like a second instance behind a load balancer).
    """
    lines = [
        f'timezone: "{TIMEZONE}"',
        f'data_dir: "{directory / "data"}"',
        f"admins: {json.dumps(admins or [])}",
        "reminders:",
        "  skip_weekends: false",
        "  skip_holidays: false",
        '  quiet_hours: {start: "00:00", end: "00:00"}',
        "  recent_report_hours: 0",
        "  escalate_silent_after_days: 0",
        f"  tick_seconds: {tick_seconds}",
        "telegram:",
        f'  base_url: "{server.base_url}"',
        f'  base_file_url: "{server.base_file_url}"',
        f"  poll_timeout: {poll_timeout}",
    ]
    if webhook_port is not None:
        lines += [
            "  webhook:",
            "    enabled: true",
            '    listen: "127.0.0.1"',
            f"    port: {webhook_port}",
            '    webhook_url: "https://dondoc.example.invalid/telegram"',
            "    health_port: null",
        ]
    if channel_id is not None and summary_at is not None:
        local = summary_at.astimezone(ZoneInfo(TIMEZONE))
        lines += [
            "summary:",
            f"  channel_id: {channel_id}",
            f'  day_of_week: "{_DAY_NAMES[local.weekday()]}"',
            f'  at: "{local:%H:%M}"',
        ]
    path = directory / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------- the soak


@dataclass
class Sent:
    """One user update: a reply (chat, message) or a button press (callback id)."""

    update_id: int
    chat_id: int
    message_id: int | None
    callback_id: str | None

    @property
    def key(self) -> tuple[Any, ...]:
        return ("cb", self.callback_id) if self.callback_id is not None else ("msg", self.chat_id, self.message_id)


@dataclass
class KillRecord:
    at: float
    uptime: float
    polling: bool  # the run had reached getUpdates
    aimed: str | None  # "send" or "confirm" when an aimed kill hit its window
    started: float = 0.0  # time.monotonic() when the killed run was spawned
    marked_sending: int = 0  # messages the killed run had claimed and marked sending, left unfinished


class Soak:
    def __init__(self, args: argparse.Namespace, url: str, tmp: Path, backend: str) -> None:
        self.args = args
        self.url = url
        self.tmp = tmp
        self.backend = backend
        self.rng = random.Random(args.seed)
        self.world = FakeTelegram()
        self.flood = FloodControl()
        self.tap = Tap(self.world, self.flood)
        self.server = FakeBotApiServer(self.world, hold_timeout=10.0)
        self.groups, self.channel = build_world(self.world, args.units)
        self.admin = add_admin(self.world)
        self.summaries_asked = 0
        self.bursts = 0
        self.sent: dict[int, Sent] = {}
        self.kills: list[KillRecord] = []
        self.directives_added = 0
        self.summary_at: datetime | None = None
        self.notes: list[str] = []
        self.killing = True  # the traffic goes on while kills remain, even past --seconds
        self.startup_s = 0.0
        self.bot: BotProcess | None = None
        self.summary_retake: datetime | None = None  # when a summary claim left by a kill is taken over

    async def run(self) -> dict[str, Any]:
        t_begin = time.monotonic()
        await self.server.start()
        engine = make_engine(self.url)
        self.sessions = make_session_factory(engine)
        try:
            await upgrade_async(engine)
            now = datetime.now(UTC)
            codes = [g.code for g in self.groups]
            await seed_units(self.sessions, self.groups, now)
            await add_directive(self.sessions, "1/SOAK", codes, now, duties=NOTICE_DUTIES)
            await add_reminder_directive(self.sessions, "2/SOAK", codes, now, duties=REMINDER_DUTIES)
            self.summary_at = summary_moment(now, 10)
            config = write_config(
                self.tmp, self.server, channel_id=self.channel.id, summary_at=self.summary_at, admins=[self.admin.id]
            )
            self.bot = bot = BotProcess(config, bot_env(self.world.token, self.url), self.tmp / "dondoc.log")
            await bot.start()
            if not await self._wait_notices(bot, within=180):
                return {"bench": "soak", "backend": self.backend, "ok": False, "error": "no first notices in 180 s"}
            # The kill phase lasts until the summary has been due for a few seconds, at least.
            until_summary = (self.summary_at - datetime.now(UTC)).total_seconds() + 5
            span = max(self.args.seconds, until_summary)
            armed = await arm_reminders(self.sessions, datetime.now(UTC), span, self.rng)
            end = time.monotonic() + span
            phase = (
                self._traffic(end),
                self._bursts(end),
                self._office(end),
                self._directives(end),
                self._killer(bot, end),
            )
            await asyncio.gather(*phase)
            settled = await self._settle(bot)
            code = await bot.stop()
            if code != 0:
                self.notes.append(f"SIGTERM: exit code {code} (None: still running after 30 s, killed)")
            figures = await self._check(bot, armed)
        finally:
            if self.bot is not None:
                await self.bot.kill()
            await self.server.stop()
            await engine.dispose()
        figures["settled"] = settled
        figures["seconds"] = round(time.monotonic() - t_begin, 1)
        return figures

    # -- phases

    async def _wait_notices(self, bot: BotProcess, within: float) -> bool:
        """Until every group's first notice is recorded; then remember its message id and duty order."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if not bot.alive:
                await bot.start()
            async with reading(self.sessions) as s:
                rows = await s.execute(
                    select(Ping.chat_id, Ping.message_id).where(
                        Ping.kind == PingKind.NOTICE, Ping.status == PingStatus.SENT
                    )
                )
                first: dict[int, int] = {}
                for chat_id, message_id in rows:
                    if chat_id is not None and message_id is not None:
                        first[int(chat_id)] = min(first.get(int(chat_id), message_id), message_id)
            if all(g.chat.id in first for g in self.groups):
                for g in self.groups:
                    g.notice = first[g.chat.id]
                    g.aids = keyboard_aids(self.world.messages[(g.chat.id, g.notice)])
                return True
            await asyncio.sleep(0.3)
        return False

    async def _traffic(self, end: float) -> None:
        while True:
            await asyncio.sleep(self.rng.expovariate(self.args.rate))
            if time.monotonic() >= end and not self.killing:
                return
            g = self.rng.choice(self.groups)
            if self.rng.random() < 0.7:
                self._reply(g)
            else:
                self._press(g)

    def _reply(self, g: Group) -> None:
        user = self.rng.choice(g.members)
        code = self.rng.choice(g.aids)  # a list names each duty by its code (assignment id), not its position
        raw = self.world.send_text(user, g.chat, f"{code}. {self.rng.choice(ANSWERS)}", reply_to=g.notice)
        self.sent[raw["update_id"]] = Sent(raw["update_id"], g.chat.id, raw["message"]["message_id"], None)

    def _press(self, g: Group) -> None:
        user = self.rng.choice(g.members)
        raw = self.world.press(user, g.chat, g.notice, f"r|{self.rng.choice(g.aids)}|{self.rng.choice(BUTTONS)}")
        self.sent[raw["update_id"]] = Sent(raw["update_id"], g.chat.id, None, raw["callback_query"]["id"])

    async def _bursts(self, end: float) -> None:
        """Now and then a whole group answers at once (after a reminder, say): more than the bot may send
        to one group in a minute, so its answers wait in the rate limiter while new updates keep coming."""
        if self.args.burst_every <= 0:
            return
        while True:
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.args.burst_every)
            if time.monotonic() >= end and not self.killing:
                return
            g = self.rng.choice(self.groups)
            for _ in range(BURST):
                self._reply(g)
                await asyncio.sleep(self.rng.uniform(0.05, 0.3))
            self.bursts += 1

    async def _office(self, end: float) -> None:
        """The office asks for the summary now and then: a slow update (chart, workbook) the replies queue behind."""
        if self.args.summary_every <= 0 or self.admin.user is None:
            return
        while True:
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.args.summary_every)
            if time.monotonic() >= end and not self.killing:
                return
            self.world.send_text(self.admin.user, self.admin, "/summary")
            self.summaries_asked += 1

    async def _directives(self, end: float) -> None:
        start = time.monotonic()
        moments = sorted(self.rng.uniform(0.05, 0.8) * (end - start) for _ in range(self.args.directives))
        codes = [g.code for g in self.groups]
        for k, moment in enumerate(moments):
            await asyncio.sleep(max(0.0, start + moment - time.monotonic()))
            chosen = self.rng.sample(codes, max(1, len(codes) // 5))
            await add_directive(self.sessions, f"{k + 3}/SOAK", chosen, datetime.now(UTC))
            self.directives_added += 1

    def _polled_since(self, since: float) -> float | None:
        """When the run started at `since` first polled (getUpdates), or None while it is starting."""
        return next((a.at for a in self.server.arrivals[-400:] if a.method == "getUpdates" and a.at >= since), None)

    async def _wait_ready(self, bot: BotProcess, within: float) -> float | None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline and bot.alive:
            if (first := self._polled_since(bot.started_at)) is not None:
                return first
            await asyncio.sleep(0.02)
        return None

    async def _killer(self, bot: BotProcess, end: float) -> None:
        total = self.args.kills
        aims = ["confirm"] * self.args.aim_confirm + ["send"] * self.args.aim_send
        picked = self.rng.sample(range(total), min(len(aims), total))
        aimed = dict(zip(picked, aims, strict=False))
        startups = [3.0]  # seconds from spawn to the first getUpdates, as observed
        self.tap.unhandled_below = self._unhandled_below
        try:
            await self._kill_loop(bot, total, aimed, startups, end)
        finally:
            self.startup_s = round(sorted(startups)[len(startups) // 2], 2)
            self.killing = False

    async def _kill_loop(
        self, bot: BotProcess, total: int, aimed: dict[int, str], startups: list[float], end: float
    ) -> None:
        # Start-up is slow on a busy machine: the phase may run past `end`, within a bound.
        hard_end = end + 2 * self.args.seconds
        for k in range(total):
            if time.monotonic() >= hard_end:
                median = sorted(startups)[len(startups) // 2]
                self.notes.append(f"time ran out after {k} of {total} kills (start-up {median:.1f} s, median)")
                return
            if not bot.alive:
                await bot.start()
            started = bot.started_at
            startup = sorted(startups)[len(startups) // 2]
            up = max(0.5, (end - time.monotonic()) / (total - k) - startup)
            fired = asyncio.Event()
            if k in aimed:
                self.tap.on_fire = fired.set
                self.tap.armed_pid = bot.pid
                self.tap.armed = aimed[k]
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(fired.wait(), startup + 2 * up)
                self.tap.armed = self.tap.armed_pid = None
                if not fired.is_set():
                    self.notes.append(f"aimed kill {k} ({aimed[k]}): its window never came, killed anyway")
            elif self.rng.random() < 0.2:
                await asyncio.sleep(self.rng.uniform(0.0, startup))
            else:
                ready = await self._wait_ready(bot, 120.0)
                if ready is not None:
                    startups.append(ready - started)
                await asyncio.sleep(self.rng.uniform(0.1, 2 * up - 0.1))
            polled = self._polled_since(started) is not None
            uptime = time.monotonic() - started
            since = bot.started_wall
            await bot.kill()
            killed = KillRecord(
                time.monotonic(), round(uptime, 2), polled, aimed.get(k) if fired.is_set() else None, started
            )
            self.kills.append(killed)
            until = datetime.now(UTC)
            # Down a little while: Telegram keeps queuing what the units send.
            await asyncio.sleep(self.rng.uniform(0.0, 0.5))
            await bot.start()
            # Read after the restart (it claims nothing in its first second): what the killed run left sending.
            killed.marked_sending = await marked_sending(self.sessions, since, until)

    def _unhandled_below(self, offset: int) -> bool:
        """Whether this offset confirms one of our updates the bot has not answered yet (so not handled)."""
        return any(
            u["update_id"] < offset
            and u["update_id"] in self.sent
            and self.sent[u["update_id"]].key not in self.tap.answered
            for u in self.world.pending
        )

    async def _settle(self, bot: BotProcess) -> bool:
        """Let the bot run unharmed until every update, slot and the summary are done, within bounds."""
        limit = self.args.settle + (LEASE.total_seconds() + 10 if self.args.wait_leases else 0)
        start = time.monotonic()
        deadline = start + limit
        while time.monotonic() < deadline:
            if not bot.alive:
                await bot.start()
            if self._polled_since(bot.started_at) is not None and await self._settled():
                return True
            if self.summary_retake is not None:
                # A claim left by a kill is taken over after POST_LEASE: wait for that when it is near.
                wait = (self.summary_retake - datetime.now(UTC)).total_seconds()
                if time.monotonic() + wait - start <= SUMMARY_WAIT_MAX_S:
                    deadline = max(deadline, time.monotonic() + wait)
            await asyncio.sleep(0.5)
        return False

    async def _settled(self) -> bool:
        if self.world.pending:
            return False
        now = datetime.now(UTC)
        async with reading(self.sessions) as s:
            pings = (await s.execute(select(Ping.status, Ping.claimed_until))).all()
            stored = await _stored_keys(s)
            posts = list(await s.scalars(select(SummaryPost)))
        unsent = [c for st, c in pings if st == PingStatus.PENDING and (c is None or c <= now)]
        leased = [c for st, c in pings if st == PingStatus.PENDING and c is not None and c > now]
        if unsent or (self.args.wait_leases and leased):
            return False
        due = self.summary_at is not None and now >= self.summary_at + timedelta(seconds=5)
        if self.summary_at is not None and not (due and posts):
            return False  # not due yet, or due and not even claimed (a claim left by a kill stays for minutes)
        if self.summary_at is not None and not any(p.status == PingStatus.SENT for p in posts):
            claimed = max(p.created_at for p in posts)
            self.summary_retake = claimed + POST_LEASE + timedelta(seconds=15)
            if now < self.summary_retake:
                return False
            return time.monotonic() - self.tap.last_activity > 15.0
        answers = self._callback_answers()
        missing = [u for u in self.sent.values() if stored[u.key] == 0 and not self._repeat(u, answers)]
        # A lost update never shows up: stop waiting once the bot has been idle for a while.
        return not missing or time.monotonic() - self.tap.last_activity > 15.0

    # -- checks

    def _callback_answers(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for c in self.world.calls:
            if c.method == "answerCallbackQuery":
                out[str(c.params.get("callback_query_id"))].append(str(c.params.get("text", "")))
        return out

    @staticmethod
    def _repeat(u: Sent, answers: dict[str, list[str]]) -> bool:
        """A tap of the status the unit last reported: answered "already recorded", stored by design never."""
        prefix = texts.REPORT_TAP_REPEAT.split("{")[0]
        return u.callback_id is not None and any(a.startswith(prefix) for a in answers.get(u.callback_id, []))

    def _deliveries(self) -> dict[int, float]:
        """update_id -> when a getUpdates answer first handed it out."""
        out: dict[int, float] = {}
        for c in self.world.calls:
            if c.method == "getUpdates" and isinstance(c.result, list):
                at = self.tap.times.get(id(c), 0.0)
                for u in c.result:
                    out.setdefault(int(u["update_id"]), at)
        return out

    def _confirmations(self) -> list[tuple[float, int]]:
        """(when, offset) of every getUpdates that confirmed something."""
        return [
            (self.tap.times.get(id(c), 0.0), int(c.params["offset"]))
            for c in self.world.calls
            if c.method == "getUpdates" and int(c.params.get("offset", 0) or 0) > 0
        ]

    def _loss_story(self, u: Sent, delivered_at: float, confirmations: list[tuple[float, int]]) -> dict[str, Any]:
        """When the lost update was handed out, confirmed (by the next getUpdates) and the bot killed."""
        confirmed = next((t for t, off in confirmations if off > u.update_id and t >= delivered_at), None)
        kill = next((k for k in self.kills if confirmed is not None and k.at >= confirmed), None)
        return {
            "update_id": u.update_id,
            "kind": "button" if u.callback_id else "reply",
            "confirmed_after_s": round(confirmed - delivered_at, 3) if confirmed is not None else None,
            "killed_after_confirm_s": round(kill.at - confirmed, 3) if kill and confirmed is not None else None,
        }

    def _window_ms(self) -> list[int]:
        """For each notice or reminder sent more than once: ms from Telegram accepting its first send to
        the kill that kept the bot from recording it (how wide the at-least-once window was)."""
        first: dict[tuple[int, str], list[float]] = defaultdict(list)
        for c in self.world.calls:
            if c.method == "sendMessage" and c.ok and isinstance(c.result, dict) and is_dispatch(c.params):
                for slot in message_slots(c.result):
                    first[slot].append(self.tap.times.get(id(c), 0.0))
        out = []
        for times in first.values():
            if len(times) > 1:
                kill = next((k.at for k in self.kills if k.at >= times[0]), None)
                if kill is not None:
                    out.append(round((kill - times[0]) * 1000))
        return sorted(out)

    def _repeats(self, bot: BotProcess, pings: list[tuple[Any, ...]]) -> RepeatCheck:
        """Per kill, the notices and reminders Telegram accepted that the database never recorded as sent
        (the fake's record against the bot's): each goes out again once its lease ends. A send belongs to
        the run spawned last before it arrived; a run cannot send in the moment between a kill and the
        next spawn."""
        recorded = {
            (chat_id, message_id) for _, _, status, chat_id, message_id, _ in pings if status == PingStatus.SENT
        }
        kill_of_run = {k.started: i for i, k in enumerate(self.kills)}
        out = RepeatCheck(per_kill=[0] * len(self.kills))
        seen: set[tuple[int, str]] = set()
        accepted = [
            c for c in self.world.calls
            if c.method == "sendMessage" and c.ok and isinstance(c.result, dict) and is_dispatch(c.params)
        ]  # fmt: skip
        for c in sorted(accepted, key=lambda c: self.tap.times.get(id(c), 0.0)):
            assert isinstance(c.result, dict)
            slots = message_slots(c.result)
            if any(slot in seen for slot in slots):
                out.repeated += 1
                if texts.RESENT_MARK not in str(c.params.get("text", "")).split("\n", 1)[0]:
                    out.unmarked += 1
            seen.update(slots)
            if (int(c.result["chat"]["id"]), int(c.result["message_id"])) in recorded:
                continue
            run = bisect.bisect_right(bot.run_starts, self.tap.times.get(id(c), 0.0)) - 1
            killed = kill_of_run.get(bot.run_starts[run]) if run >= 0 else None
            if killed is None:
                out.without_kill += 1  # the run was not killed: a timeout after Telegram took it
            else:
                out.per_kill[killed] += 1
        return out

    async def _check(self, bot: BotProcess, armed: int) -> dict[str, Any]:
        async with reading(self.sessions) as s:
            stored = await _stored_keys(s)
        pings = await load_pings(self.sessions)
        slots = check_slots(self.world, pings)
        summary = await check_summary(self.world, self.sessions, self.channel)
        deliveries = self._deliveries()
        confirmations = self._confirmations()
        answers = self._callback_answers()
        delivered = [u for u in self.sent.values() if u.update_id in deliveries]
        repeats = [u for u in delivered if stored[u.key] == 0 and self._repeat(u, answers)]
        unstored = [u for u in delivered if stored[u.key] == 0 and not self._repeat(u, answers)]
        # Not confirmed yet at the end: Telegram would hand it out again, so it is late, not lost.
        last_offset = max((off for _, off in confirmations), default=0)
        late = [u for u in unstored if u.update_id >= last_offset]
        lost = [u for u in unstored if u.update_id < last_offset]
        doubled = [u for u in delivered if stored[u.key] > 1]
        ours = {u.key for u in self.sent.values()}
        calls = self.world.calls
        replies = sum(1 for u in self.sent.values() if u.callback_id is None)
        again = self._repeats(bot, pings)
        mid_send = sum(1 for n in again.per_kill if n)
        unrecorded = sum(again.per_kill)
        worst = max(again.per_kill, default=0)
        marked = max((k.marked_sending for k in self.kills), default=0)
        # At least once, bounded: a kill repeats at most IN_FLIGHT messages (bot/dispatch.py), and a
        # repeat says so. Counted in messages, as the bound is stated; the slot figures are beside it.
        bound_ok = worst <= IN_FLIGHT and marked <= IN_FLIGHT and not again.unmarked
        ok = (
            not lost and not late and not doubled and len(delivered) == len(self.sent)
            and bound_ok and not slots.unsent and not slots.unmatched
            and not slots.stray_sends and summary.ok
        )  # fmt: skip
        return {
            "bench": "soak",
            "backend": self.backend,
            "units": len(self.groups),
            "replies_sent": replies,
            "presses_sent": len(self.sent) - replies,
            "delivered": len(delivered),
            "stored": len(delivered) - len(unstored) - len(repeats),
            "repeat_taps": len(repeats),
            "losses": len(lost),
            "unconfirmed_at_end": len(late),
            "duplicates": len(doubled),
            "stray_reports": sum(n for k, n in stored.items() if k not in ours),
            "kills": len(self.kills),
            "kills_in_startup": sum(1 for k in self.kills if not k.polling),
            "aimed_kills": dict(Counter(k.aimed for k in self.kills if k.aimed)),
            "restarts": bot.starts - 1,
            "startup_s": self.startup_s,
            "unexpected_exits": len(bot.unexpected_exits),
            "slots": slots.slots,
            "reminder_slots": sum(v for k, v in slots.by_status.items() if k.startswith("routine:")),
            "reminders_armed": armed,
            "notice_slots": sum(v for k, v in slots.by_status.items() if k.startswith("notice:")),
            "slot_status": dict(sorted(slots.by_status.items())),
            "duplicate_sends": slots.duplicate_sends,
            "in_flight_bound": IN_FLIGHT,
            "kills_mid_send": mid_send,
            "unrecorded_per_kill": [n for n in again.per_kill if n],
            "marked_sending_per_kill": [k.marked_sending for k in self.kills if k.marked_sending],
            "unrecorded_without_kill": again.without_kill,
            "repeated_messages": again.repeated,
            "unmarked_repeats": again.unmarked,
            "duplicate_bound": (
                f"max {worst} (database: {marked}) <= {IN_FLIGHT} messages per kill; "
                f"{unrecorded} <= {IN_FLIGHT} x {mid_send} kills mid-send"
            ),
            "duplicate_bound_ok": bound_ok,
            "in_window": slots.in_window,
            "leased_at_end": slots.leased,
            "window_ms": self._window_ms()[:20],
            "unsent": slots.unsent,
            "unmatched": slots.unmatched,
            "stray_sends": slots.stray_sends,
            "directives_added": self.directives_added,
            "summaries_asked": self.summaries_asked,
            "bursts": self.bursts,
            "summary_posts": summary.posts,
            "summary_calls": summary.calls,
            "summary_rows": summary.rows,
            "summary_ok": summary.ok,
            "flood_refused": self.flood.refused,
            "handler_errors": sum(
                1 for c in calls if str(c.params.get("text", "")).startswith(texts.ERROR_GENERIC[:40])
            ),
            "log_tracebacks": bot.log.read_text(encoding="utf-8", errors="replace").count("Traceback"),
            "loss_examples": [self._loss_story(u, deliveries[u.update_id], confirmations) for u in lost[:3]],
            "notes": self.notes,
            "ok": ok,
        }


async def _stored_keys(s: AsyncSession) -> Counter[tuple[Any, ...]]:
    rows = await s.execute(select(StatusReport.chat_id, StatusReport.message_id, StatusReport.callback_id))
    keys: Counter[tuple[Any, ...]] = Counter()
    for chat_id, message_id, callback_id in rows:
        keys[("cb", callback_id) if callback_id is not None else ("msg", chat_id, message_id)] += 1
    return keys


# ---------------------------------------------------------------------- backends


async def run_soak(args: argparse.Namespace, url: str, backend: str) -> dict[str, Any]:
    """One soak on an existing, empty database; the temp dir stays when the run is not ok (or --keep)."""
    tmp = Path(tempfile.mkdtemp(prefix="dondoc-soak-"))
    result: dict[str, Any] = {"bench": "soak", "backend": backend, "ok": False}
    try:
        result = await Soak(args, url, tmp, backend).run()
    finally:
        if args.keep or not result.get("ok"):
            result["kept"] = str(tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        result["seed"] = args.seed
    return result


async def run_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    if backend == "sqlite":
        directory = Path(tempfile.mkdtemp(prefix="dondoc-soak-db-"))
        try:
            return await run_soak(args, f"sqlite+aiosqlite:///{directory / 'soak.sqlite3'}", "sqlite")
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    try:
        from tests.support.pg import PgCluster

        cluster = PgCluster()
    except Exception as exc:  # no initdb, or no tests/ beside bench/
        return {"bench": "soak", "backend": "pg", "skipped": f"{type(exc).__name__}: {str(exc).strip()[:300]}"}
    try:
        try:
            cluster.start()
        except Exception as exc:
            return {"bench": "soak", "backend": "pg", "skipped": f"{type(exc).__name__}: {str(exc).strip()[:300]}"}
        return await run_soak(args, cluster.url(cluster.create_database()), "pg")
    finally:
        cluster.stop()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "pg", "both"], default="both")
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=90.0, help="the kill phase (longer if start-up is slow)")
    parser.add_argument("--rate", type=float, default=None, help="replies and presses per second (0.08 per unit)")
    parser.add_argument("--directives", type=int, default=4, help="new directives saved during the kill phase")
    parser.add_argument(
        "--burst-every", type=float, default=0.0,
        help="a group answers in a burst of 12 this often (0: never); the bot then waits out the group limit",
    )  # fmt: skip
    parser.add_argument(
        "--summary-every", type=float, default=15.0, help="the office asks /summary about this often (0: never)"
    )
    parser.add_argument("--settle", type=float, default=60.0, help="at most this long to settle after the kills")
    parser.add_argument("--wait-leases", action="store_true", help="also wait for leased pings to be retried")
    parser.add_argument(
        "--aim-confirm", type=int, default=0,
        help="kills fired as a getUpdates offset confirms an update the bot has not handled yet",
    )  # fmt: skip
    parser.add_argument(
        "--aim-send", type=int, default=0,
        help="kills fired after Telegram accepted a notice or reminder, before the bot reads the answer",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (config, database, log)")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1_000_000)
    args.units = max(1, args.units)
    args.kills = max(0, args.kills)
    if args.rate is None:
        args.rate = 0.08 * args.units
    return args


async def main(args: argparse.Namespace) -> int:
    ok = True
    for backend in ["sqlite", "pg"] if args.backend == "both" else [args.backend]:
        result = await run_backend(backend, args)
        ok = ok and bool(result.get("ok") or result.get("skipped"))
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
