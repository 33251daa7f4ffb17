"""Bad input, systematically, through the real Application and the fake Bot API.

Random command names and arguments, huge texts, odd Unicode, empty messages, stickers, files of the
wrong type, unknown chats, random button data and replies to unknown messages. Each case must get a
clear Vietnamese answer or none at all, must never crash a handler, and must not change the database
where it should not: nothing at all for people without rights, no unit, directive or report row for
an admin's garbage. Cases come from seeded generators, so a failure names a case that replays as is.

Every write the bot sends is seen through a SQLAlchemy event (cheap, and it names the case); a
whole-database snapshot before and after each test backs that up. On PostgreSQL every fifth case runs.
"""

from __future__ import annotations

import itertools
import logging
import random
import re
import unicodedata
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from bot import texts
from bot.clock import FakeClock
from bot.commands import CATALOG
from bot.config import Config
from bot.domain.draft import Draft, DraftDuty
from bot.services.directives import save_draft
from db.base import Base
from db.models import Assignment, Unit, UnitChat
from fakeapi import FakeChat, FakeTelegram, FakeUser
from fakeapi.harness import Harness
from fakeapi.models import Call, JSONDict
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.dbsnap import snapshot

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261123
# Rows an admin's (or a unit member's) garbage must never touch; other tables may log or queue.
BUSINESS_TABLES = (
    "units", "unit_chats", "people", "directives", "duties", "assignments", "status_reports", "invites",
    "reply_prompts",
)  # fmt: skip
_VIETNAMESE = frozenset("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
_MAX_FILE = 64 * 1024
_ANONYMOUS_ADMIN = FakeUser(1087968824, "Group", username="GroupAnonymousBot", is_bot=True)
_OTHER_BOT = FakeUser(7_000_000_001, "Bot khác", username="other_bot", is_bot=True)


# --- the world ----------------------------------------------------------------------------------


@dataclass
class Scene:
    h: Harness
    admin: FakeUser
    secretary: FakeUser
    leader: FakeUser
    member: FakeUser  # of the bound Sở Y tế group: may report there
    stranger: FakeUser  # no role, no unit
    bound: FakeChat
    unbound: FakeChat
    supergroup: FakeChat
    channel: FakeChat
    notice_id: int  # the duty notice in the bound group
    pg: bool

    def private(self, user: FakeUser) -> FakeChat:
        return self.h.world.private(user)

    def last_bot_id(self, chat: FakeChat) -> int:
        return int(self.h.world.bot_messages(chat)[-1]["message_id"])


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    # Flood control would drop most of a burst of cases and hide what the bot does with them.
    return Config(
        database_url=db_url,
        admins=[ADMIN_ID],
        config_dir=tmp_path,
        units=directory_units(),
        flood_max_updates=1_000_000,
        max_file_bytes=_MAX_FILE,
    )


async def _bind(h: Harness, code: str, chat: FakeChat) -> None:
    async with h.app.bot_data.sessions() as s:
        unit_id = await s.scalar(select(Unit.id).where(Unit.code == code))
        assert unit_id is not None
        s.add(UnitChat(unit_id=unit_id, chat_id=chat.id, chat_title=chat.title, bound_at=h.app.bot_data.clock.now()))
        await s.commit()


async def _register(h: Harness) -> None:
    draft = Draft(source_text="77-TB/TU thử", number="77-TB/TU", kind="thông báo", title="Về việc thử nghiệm")
    draft.duties.append(DraftDuty("1", None, "Sở Y tế rà soát.", False, leads=["so_yte"], deadline=date(2027, 3, 31)))
    draft.duties.append(DraftDuty("2", None, "Công an tỉnh phối hợp.", False, leads=["cong_an", "so_yte"]))
    async with h.app.bot_data.sessions() as s:
        await save_draft(s, draft, actor=ADMIN_ID, now=h.app.bot_data.clock.now())
        await s.commit()


@pytest.fixture
async def scene(config: Config, world: FakeTelegram, clock: FakeClock, db_url: str) -> AsyncIterator[Scene]:
    async with Harness.running(config, world, clock=clock) as h:
        admin = world.user("Quản trị")
        assert admin.id == ADMIN_ID
        secretary, leader = world.user("Thư ký"), world.user("Lãnh đạo")
        member, stranger = world.user("Đầu mối", "Y tế"), world.user("Người lạ")
        for u in (admin, secretary, leader, member, stranger):
            await h.text(u, world.private(u), "/start")
        await h.text(admin, world.private(admin), f"/grant {secretary.id} thu_ky")
        await h.text(admin, world.private(admin), f"/grant {leader.id} lanh_dao")
        bound = world.group("Sở Y tế", [member])
        await _bind(h, "so_yte", bound)
        await _register(h)
        await h.tick()
        notices = [m for m in world.bot_messages(bound) if str(m.get("text", "")).startswith(("📌", "⏰"))]
        assert notices, "no notice reached the bound group"
        unbound = world.group("Nhóm lạ", [stranger])
        supergroup = world.group("Siêu nhóm lạ", [stranger], supergroup=True)
        channel = world.channel("Kênh lạ")
        await h.text(stranger, unbound, "/help")
        await h.text(stranger, supergroup, "/help")
        yield Scene(
            h, admin, secretary, leader, member, stranger, bound, unbound, supergroup, channel,
            int(notices[-1]["message_id"]), db_url.startswith("postgresql"),
        )  # fmt: skip


# --- generators ---------------------------------------------------------------------------------

_WORDS = (
    "đã", "xong", "hoàn thành", "chưa", "đang", "thực hiện", "vướng", "gia hạn", "đến", "30/6", "31/2/2026",
    "tuần này", "quý II/2026", "năm 9999", "năm 0001", "1/1/0001 - 31/12/9999", "Sở Y tế", "Công an tỉnh",
    "so_yte", "all", "tất cả", "#1", "#", "%", "100%", "150%", "-5%", "|", "||", "@dondoc_test_bot", "@", "<b>",
    "</a>", "&", "&amp;", "<script>", "'", '"', "`", "\\", "/", "//", "...", "—", "•",
)  # fmt: skip
_NUMBERS = (
    "0", "-1", "+1", "1_0", "٣", "１", "²", "1e3", "0x1", "99999999999999999999", "2147483648", "9" * 40,
    "-9223372036854775809", "1.5", "NaN", "∞",
)  # fmt: skip
# Numbers that could name an existing row (int() reads " 2", "+1" or "٣"): only for people without rights.
_RISKY = ("+1", "1_0", "٣", "１", " 2")
_SAFE_NUMBERS = tuple(n for n in _NUMBERS if n not in _RISKY)
_ODD = (
    unicodedata.normalize("NFD", "Đã hoàn thành 100% nhiệm vụ Sở Y tế"),
    unicodedata.normalize("NFD", "Vướng mắc: thiếu kinh phí"),
    "đã\u200bxong", "\u200b", "\u200c\u200d", "\ufeff", "\u2060", "\u00ad", "\u202eđã xong\u202c", "\u200fchưa xong",
    "\u2067\u2069", "مرحبا بكم", "שלום", "👍", "👨‍👩‍👧‍👦", "🇻🇳", "✅ 100%", "🏳️‍🌈", "a" + "\u0301" * 60, "\x00\x01\x7f",
    "\t\r\n", "𝕏𝔂𝖟", "测试", "Ω≈ç√", "\u2028\u2029", "\ud7ff", "\U0010ffff", "\ue000",
)  # fmt: skip
_PREFIXES = ("dir", "sum", "r", "w", "k", "x", "nd", "zz", "", "DIR", "r ", "ｒ", "sum ", "nd ", "dir\u200b")
_FIELDS = (
    "", "0", "-1", "+1", " 2", "1_0", "٣", "１", "99999999999999999999", "2147483648", "9" * 40, "1e3", "d", "p",
    "b", "e", "f", "c", "a", "r", "x", "closed", "active", "archived", "deleted", "20261123", "20261399",
    "99991231", "00010101", "2026112", "202611230", "20261123" + "9" * 30, "save", "pick", "done", "cancel", "👍",
    "\u200b", "deadbeef",
)  # fmt: skip
_SAFE_FIELDS = tuple(f for f in _FIELDS if f not in _RISKY)
_BLOCKS = ((0x20, 0x250), (0x300, 0x370), (0x1E00, 0x1F00), (0x2000, 0x2070), (0x1F300, 0x1FAFF), (0x20, 0x10FFFF))


def _codepoints(rng: random.Random, n: int) -> str:
    out: list[str] = []
    while len(out) < n:
        cp = rng.randrange(*rng.choice(_BLOCKS))
        if not 0xD800 <= cp <= 0xDFFF:  # surrogates never arrive in JSON from Telegram
            out.append(chr(cp))
    return "".join(out)


def _word(rng: random.Random, numbers: tuple[str, ...]) -> str:
    pool = rng.randrange(4)
    if pool == 0:
        return rng.choice(_WORDS)
    if pool == 1:
        return rng.choice(numbers)
    if pool == 2:
        return rng.choice(_ODD)
    return _codepoints(rng, rng.randrange(1, 12))


def _args(rng: random.Random, numbers: tuple[str, ...] = _NUMBERS) -> str:
    shape = rng.randrange(6)
    if shape == 0:
        return ""
    if shape == 1:
        return _word(rng, numbers) * rng.choice((200, 1200))  # long arguments
    return " ".join(_word(rng, numbers) for _ in range(rng.randrange(1, 8)))


def _unknown_command(rng: random.Random) -> str:
    name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789_") for _ in range(rng.randrange(1, 33)))
    return rng.choice((name, name.upper(), name + "@dondoc_test_bot", "start@other_bot", "help@other_bot", "x" * 64))


def _odd_texts(rng: random.Random) -> list[tuple[str, str]]:
    """(label, text): huge, odd and empty-looking texts, then a few random ones."""
    fixed = [
        ("4097 chars", "Đã hoàn thành " + "x" * 4083),
        ("100 kB", ("Sở Y tế đã hoàn thành 100% nhiệm vụ. " * 2800)[:100_000]),
        ("100 kB one word", "ư" * 100_000),
        ("emoji 10k", "👨‍👩‍👧‍👦" * 1500),
        ("zero width only", "\u200b\u200c\u200d\u2060\ufeff"),
        ("spaces only", " \u00a0\u3000 "),
        ("RTL override", "\u202eđã xong 50%\u202c"),
        ("NFD", unicodedata.normalize("NFD", "Đã hoàn thành, vướng mắc về kinh phí, xin gia hạn đến 30/6")),
        ("html", "<b>đã</b> <a href='tg://x'>xong</a> & <i>"),
        ("ampersands", "&" * 300),
        ("slash only", "/"),
        ("slash space", "/ start"),
        ("combining pile", "đ" + "\u0301\u0323" * 500),
        ("extension to year 9999", "xin gia hạn đến 31/12/9999"),
    ]
    randoms = [(f"random {i}", " ".join(_word(rng, _NUMBERS) for _ in range(rng.randrange(1, 30)))) for i in range(6)]
    return fixed + randoms


def _garbage_data(rng: random.Random, fields: tuple[str, ...]) -> str:
    if rng.randrange(5) == 0:
        data = _codepoints(rng, rng.randrange(1, 64))
    else:
        data = "|".join([rng.choice(_PREFIXES)] + [rng.choice(fields) for _ in range(rng.randrange(0, 5))])
    # Telegram's limit: longer data never arrives.
    return data.encode()[:64].decode(errors="ignore") or "|"


def _zip(files: dict[str, bytes]) -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()


def _documents(rng: random.Random) -> list[tuple[str, bytes, str | None]]:
    """Files of the wrong type or broken; the last one is readable (inside /newdirective it ends collecting)."""
    noise = rng.randbytes(3000)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    tiny_pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
    return [
        ("virus.exe", b"MZ\x90\x00" + noise, "application/x-msdownload"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + noise, "image/png"),
        ("congvan.docx", b"day khong phai tep zip", docx),
        ("congvan.docx", b"PK\x03\x04" + noise, docx),
        ("congvan.DOCX", _zip({"word/document.xml": b"<not xml", "[Content_Types].xml": noise}), docx),
        ("congvan.pdf", b"%PDF-1.7\n" + noise, "application/pdf"),
        ("congvan.pdf", noise, "application/pdf"),
        ("congvan.pdf", tiny_pdf, None),
        ("rong.txt", b"", "text/plain"),
        ("khong_duoi", noise, None),
        ("to_qua.txt", b"a" * (_MAX_FILE + 1), "text/plain"),
        ("cong\u202excod.exe", noise, None),
        ("a" * 250 + ".docx", b"PK", docx),
        ("nhiphan.txt", noise, "text/plain"),
        ("utf16.txt", "Số 1-TB/TU\n1. Sở Y tế rà soát.".encode("utf-16"), None),
    ]


# --- running cases ------------------------------------------------------------------------------

_update_ids = itertools.count(900_000_001)


async def inject(h: Harness, kind: str, payload: JSONDict) -> list[Call]:
    """An update the world has no helper for (channel posts, forged replies, empty messages)."""
    start = len(h.world.calls)
    await h.app.process_update(Update.de_json({"update_id": next(_update_ids), kind: payload}, h.app.bot))
    return h.world.calls[start:]


def message_payload(s: Scene, user: FakeUser | None, chat: FakeChat, **fields: Any) -> JSONDict:
    """A message stored in the world (so the bot may reply to it) but not delivered."""
    msg: JSONDict = {"message_id": s.h.world._new_message_id(chat.id), "chat": chat.to_dict(), "date": 1_800_000_000}
    if user is not None:
        msg["from"] = user.to_dict()
    msg.update(fields)
    s.h.world.messages[(chat.id, msg["message_id"])] = msg
    return msg


class Crashes(logging.Handler):
    """Whatever is logged at ERROR (the error handler, the parser's safety net): any of it is a bug."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def crashes() -> Iterator[Crashes]:
    handler = Crashes()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)


class Writes:
    """The tables of every INSERT/UPDATE/DELETE the bot sends."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.tables: list[str] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if m := _WRITE.match(statement):
            self.tables.append(m.group(1).lower())

    def take(self) -> list[str]:
        out, self.tables = self.tables, []
        return out


Buttons = Literal["none", "answered", "explained"]


def check_answers(name: str, calls: list[Call], buttons: Buttons) -> None:
    """Every answer is clear Vietnamese (or absent); a pressed button stops its spinner, saying why if asked."""
    for call in calls:
        shown = " ".join(str(call.params.get(k, "")) for k in ("text", "caption"))
        assert not shown.startswith(texts.ERROR_GENERIC[:40]), f"{name}: a handler crashed"
        assert call.ok, (name, call.method, call.error)
        if call.method in ("sendMessage", "answerCallbackQuery", "editMessageText") and shown.strip():
            assert _VIETNAMESE.intersection(shown.lower()), (name, shown[:200])
    if buttons != "none":
        answers = [c for c in calls if c.method == "answerCallbackQuery"]
        assert answers, f"{name}: the button was never answered"
        assert buttons == "answered" or all(c.params.get("text") for c in answers), f"{name}: refused silently"


Case = tuple[str, Callable[[], Awaitable[list[Call]]]]


def thin(s: Scene, cases: list[Case]) -> list[Case]:
    """Independent cases: all of them on SQLite, every fifth on PostgreSQL (the same kinds, fewer)."""
    return cases[::5] if s.pg else cases


async def run_cases(
    s: Scene, crashes: Crashes, cases: list[Case], *, keep: tuple[str, ...] | None, buttons: Buttons = "none"
) -> None:
    """Run each case; check its answers, the logs, and that it wrote to none of the `keep` tables
    (None: to no table at all). The snapshot comparison at the end backs up the per-case check."""
    before = await snapshot(s.h)
    writes = Writes(s.h.app.bot_data.engine)
    for name, act in cases:
        calls = await act()
        assert not crashes.records, f"{name}: {crashes.records[0].getMessage()}"
        check_answers(name, calls, buttons)
        written = [t for t in writes.take() if keep is None or t in keep]
        assert not written, f"{name}: wrote to {written}"
    after = await snapshot(s.h)
    for table in keep or after:
        assert after[table] == before[table], f"{table} changed"


def typed(s: Scene, name: str, user: FakeUser, chat: FakeChat, text: str) -> Case:
    return name, lambda: s.h.text(user, chat, text)


def pressed(s: Scene, name: str, user: FakeUser, chat: FakeChat, message_id: int, data: str) -> Case:
    return name, lambda: s.h.press(user, chat, message_id, data)


def _commands() -> list[str]:
    return sorted({c.name for c in CATALOG} | {"newdirective", "start", "cancel"})


# --- commands -----------------------------------------------------------------------------------


async def test_random_commands_from_people_without_rights(scene: Scene, crashes: Crashes) -> None:
    s, rng = scene, random.Random(SEED)
    places = [s.private(s.stranger), s.unbound, s.supergroup]
    cases: list[Case] = []
    for name in _commands():
        for chat in places:
            for _ in range(2):
                text = f"/{name} {_args(rng)}".rstrip()
                cases.append(typed(s, f"{chat.type} {text[:80]!r}", s.stranger, chat, text))
    for i in range(30):
        text = f"/{_unknown_command(rng)} {_args(rng)}".rstrip()
        cases.append(typed(s, f"{places[i % 3].type} {text[:80]!r}", s.stranger, places[i % 3], text))
    await run_cases(s, crashes, thin(s, cases), keep=None)


async def test_random_commands_from_people_who_may_act_change_no_records(scene: Scene, crashes: Crashes) -> None:
    s, rng = scene, random.Random(SEED + 1)
    actors = [(s.admin, s.private(s.admin)), (s.secretary, s.private(s.secretary)), (s.member, s.bound)]
    cases: list[Case] = []
    for name in _commands():
        for i in range(4):
            user, chat = actors[i % len(actors)]
            text = f"/{name} {_args(rng, _SAFE_NUMBERS)}".rstrip()
            cases.append(typed(s, f"{user.first_name} {text[:80]!r}", user, chat, text))
        cases.append(typed(s, f"leader /{name} in the bound group", s.leader, s.bound, f"/{name}"))
    for i in range(20):
        user, chat = actors[i % len(actors)]
        text = f"/{_unknown_command(rng)} {_args(rng, _SAFE_NUMBERS)}".rstrip()
        cases.append(typed(s, f"{user.first_name} {text[:80]!r}", user, chat, text))
    await run_cases(s, crashes, thin(s, cases), keep=BUSINESS_TABLES)


async def test_curated_arguments_for_every_command(scene: Scene, crashes: Crashes) -> None:
    """Arguments known to hurt parsers: extreme years, ids no column holds, invisible characters, entities."""
    s, rng = scene, random.Random(SEED + 2)
    edge = (
        "năm 9999", "năm 0001", "1/1/0001 - 31/12/9999", "quý 4/9999", "tháng 12/9999", "tháng 1/1899",
        "31/12/9999", "#99999999999999999999", "99999999999999999999", "-1", "0", "#0", "٣", "²", "1_0",
        "#1 năm 9999", "99999999999999999999 tuần này", "all " + "x" * 3000, "\u200b", "|||", "Sở|Y|tế|x",
        unicodedata.normalize("NFD", "Ủy ban nhân dân"), "<b>x</b>", "&" * 60, "a" + "&" * 60, "<" * 60,
        "@" + "a" * 40, "1 " + "đã xong " * 600, "\u202e1\u202c", "#" + "1" * 9,
    )  # fmt: skip
    cases: list[Case] = []
    for name in _commands():
        for arg in rng.sample(edge, 12):
            for user in (s.admin, s.leader):
                cases.append(
                    typed(s, f"{user.first_name} /{name} {arg[:60]!r}", user, s.private(user), f"/{name} {arg}")
                )
    await run_cases(s, crashes, thin(s, cases), keep=BUSINESS_TABLES)


# --- texts, media, files ------------------------------------------------------------------------


async def _edit_own(s: Scene, user: FakeUser, chat: FakeChat, text: str) -> list[Call]:
    """`user` edits a message of theirs the bot never saw, to `text`."""
    s.h.world.send_text(user, chat, "ghi chú")
    [raw] = s.h.world.take_pending()
    return await s.h.edit(user, chat, int(raw["message"]["message_id"]), text)


async def test_odd_texts_stickers_and_empty_messages(scene: Scene, crashes: Crashes) -> None:
    s, rng = scene, random.Random(SEED + 3)
    senders = [
        (s.stranger, s.private(s.stranger)),
        (s.stranger, s.unbound),
        (s.stranger, s.supergroup),
        (s.member, s.bound),
        (s.leader, s.private(s.leader)),
        (s.admin, s.private(s.admin)),
    ]
    odd = _odd_texts(rng)
    cases: list[Case] = []
    for user, chat in senders:
        where = f"{user.first_name}@{chat.type}"
        for label, text in odd:
            cases.append(typed(s, f"{where} {label}", user, chat, text))
        cases.append((f"{where} sticker", lambda u=user, c=chat: s.h.sticker(u, c)))
        cases.append((f"{where} no content", lambda u=user, c=chat: inject(s.h, "message", message_payload(s, u, c))))
        cases.append(
            (f"{where} empty text", lambda u=user, c=chat: inject(s.h, "message", message_payload(s, u, c, text="")))
        )
        for label, text in rng.sample(odd, 3):
            cases.append((f"{where} edited to {label}", lambda u=user, c=chat, t=text: _edit_own(s, u, c, t)))
    await run_cases(s, crashes, thin(s, cases), keep=None)


async def _answered(calls: Awaitable[list[Call]]) -> list[Call]:
    got = await calls
    assert any(c.method == "sendMessage" for c in got), "a file sent to /newdirective got no answer"
    return got


async def test_files_of_the_wrong_type(scene: Scene, crashes: Crashes) -> None:
    s, rng = scene, random.Random(SEED + 4)
    docs = _documents(rng)
    senders = [
        (s.stranger, s.private(s.stranger)),
        (s.stranger, s.unbound),
        (s.member, s.bound),
        (s.admin, s.private(s.admin)),
    ]
    cases: list[Case] = []
    for user, chat in senders:
        for fname, content, mime in docs:
            cases.append(
                (
                    f"{user.first_name}@{chat.type} {fname[:40]}",
                    lambda u=user, c=chat, n=fname, b=content, m=mime: s.h.document(u, c, b, n, m),
                )
            )
    await run_cases(s, crashes, thin(s, cases), keep=None)
    # The admin inside /newdirective, where files are read: each one is answered, nothing is saved.
    # Only the registration itself is written: it lives in the drafts table, to survive a restart.
    chat = s.private(s.admin)
    inside: list[Case] = [("admin /newdirective", lambda: s.h.text(s.admin, chat, "/newdirective"))]
    for fname, content, mime in docs:
        inside.append(
            (
                f"/newdirective {fname[:40]}",
                lambda n=fname, b=content, m=mime: _answered(s.h.document(s.admin, chat, b, n, m)),
            )
        )
    inside.append(("admin /cancel", lambda: s.h.text(s.admin, chat, "/cancel")))
    await run_cases(s, crashes, inside, keep=tuple(t for t in Base.metadata.tables if t != "drafts"))


# Every /newdirective button action but "save" (which would store) and "cancel"/"restart" (which end it).
_ND_ACTIONS = (
    "pk", "pkd", "pkk", "pkt", "pkx", "done", "plan", "plan_set", "edit", "pick", "skip", "view", "resume", "back",
    "zz",
)  # fmt: skip


async def test_garbage_inside_newdirective_saves_nothing(scene: Scene, crashes: Crashes) -> None:
    """Odd texts, edit lines and buttons carrying the draft's real nonce but garbage fields."""
    s, rng = scene, random.Random(SEED + 5)
    chat = s.private(s.admin)
    seed = (ROOT / "tests/fixtures/seeds/000_565450128aa98be5.txt").read_text(encoding="utf-8")
    await s.h.text(s.admin, chat, "/newdirective")
    await s.h.text(s.admin, chat, seed)
    await s.h.press_button(s.admin, chat, s.last_bot_id(chat), texts.ND_BTN_DONE)
    preview = [d for _, d in Harness.buttons(s.h.last_message(chat)) if str(d).startswith("nd|")]
    assert preview, "no preview"
    nonce = str(preview[0]).split("|")[1]
    edits = [
        "hạn 1 31/12/9999", "hạn 1 ngày 0", "hạn 99 30/6", "hạn: năm 0001", "hạn 1.1.1.1.1 mai", "xoá 0", "xoá 99",
        "chủ trì 1:", "chủ trì 1: \u200b", "phối hợp 2: " + "x" * 3000, "theo dõi: ;;;", "thêm chủ trì 1: ٣",
        "hạn " + "9" * 40 + " 30/6", "chủ trì 1: Sở Y tế, " + "&" * 50,
    ]  # fmt: skip
    cases: list[Case] = []
    for i, (label, text) in enumerate(_odd_texts(rng) + [(e[:30], e) for e in edits]):
        cases.append(typed(s, f"preview text {label}", s.admin, chat, text))
        fields = [rng.choice(_SAFE_FIELDS) for _ in range(rng.randrange(0, 4))]
        data = "|".join(["nd", nonce, rng.choice(_ND_ACTIONS), *fields]).encode()[:64].decode(errors="ignore")
        cases.append((f"preview button {data!r}", lambda d=data: s.h.press(s.admin, chat, s.last_bot_id(chat), d)))
        if i == 8:  # half-way: the manual path too, with its own odd header and duties
            cases.append(("manual", lambda: s.h.press(s.admin, chat, s.last_bot_id(chat), f"nd|{nonce}|manual")))
    cases.append(("cancel", lambda: s.h.text(s.admin, chat, "/cancel")))
    await run_cases(s, crashes, thin(s, cases), keep=BUSINESS_TABLES)


# --- buttons ------------------------------------------------------------------------------------


async def test_random_button_data_from_people_without_rights(scene: Scene, crashes: Crashes) -> None:
    s, rng = scene, random.Random(SEED + 6)
    where = [
        (s.stranger, s.private(s.stranger), s.last_bot_id(s.private(s.stranger))),
        (s.stranger, s.unbound, s.last_bot_id(s.unbound)),
        (s.stranger, s.bound, s.notice_id),  # pressed in a group he has no business in
        (s.leader, s.private(s.leader), s.last_bot_id(s.private(s.leader))),
    ]
    cases: list[Case] = []
    for i in range(150):
        user, chat, mid = where[i % len(where)]
        data = _garbage_data(rng, _FIELDS)
        cases.append(pressed(s, f"{user.first_name}@{chat.type} {data!r}", user, chat, mid, data))
    await run_cases(s, crashes, thin(s, cases), keep=None, buttons="explained")


async def test_random_button_data_from_people_who_may_act(scene: Scene, crashes: Crashes) -> None:
    s, rng = scene, random.Random(SEED + 7)
    where = [
        (s.member, s.bound, s.notice_id),
        (s.admin, s.private(s.admin), s.last_bot_id(s.private(s.admin))),
        (s.secretary, s.private(s.secretary), s.last_bot_id(s.private(s.secretary))),
    ]
    cases: list[Case] = []
    for i in range(120):
        user, chat, mid = where[i % len(where)]
        data = _garbage_data(rng, _SAFE_FIELDS)
        cases.append(pressed(s, f"{user.first_name}@{chat.type} {data!r}", user, chat, mid, data))
    # Real-looking data under a message the bot never sent.
    for data in ("dir|1|closed", "r|1|d", "w|1|x", "k|1|c", "x|1|a", "sum|20261123|20261129", "nd|x|save", "zz"):
        forged = message_payload(s, s.h.world.bot, s.private(s.stranger), text="📌 giả mạo")
        query = {
            "id": f"forged {data}",
            "from": s.stranger.to_dict(),
            "chat_instance": "2",
            "data": data,
            "message": forged,
        }
        s.h.world.callback_queries[query["id"]] = query  # so the fake API accepts its answer
        cases.append((f"under a forged message {data}", lambda q=query: inject(s.h, "callback_query", q)))
    await run_cases(s, crashes, thin(s, cases), keep=BUSINESS_TABLES, buttons="explained")


# --- chats and replies --------------------------------------------------------------------------


async def test_updates_from_unknown_chats(scene: Scene, crashes: Crashes) -> None:
    s, rng = scene, random.Random(SEED + 8)
    channel = s.channel
    cases: list[Case] = []
    texts_ = ["/start", "/help", "/report 1 đã xong", "/mytasks", "/unbind", "/summary", "đã hoàn thành"]
    for text in texts_ + [_word(rng, _NUMBERS) for _ in range(6)]:
        post = message_payload(s, None, channel, text=text, sender_chat=channel.to_dict())
        cases.append((f"channel post {text!r}", lambda p=post: inject(s.h, "channel_post", p)))
        cases.append(
            (f"edited channel post {text!r}", lambda p=post: inject(s.h, "edited_channel_post", {**p, "edit_date": 1}))
        )
        for chat in (s.unbound, s.bound):
            anon = message_payload(s, _ANONYMOUS_ADMIN, chat, text=text, sender_chat=chat.to_dict())
            cases.append((f"anonymous admin in {chat.title} {text!r}", lambda p=anon: inject(s.h, "message", p)))
    cases = thin(s, cases)
    # The bot added to and removed from chats nobody bound, with and without a start parameter.
    fresh = s.h.world.group("Nhóm mới", [s.stranger])
    added = s.h.world.group("Nhóm thêm bot", [s.stranger], bot_member=False)
    cases.append(
        ("bot added to a channel", lambda: s.h.add_bot(s.h.world.channel("Kênh mới", bot_admin=False), s.stranger))
    )
    cases.append(("bot added to a group, bad token", lambda: s.h.add_bot(added, s.stranger, start_param="\u200b" * 3)))
    cases.append(("bot removed from an unbound group", lambda: s.h.remove_bot(s.unbound, s.stranger)))
    cases.append(("bot banned from a supergroup", lambda: s.h.remove_bot(s.supergroup, s.stranger, ban=True)))
    for token in ("x" * 64, "x" * 300, "../../etc", "\u202eabc", "A" * 32, "%00", "0", "&amp;"):
        cases.append(
            typed(s, f"/start {token[:40]!r} in a fresh group", s.stranger, fresh, f"/start@dondoc_test_bot {token}")
        )
    await run_cases(s, crashes, cases, keep=None)


async def test_replies_to_unknown_messages(scene: Scene, crashes: Crashes) -> None:
    s, rng = scene, random.Random(SEED + 9)
    help_id = s.last_bot_id(s.unbound)
    mine = s.private(s.stranger)
    cases: list[Case] = []
    for i, (label, text) in enumerate(_odd_texts(rng)):
        ghost = {"message_id": 987_654 + i, "from": s.h.world.bot.to_dict(), "chat": s.bound.to_dict(), "date": 1,
                 "text": "📌 77-TB/TU"}  # fmt: skip
        reply = message_payload(s, s.member, s.bound, text=text, reply_to_message=ghost)
        cases.append(
            (f"member replies to a message that never was: {label}", lambda p=reply: inject(s.h, "message", p))
        )
        to_person = message_payload(s, s.stranger, s.bound, text="?")
        reply = message_payload(s, s.member, s.bound, text=text, reply_to_message=to_person)
        cases.append((f"member replies to a person: {label}", lambda p=reply: inject(s.h, "message", p)))
        to_bot = message_payload(s, _OTHER_BOT, s.bound, text="x")
        reply = message_payload(s, s.member, s.bound, text=text, reply_to_message=to_bot)
        cases.append((f"member replies to another bot: {label}", lambda p=reply: inject(s.h, "message", p)))
        cases.append(
            (
                f"stranger replies to the help: {label}",
                lambda t=text: s.h.text(s.stranger, s.unbound, t, reply_to=help_id),
            )
        )
        cases.append(
            (
                f"stranger replies in private: {label}",
                lambda t=text: s.h.text(s.stranger, mine, t, reply_to=s.last_bot_id(mine)),
            )
        )
    await run_cases(s, crashes, thin(s, cases), keep=None)


async def test_odd_reports_on_a_real_duty_touch_no_directive_or_unit(scene: Scene, crashes: Crashes) -> None:
    """The member may report: odd replies and /report are stored as reports at most, and always answered."""
    s, rng = scene, random.Random(SEED + 10)
    async with s.h.app.bot_data.sessions() as db:
        query = select(Assignment.id).join(Unit, Unit.id == Assignment.unit_id).where(Unit.code == "so_yte")
        aid = await db.scalar(query.limit(1))
    cases: list[Case] = []
    for label, text in _odd_texts(rng):
        cases.append((f"reply {label}", lambda t=text: s.h.text(s.member, s.bound, t, reply_to=s.notice_id)))
        cases.append(typed(s, f"/report {label}", s.member, s.bound, f"/report {aid} {text}"))
    sticker = {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1, "is_animated": False,
               "is_video": False}  # fmt: skip
    notice = s.h.world.messages[(s.bound.id, s.notice_id)]
    reply = message_payload(s, s.member, s.bound, sticker=sticker, reply_to_message=notice)
    cases.append(("sticker reply", lambda: inject(s.h, "message", reply)))
    # unit_chats is not kept: a report stamps the group's last activity.
    await run_cases(s, crashes, thin(s, cases), keep=("units", "directives", "duties", "people", "invites"))


# --- the checks themselves, and the bugs they found (fixed in bot/handlers/summary.py) -----------


async def test_the_checks_see_a_write_and_a_crash(scene: Scene, crashes: Crashes) -> None:
    s = scene
    invite: list[Case] = [("invite", lambda: s.h.text(s.admin, s.private(s.admin), "/invite Sở Y tế"))]
    with pytest.raises(AssertionError, match="wrote to"):
        await run_cases(s, crashes, invite, keep=BUSINESS_TABLES)
    logging.getLogger("dondoc.errors").error("handler_error (planted)")
    with pytest.raises(AssertionError, match="planted"):
        await run_cases(s, crashes, [("help", lambda: s.h.text(s.stranger, s.private(s.stranger), "/help"))], keep=None)


async def test_what_this_suite_found_in_summary_stays_fixed(scene: Scene, crashes: Crashes) -> None:
    """A forged period button overflowing date(), an echo cut inside "&amp;", an echo past 4096 characters."""
    s = scene
    chat = s.private(s.admin)
    calls = await s.h.press(s.admin, chat, s.last_bot_id(chat), "sum|20261123|2026112999999999999999999999")
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params.get("text") == texts.BUTTON_STALE
    for text in ("/summary a" + "&" * 40, "/stats " + "Sở " * 2000, "/summary năm 9999"):
        calls = await s.h.text(s.admin, chat, text)
        assert [c.ok for c in calls] == [True], text
    assert not crashes.records, crashes.records[0].getMessage()
