"""Fault injection: reminders fan out to 200 groups while the fake Bot API fails at random.

Every group gets a seeded fate for its sendMessage calls in each phase (the notices on save, then the
routine reminder a week later):

- clean;
- flaky: 429 with retry_after, 5xx, timeouts and network errors, then success;
- failed: MAX_ATTEMPTS transient errors in a row;
- kicked: Forbidden (the bot was removed and missed the my_chat_member update);
- upgraded: the group became a supergroup, sending to the old id answers ChatMigrated and the new id
  accepts messages (maybe after more transient errors there);
- upgraded then kicked from the supergroup.

The clock moves like the JobQueue's ticks (idle ticks skipped) until nothing pending can be claimed.
Afterwards every assignment has exactly one ping per slot with the outcome its group's script implies,
every SENT ping points at a message present in the right chat, nothing was sent twice, every sendMessage
call is accounted for, and every retry waited what the server (retry_after) or the backoff asked for.
Finally the units that lost their group get a new one by invite link, and their waiting notices once.

The one duplicate the bot cannot avoid: a timeout *after* Telegram delivered the message
(`Fault.timeout(after_effect=True)`, a "ghost" below). The Bot API has no idempotency key, so the
dispatcher retries (at least once, see bot/dispatch.py) and the group sees the same text again. Ghosts
are counted per chat and are the only duplicates allowed; a group whose six attempts all failed may
still hold ghost copies although its ping says FAILED.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Literal

import pytest
from sqlalchemy import func, select

from bot import texts
from bot.clock import FakeClock
from bot.config import Config, UnitConfig
from bot.domain.draft import Draft, DraftDuty
from bot.domain.enums import PingKind, PingStatus
from bot.runtime.dispatch import MAX_ATTEMPTS
from bot.services.bindings import create_invite
from bot.services.directives import save_draft
from db.models import Assignment, Duty, Ping, Unit, UnitChat
from fakeapi import FakeChat, FakeTelegram, FakeUser, Fault
from fakeapi.harness import Harness
from fakeapi.models import Call
from tests.bot.conftest import ADMIN_ID, directory_units

GROUPS = 200
# One seed costs 10-15 s per backend (200 groups, two slots of ~30 ticks each), so one runs by default.
# Soak with e.g.: DONDOC_FANOUT_SEEDS=1,2,3,4,5 python -m pytest tests/bot/test_fanout_faults.py
SEEDS = [int(x) for x in os.environ.get("DONDOC_FANOUT_SEEDS", "20261123").split(",") if x.strip()]
MAX_ROUNDS = 200  # ticks per phase; six attempts' backoffs (15.5 min) take about 35 ticks of 30 s
TICK_TIMEOUT = 60  # seconds of real time for one tick; the busiest (the first) takes about 2 s
# The first routine slot of a weekly plan saved on Monday 23/11/2026: the next Monday, 08:00 in Hanoi.
ROUTINE_AT = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
DUTIES = (
    ("Rà soát, báo cáo tiến độ chuyển đổi số quý IV.", date(2027, 3, 31)),
    ("Tổng hợp số liệu cải cách hành chính năm 2026.", None),
)

Fate = Literal["clean", "flaky", "failed", "kicked", "upgraded", "upgraded_kicked"]
_FATES: tuple[Fate, ...] = ("clean", "flaky", "failed", "kicked", "upgraded", "upgraded_kicked")
_WEIGHTS = (38, 30, 8, 8, 12, 4)


def fleet() -> list[UnitConfig]:
    """The shipped directory's own (non-collective) units, topped up with made-up ones to GROUPS."""
    own = [u for u in directory_units() if not u.members]
    extra = [UnitConfig(code=f"thu_nghiem_{i:03d}", name=f"Đơn vị thử nghiệm số {i:03d}") for i in range(GROUPS)]
    return (own + extra)[:GROUPS]


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    shipped = directory_units()
    known = {u.code for u in shipped}
    units = shipped + [u for u in fleet() if u.code not in known]
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=units)


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Quản trị")
    assert user.id == ADMIN_ID  # the world's first user, created before any group member
    world.private(user)
    return user


# ---------------------------------------------------------------------------------------------- scripts


@dataclass
class Script:
    """What one unit's group does to sendMessage during one phase, and so what must come out of it."""

    code: str
    name: str
    member: FakeUser
    chat: FakeChat  # where the binding points when the phase starts
    fate: Fate
    faults: list[Fault] = field(default_factory=list)  # on chat.id, in order
    faults_after: list[Fault] = field(default_factory=list)  # on the new supergroup, in order
    target: FakeChat | None = None  # the supergroup, once upgraded

    @property
    def final_chat(self) -> FakeChat:
        return self.target or self.chat

    @property
    def kicked(self) -> bool:
        return self.fate in ("kicked", "upgraded_kicked")

    @property
    def delivers(self) -> bool:
        return self.fate in ("clean", "flaky", "upgraded")

    @property
    def attempts(self) -> int:
        return MAX_ATTEMPTS if self.fate == "failed" else len(self.faults) + len(self.faults_after)

    @property
    def ghosts(self) -> int:
        """Messages Telegram delivered although the bot saw a timeout."""
        return sum(f.after_effect for f in self.faults + self.faults_after)

    def calls_per_chat(self) -> dict[int, int]:
        """sendMessage calls each chat must see: one per fault, then the final answer (a success, a
        Forbidden; none after the last failure); an upgraded group's old id also answers ChatMigrated once."""
        final = 0 if self.fate == "failed" else 1
        if self.target is None:
            return {self.chat.id: len(self.faults) + final}
        return {self.chat.id: len(self.faults) + 1, self.target.id: len(self.faults_after) + final}


def transient(rng: random.Random, *, ghost_ok: bool) -> Fault:
    roll = rng.random()
    if roll < 0.3:
        return Fault.retry_after(rng.randint(1, 90))
    if roll < 0.55:
        return Fault.server_error(rng.choice((500, 502, 503, 504)))
    if roll < 0.78:
        return Fault.timeout()  # the request never reached Telegram
    if roll < 0.92 or not ghost_ok:
        return Fault.network_error()
    return Fault.timeout(after_effect=True)  # delivered, but the answer was lost on the way back


def plan_phase(rng: random.Random, units: Iterable[tuple[str, str, FakeUser, FakeChat]]) -> list[Script]:
    """A seeded fate per group. Faults in front of a migration or a kick hit a chat that rejects the
    message anyway, so they never deliver (no ghosts there)."""
    scripts: list[Script] = []
    for code, name, member, chat in units:
        fate = rng.choices(_FATES, _WEIGHTS)[0]
        if fate.startswith("upgraded") and chat.type != "group":
            fate = "flaky"  # a supergroup does not migrate again
        s = Script(code, name, member, chat, fate)
        if fate == "flaky":
            s.faults = [transient(rng, ghost_ok=True) for _ in range(rng.randint(1, MAX_ATTEMPTS - 1))]
        elif fate == "failed":
            s.faults = [transient(rng, ghost_ok=True) for _ in range(MAX_ATTEMPTS)]
        elif fate == "kicked":
            s.faults = [transient(rng, ghost_ok=False) for _ in range(rng.randint(0, 3))]
        elif fate.startswith("upgraded"):
            s.faults = [transient(rng, ghost_ok=False) for _ in range(rng.randint(0, 2))]
            s.faults_after = [transient(rng, ghost_ok=fate == "upgraded") for _ in range(rng.randint(0, 2))]
        scripts.append(s)
    return scripts


def arm(world: FakeTelegram, scripts: list[Script]) -> None:
    """Queue each group's faults and change the world (kicks, upgrades) before the phase runs."""
    for s in scripts:
        for fault in s.faults:
            world.inject("sendMessage", fault, chat_id=s.chat.id, times=1)
        if s.fate == "kicked":
            world.remove_bot(s.chat, s.member, ban=True)
        if s.fate.startswith("upgraded"):
            s.target = world.migrate(s.chat, s.member)
            for fault in s.faults_after:
                world.inject("sendMessage", fault, chat_id=s.target.id, times=1)
            if s.fate == "upgraded_kicked":
                world.remove_bot(s.target, s.member, ban=True)
    # The bot was down when Telegram sent the service updates: it learns about all this on send.
    world.take_pending()


# ---------------------------------------------------------------------------------------------- driving


async def bind_all(h: Harness, codes: list[str]) -> dict[str, tuple[FakeUser, FakeChat]]:
    """A group per unit, bound directly (as test_reminders.bind does), in one transaction."""
    out: dict[str, tuple[FakeUser, FakeChat]] = {}
    now = h.app.bot_data.clock.now()
    async with h.app.bot_data.sessions() as s:
        ids = {code: uid for code, uid in await s.execute(select(Unit.code, Unit.id).where(Unit.code.in_(codes)))}
        assert len(ids) == len(codes)
        for code in codes:
            member = h.world.user("Đầu mối " + code)
            group = h.world.group("Nhóm " + code, [member])
            s.add(UnitChat(unit_id=ids[code], chat_id=group.id, chat_title=group.title, bound_at=now))
            out[code] = (member, group)
        await s.commit()
    return out


async def register(h: Harness, rng: random.Random, codes: list[str]) -> None:
    """One weekly directive: the first duty goes to every unit, the second to a random third of them."""
    draft = Draft(source_text="Công văn thử tải", number="99-CV/TU", kind="công văn", title="Về việc thử tải")
    (first, first_deadline), (second, second_deadline) = DUTIES
    draft.duties.append(DraftDuty("1", None, first, general=False, leads=list(codes), deadline=first_deadline))
    some = sorted(rng.sample(codes, len(codes) // 3))
    draft.duties.append(DraftDuty("2", None, second, general=False, leads=some, deadline=second_deadline))
    async with h.app.bot_data.sessions() as s:
        await save_draft(s, draft, actor=ADMIN_ID, now=h.app.bot_data.clock.now())
        await s.commit()


async def next_claimable(h: Harness) -> datetime | None:
    """When the earliest pending ping with a group to go to may be claimed (None: nothing left)."""
    async with h.app.bot_data.sessions() as s:
        leases = list(
            await s.scalars(
                select(Ping.claimed_until)
                .join(Assignment, Assignment.id == Ping.assignment_id)
                .join(UnitChat, (UnitChat.unit_id == Assignment.unit_id) & UnitChat.active.is_(True))
                .where(Ping.status == PingStatus.PENDING)
            )
        )
    if not leases:
        return None
    if any(lease is None for lease in leases):
        return h.app.bot_data.clock.now()
    return min(lease for lease in leases if lease is not None)


async def drain(h: Harness, clock: FakeClock) -> int:
    """Tick as the JobQueue does (every tick_seconds, idle ticks skipped) until nothing pending can be
    claimed. Returns the ticks run."""
    step = timedelta(seconds=h.app.bot_data.config.reminders.tick_seconds)
    start = clock.now()
    for rounds in range(1, MAX_ROUNDS + 1):
        async with asyncio.timeout(TICK_TIMEOUT):  # a dispatch loop that never ends fails, not hangs
            await h.tick()
        due = await next_claimable(h)
        if due is None:
            return rounds
        # dispatch() loops until nothing is claimable, so whatever is left is leased into the future.
        assert due > clock.now(), f"a claimable ping was left behind at {clock.now()}"
        clock.set(start + step * -((start - due) // step))  # the first tick at or after `due`
    raise AssertionError(f"still pending after {MAX_ROUNDS} ticks")


def bot_keys(world: FakeTelegram) -> set[tuple[int, int]]:
    return {key for key, m in world.messages.items() if m.get("from", {}).get("id") == world.bot.id}


def sends(calls: Iterable[Call], chat_ids: set[int]) -> list[Call]:
    return [c for c in calls if c.method == "sendMessage" and int(c.params["chat_id"]) in chat_ids]


# ---------------------------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Row:
    code: str
    duty: str
    kind: PingKind
    scheduled_for: datetime
    status: PingStatus
    attempts: int
    error: str | None
    chat_id: int | None
    message_id: int | None


async def load_pings(h: Harness) -> list[Row]:
    async with h.app.bot_data.sessions() as s:
        rows = await s.execute(
            select(Unit.code, Duty.text, Ping)
            .join(Assignment, Assignment.id == Ping.assignment_id)
            .join(Duty, Duty.id == Assignment.duty_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .order_by(Ping.id)
        )
        return [
            Row(code, text, p.kind, p.scheduled_for, p.status, p.attempts, p.error, p.chat_id, p.message_id)
            for code, text, p in rows
        ]


async def load_bindings(h: Harness) -> dict[str, int | None]:
    """Each unit's active group (None: no active binding)."""
    active = (UnitChat.unit_id == Unit.id) & UnitChat.active.is_(True)
    async with h.app.bot_data.sessions() as s:
        return {
            code: chat_id
            for code, chat_id in await s.execute(select(Unit.code, UnitChat.chat_id).outerjoin(UnitChat, active))
        }


def expected_wait(fault: Fault, attempt: int) -> timedelta:
    """What the retry after `fault` (the `attempt`-th failure) must wait: the server's retry_after for a
    429, else dispatch's backoff of 30 s doubling per attempt, capped at an hour."""
    error = fault.error
    if error is not None and error.error_code == 429 and error.parameters:
        return timedelta(seconds=int(error.parameters["retry_after"]))
    return timedelta(seconds=min(30 * 2 ** (attempt - 1), 3600))


def check_timeline(calls: list[Call], s: Script, step: timedelta) -> None:
    """Each retry waited what it had to, and not a whole tick longer (the clock ticks every `step`)."""
    ids = {s.chat.id} | ({s.target.id} if s.target else set())
    mine = sends(calls, ids)
    migrated = [c for c in mine if c.error is not None and "migrate_to_chat_id" in (c.error.parameters or {})]
    # The ChatMigrated answer is followed at once by the same attempt on the new id.
    for hop in migrated:
        follow = mine[mine.index(hop) + 1]
        assert s.target is not None and int(follow.params["chat_id"]) == s.target.id and follow.at == hop.at
    attempts = [c for c in mine if c not in migrated]
    assert len(attempts) == len(s.faults) + len(s.faults_after) + (s.fate != "failed"), s.code
    for n, (fault, (failed, retry)) in enumerate(zip(s.faults + s.faults_after, pairwise(attempts), strict=False), 1):
        wait = expected_wait(fault, n)
        assert wait <= retry.at - failed.at < wait + step, (s.code, n, str(fault), retry.at - failed.at)


async def check_phase(
    h: Harness,
    admin: FakeUser,
    kind: PingKind,
    slot: datetime,
    scripts: dict[str, Script],
    unbound: set[str],
    *,
    calls_from: int,
    keys_before: set[tuple[int, int]],
) -> None:
    """The outcome of one slot for every assignment, checked against the phase's scripts."""
    world = h.world
    rows = [r for r in await load_pings(h) if r.kind == kind]
    assert {r.scheduled_for for r in rows} == {slot}  # one slot for everybody
    by_code: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_code[r.code].append(r)
    assert set(by_code) == set(scripts) | unbound

    # Unit by unit: the ping rows say what the script implies.
    sent_keys: set[tuple[int, int]] = set()
    for code in unbound:  # lost its group in an earlier phase: a routine slot is recorded as skipped
        assert {(r.status, r.error) for r in by_code[code]} == {(PingStatus.SKIPPED, "no_group")}, code
    for code, s in scripts.items():
        mine = by_code[code]
        where = f"{code} ({s.fate}: {[str(f) for f in s.faults]} then {[str(f) for f in s.faults_after]})"
        if s.delivers:
            assert {(r.status, r.error, r.attempts) for r in mine} == {(PingStatus.SENT, None, s.attempts)}, where
            [(chat_id, message_id)] = {(r.chat_id, r.message_id) for r in mine}  # one message, every duty
            assert chat_id == s.final_chat.id and message_id is not None, where  # upgraded: the supergroup
            message = world.messages.get((chat_id, message_id))
            assert message is not None and message["from"]["id"] == world.bot.id, where
            assert all(r.duty in message["text"] for r in mine), where
            sent_keys.add((chat_id, message_id))
        elif s.fate == "failed":
            outcome = {(r.status, r.attempts, r.chat_id) for r in mine}
            assert outcome == {(PingStatus.FAILED, MAX_ATTEMPTS, None)} and all(r.error for r in mine), where
        elif kind == PingKind.NOTICE:  # kicked: the notice waits for a new group
            waiting = {(r.status, r.error, r.attempts) for r in mine}
            assert waiting == {(PingStatus.PENDING, "forbidden", s.attempts)}, where
        else:  # kicked: a routine reminder with no group is recorded as skipped on the next tick
            assert {(r.status, r.error) for r in mine} == {(PingStatus.SKIPPED, "no_group")}, where

    # Message by message: what arrived in the groups is exactly the SENT pings, plus the ghosts.
    arrived = {k for k in bot_keys(world) - keys_before if k[0] != admin.id}
    assert sent_keys <= arrived
    ghosts = Counter(chat_id for chat_id, _ in arrived - sent_keys)
    assert ghosts == Counter({s.final_chat.id: s.ghosts for s in scripts.values() if s.ghosts})
    for s in scripts.values():
        if s.target is not None:
            assert not [k for k in arrived if k[0] == s.chat.id], s.code  # nothing landed on the old id
        texts_in = [str(world.messages[k]["text"]) for k in arrived if k[0] == s.final_chat.id]
        got = Counter(t.replace(" " + texts.RESENT_MARK, "") for t in texts_in)
        # No group got a message twice, except the unavoidable resend after a delivered timeout,
        # which says it is one ("(nhắc lại)").
        copies = int(s.delivers) + s.ghosts
        assert sum(got.values()) == copies and len(got) == min(copies, 1), (s.code, s.fate, got)
        assert sum(texts.RESENT_MARK in t for t in texts_in) >= copies - 1, s.code  # all but the first

    # Call by call: every sendMessage to a group is a scripted fault, a migration hop, a kick or a success,
    # and every retry waited for the backoff or the server's retry_after.
    calls = h.world.calls[calls_from:]
    expected = Counter({cid: n for s in scripts.values() for cid, n in s.calls_per_chat().items()})
    to_groups = [int(c.params["chat_id"]) for c in calls if c.method == "sendMessage"]
    assert Counter(cid for cid in to_groups if cid != admin.id) == expected
    assert world.rules == [], "a scripted fault was never met: fewer sends than planned"
    step = timedelta(seconds=h.app.bot_data.config.reminders.tick_seconds)
    for s in scripts.values():
        check_timeline(calls, s, step)

    # Bindings follow upgrades and drop kicked groups; the admins hear once per lost unit.
    bindings = await load_bindings(h)
    for code, s in scripts.items():
        assert bindings[code] == (None if s.kicked else s.final_chat.id), code
    alerts = Counter(str(world.messages[k]["text"]) for k in bot_keys(world) - keys_before if k[0] == admin.id)
    lost = [s.name for s in scripts.values() if s.kicked]
    assert alerts == Counter(texts.ADMIN_ALERT_FORBIDDEN.format(units=name) for name in lost)


async def run_phase(
    h: Harness, clock: FakeClock, admin: FakeUser, scripts: list[Script], kind: PingKind, unbound: set[str]
) -> None:
    slot = clock.now() if kind == PingKind.NOTICE else ROUTINE_AT  # a notice is due when the directive is saved
    arm(h.world, scripts)
    calls_from, keys_before = len(h.world.calls), bot_keys(h.world)
    await drain(h, clock)
    # A later tick sends nothing more (the same slot never twice) and settles what has no group left.
    clock.set(clock.now() + timedelta(minutes=10))
    assert sends(await h.tick(), set(h.world.chats)) == []
    await check_phase(
        h, admin, kind, slot, {s.code: s for s in scripts}, unbound, calls_from=calls_from, keys_before=keys_before
    )


async def rebind(h: Harness, code: str) -> FakeChat:
    """The way back: an invite for the unit (what /invite creates; typing /invite forty times in a row
    would only meet the flood guard), then the bot is added to a new group through the startgroup link."""
    services = h.app.bot_data
    async with services.sessions() as s:
        unit = await s.scalar(select(Unit).where(Unit.code == code))
        assert unit is not None
        invite = await create_invite(s, unit, actor=ADMIN_ID, now=services.clock.now(), ttl=timedelta(hours=1))
        await s.commit()
    member = h.world.user("Đầu mối mới " + code)
    group = h.world.group("Nhóm mới " + code, [member], bot_member=False)
    await h.add_bot(group, member, start_param=invite.token)
    return group


@pytest.mark.parametrize("seed", SEEDS)
async def test_fanout_under_random_faults_gives_one_outcome_per_slot(
    harness: Harness, clock: FakeClock, admin: FakeUser, seed: int
) -> None:
    h = harness
    rng = random.Random(seed)
    units = fleet()
    names = {u.code: u.name for u in units}
    groups = await bind_all(h, [u.code for u in units])
    await register(h, rng, [u.code for u in units])

    # Phase 1: the notices, right after the save (Monday 23/11, 09:00 in Hanoi).
    first = plan_phase(rng, [(c, names[c], m, g) for c, (m, g) in groups.items()])
    assert set(Counter(s.fate for s in first)) == set(_FATES)  # every kind of fault is exercised
    await run_phase(h, clock, admin, first, PingKind.NOTICE, set())

    # Phase 2: the first routine reminder a week later, with new faults for the groups still bound.
    clock.set(ROUTINE_AT)
    lost_first = {s.code for s in first if s.kicked}
    second = plan_phase(rng, [(s.code, s.name, s.member, s.final_chat) for s in first if not s.kicked])
    await run_phase(h, clock, admin, second, PingKind.ROUTINE, lost_first)

    # Exactly one ping per (assignment, kind, slot) overall, and nothing but those two slots.
    rows = await load_pings(h)
    async with h.app.bot_data.sessions() as s:
        assignments = await s.scalar(select(func.count()).select_from(Assignment))
    assert set(Counter((r.code, r.duty, r.kind, r.scheduled_for) for r in rows).values()) == {1}
    assert Counter(r.kind for r in rows) == {PingKind.NOTICE: assignments, PingKind.ROUTINE: assignments}

    # Phase 3: every unit that lost its group gets a new one; notices that waited go out there, once.
    clock.advance(timedelta(hours=1))
    lost = sorted(lost_first | {s.code for s in second if s.kicked})
    new_groups = {code: await rebind(h, code) for code in lost}
    assert sends(await h.tick(), set(h.world.chats)) == []
    after = {(r.code, r.duty): r for r in await load_pings(h) if r.kind == PingKind.NOTICE}
    for code, group in new_groups.items():
        mine = [r for (c, _), r in after.items() if c == code]
        texts_in_group = [str(m["text"]) for m in h.world.bot_messages(group)]
        assert texts_in_group[0].startswith("👋"), code
        if code in lost_first:
            [(chat_id, message_id)] = {(r.chat_id, r.message_id) for r in mine}
            assert {r.status for r in mine} == {PingStatus.SENT} and chat_id == group.id, code
            assert len(texts_in_group) == 2 and all(r.duty in texts_in_group[1] for r in mine), code
            assert message_id is not None and h.world.messages[(group.id, message_id)]["text"] == texts_in_group[1]
        else:  # its notice went out before the kick, and its routine slot was skipped: nothing to resend
            assert len(texts_in_group) == 1, code
    assert not [r for r in after.values() if r.status == PingStatus.PENDING]
