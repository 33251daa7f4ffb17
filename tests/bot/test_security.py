"""The attacker table: forged, replayed and misplaced actions. Each one leaves the database unchanged
and gets a clear answer (or silence where answering would leak), never "error"."""

from __future__ import annotations

import copy
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot import texts
from bot.clock import FakeClock
from bot.config import Config
from db.models import Assignment, Unit
from fakeapi import FakeChat, FakeTelegram, FakeUser
from fakeapi.harness import Harness
from fakeapi.htmltext import parse_html
from fakeapi.models import Call
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.dbsnap import snapshot

ROOT = Path(__file__).resolve().parents[2]
SEED_001 = (ROOT / "tests/fixtures/seeds/001_f94df6a12811f7f6.txt").read_text(encoding="utf-8")


@dataclass
class Scene:
    h: Harness
    clock: FakeClock
    admin: FakeUser
    secretary: FakeUser
    leader: FakeUser
    member: FakeUser  # of the bound Ban Tuyên giáo group
    stranger: FakeUser
    bound: FakeChat
    unbound: FakeChat
    used_token: str
    expired_token: str
    foreign_token: str  # live, but for another unit (Công an tỉnh) than the bound group's
    found: dict[str, Any] = field(default_factory=dict)  # what a row's setup prepared for its attack

    def private(self, user: FakeUser) -> FakeChat:
        return self.h.world.private(user)


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    units = directory_units()
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=units, bind_hint_delay_s=60)


async def _invite(h: Harness, admin: FakeUser, unit: str) -> str:
    chat = h.world.private(admin)
    await h.text(admin, chat, f"/invite {unit}")
    match = re.search(r"startgroup=([A-Za-z0-9_-]+)", h.last_text(chat))
    assert match
    return match.group(1)


async def _register_seed(h: Harness, admin: FakeUser) -> None:
    chat = h.world.private(admin)
    await h.text(admin, chat, "/newdirective")
    await h.text(admin, chat, SEED_001)
    for label in (texts.ND_BTN_DONE, texts.ND_BTN_SAVE):
        with_buttons = [m for m in h.world.bot_messages(chat) if "reply_markup" in m]
        await h.press_button(admin, chat, int(with_buttons[-1]["message_id"]), label)
    assert "Đã lưu" in h.last_text(chat) or "#1" in h.last_text(chat)


@pytest.fixture
async def scene(config: Config, world: FakeTelegram, clock: FakeClock) -> AsyncIterator[Scene]:
    async with Harness.running(config, world, clock=clock) as h:
        admin = world.user("Quản trị")
        secretary, leader = world.user("Thư ký"), world.user("Lãnh đạo")
        member, stranger = world.user("Tuyên"), world.user("Người lạ")
        for u in (admin, secretary, leader, member, stranger):
            await h.text(u, world.private(u), "/start")
        await h.text(admin, world.private(admin), f"/grant {secretary.id} thu_ky")
        await h.text(admin, world.private(admin), f"/grant {leader.id} lanh_dao")
        bound = world.group("Ban Tuyên giáo", [member], bot_member=False)
        used = await _invite(h, admin, "btg_tu")
        await h.add_bot(bound, member, start_param=used)
        expired = await _invite(h, admin, "so_yte")
        unbound = world.group("Nhóm lạ", [stranger])
        await _register_seed(h, admin)
        await h.text(stranger, world.private(stranger), "/help")
        await h.text(stranger, unbound, "/help")
        clock.advance(timedelta(hours=config.invite_ttl_hours + 1))  # `expired` now expired
        foreign = await _invite(h, admin, "cong_an")  # made after the advance: still live
        yield Scene(h, clock, admin, secretary, leader, member, stranger, bound, unbound, used, expired, foreign)


def _last_id(s: Scene, chat: FakeChat) -> int:
    return int(s.h.world.bot_messages(chat)[-1]["message_id"])


async def press_last(s: Scene, user: FakeUser, chat: FakeChat, data: str) -> list[Call]:
    return await s.h.press(user, chat, _last_id(s, chat), data)


async def _assignment_id(s: Scene, *, btg: bool) -> int:
    """An assignment of the bound group's unit (Ban Tuyên giáo), or of some other unit."""
    async with s.h.app.bot_data.sessions() as db:
        query = select(Assignment.id).join(Unit, Unit.id == Assignment.unit_id).order_by(Assignment.id).limit(1)
        found = await db.scalar(query.where((Unit.code == "btg_tu") if btg else (Unit.code != "btg_tu")))
    assert found is not None
    return found


async def press_for(s: Scene, user: FakeUser, chat: FakeChat, template: str, *, btg: bool) -> list[Call]:
    return await press_last(s, user, chat, template.format(id=await _assignment_id(s, btg=btg)))


async def text_for(s: Scene, user: FakeUser, chat: FakeChat, template: str, *, btg: bool) -> list[Call]:
    return await s.h.text(user, chat, template.format(id=await _assignment_id(s, btg=btg)))


def _notice_id(s: Scene, chat: FakeChat) -> int:
    """The assignment notice in `chat`: the bot message that carries answer buttons."""
    for message in s.h.world.bot_messages(chat):
        if any(str(data).startswith("r|") for _, data in Harness.buttons(message)):
            return int(message["message_id"])
    raise AssertionError(f"no notice with answer buttons in {chat.title}")


async def tap_done(s: Scene) -> list[Call]:
    """The bound group's member taps ✅ under the real notice; the update is kept for a redelivery."""
    s.found["update"] = s.h.world.press_button(s.member, s.bound, _notice_id(s, s.bound), texts.BTN_DONE)
    return await s.h.deliver()


async def redeliver(s: Scene) -> list[Call]:
    """Telegram sends the very same update again (e.g. a webhook answer that timed out)."""
    s.h.world.pending.append(copy.deepcopy(s.found["update"]))
    return await s.h.deliver()


async def close_directive(s: Scene) -> list[Call]:
    return await press_last(s, s.admin, s.private(s.admin), "dir|1|closed")


async def confirm_done(s: Scene) -> list[Call]:
    """✅ in the group, then staff confirm it: the assignment takes no more reports."""
    calls = await tap_done(s)
    assignment_id = str(s.found["update"]["callback_query"]["data"]).split("|")[1]
    # The button's message does not matter: the server checks the role and the assignment's state.
    calls += await press_last(s, s.secretary, s.private(s.secretary), f"k|{assignment_id}|c")
    assert "xác nhận" in _shown(calls), _shown(calls)
    return calls


async def forward_notice(s: Scene) -> list[Call]:
    """Công an tỉnh's group gets a copy of Ban Tuyên giáo's notice, sent (as far as it shows) by the bot."""
    w = s.h.world
    police = w.user("Công an")
    group = w.group("Công an tỉnh", [police], bot_member=False)
    calls = await s.h.add_bot(group, police, start_param=s.foreign_token)
    original = w.messages[(s.bound.id, _notice_id(s, s.bound))]
    message_id = int(w.send_text(police, group, "chuyển tiếp")["message"]["message_id"])
    calls += await s.h.deliver()
    forged = w.messages[(group.id, message_id)]
    forged.update(copy.deepcopy({k: v for k, v in original.items() if k in ("text", "entities", "reply_markup")}))
    forged["from"] = w.bot.to_dict()
    forged["forward_origin"] = {"type": "user", "sender_user": w.bot.to_dict(), "date": original["date"]}
    s.found.update(user=police, chat=group, message_id=message_id)
    return calls


# Run before the snapshot: what an attack needs that legitimately changes the database.
SETUPS: dict[str, Callable[[Scene], Awaitable[list[Call]]]] = {
    "button pressed after the directive closed": close_directive,
    "button pressed after the duty was confirmed": confirm_done,
    "callback redelivered with the same callback id": tap_done,
    "second tap of ✅ with a new callback id": tap_done,
    "forwarded bot message answered in another chat": forward_notice,
    "button under a forwarded notice pressed in another chat": forward_notice,
}

Attack = Callable[[Scene], Awaitable[list[Call]]]
ATTACKS: dict[str, Attack] = {
    # Buttons: forged ids, wrong roles, wrong chats, garbage.
    "stranger forges a close button": lambda s: press_last(s, s.stranger, s.private(s.stranger), "dir|1|closed"),
    "leader forges an archive button": lambda s: press_last(s, s.leader, s.private(s.leader), "dir|1|archived"),
    "group member forges a close button in the group": lambda s: press_last(s, s.member, s.bound, "dir|1|closed"),
    "admin presses a close button for a directive that does not exist": lambda s: press_last(
        s, s.admin, s.private(s.admin), "dir|999|closed"
    ),
    "admin presses a button with an unknown status": lambda s: press_last(
        s, s.admin, s.private(s.admin), "dir|1|deleted"
    ),
    "malformed directive button": lambda s: press_last(s, s.admin, s.private(s.admin), "dir|x"),
    "forged draft nonce": lambda s: press_last(s, s.admin, s.private(s.admin), "nd|deadbeef|save"),
    "unknown button prefix": lambda s: press_last(s, s.member, s.bound, "zz|1|done"),
    "overlong button data": lambda s: press_last(s, s.member, s.bound, "dir|" + "9" * 58),
    # Invite tokens: replayed, expired, unknown, and a valid-looking one in a chat already bound.
    "replayed invite token": lambda s: s.h.add_bot(
        s.h.world.group("Nhóm 2", [s.stranger], bot_member=False), s.stranger, start_param=s.used_token
    ),
    "expired invite token": lambda s: s.h.add_bot(
        s.h.world.group("Nhóm 3", [s.stranger], bot_member=False), s.stranger, start_param=s.expired_token
    ),
    "unknown invite token": lambda s: s.h.add_bot(
        s.h.world.group("Nhóm 4", [s.stranger], bot_member=False), s.stranger, start_param="A" * 32
    ),
    "live foreign token typed by a member in a bound group": lambda s: s.h.text(
        s.member, s.bound, f"/start {s.foreign_token}"
    ),
    "live foreign token sent as a deep link into a bound group": lambda s: s.h.text(
        s.member, s.bound, f"/start@{s.h.world.bot.username} {s.foreign_token}"
    ),
    # Commands from the wrong people or the wrong places.
    "stranger runs /grant": lambda s: s.h.text(s.stranger, s.private(s.stranger), f"/grant {s.stranger.id} thu_ky"),
    "secretary runs /unit off": lambda s: s.h.text(s.secretary, s.private(s.secretary), "/unit off so_yte"),
    "leader runs /invite": lambda s: s.h.text(s.leader, s.private(s.leader), "/invite so_yte"),
    "leader runs /newdirective": lambda s: s.h.text(s.leader, s.private(s.leader), "/newdirective"),
    "member runs /unbind in the bound group": lambda s: s.h.text(s.member, s.bound, "/unbind"),
    "stranger runs /unbind in an unbound group": lambda s: s.h.text(s.stranger, s.unbound, "/unbind"),
    "stranger runs /directives in an unbound group": lambda s: s.h.text(s.stranger, s.unbound, "/directives"),
    "stranger runs /grant in an unbound group": lambda s: s.h.text(s.stranger, s.unbound, "/grant 1 thu_ky"),
    "secretary runs /revoke on the admin": lambda s: s.h.text(
        s.secretary, s.private(s.secretary), f"/revoke {ADMIN_ID}"
    ),
    # Status answers: another unit's duty, the wrong chat, forged decisions.
    "member answers another unit's duty with a forged button": lambda s: press_for(
        s, s.member, s.bound, "r|{id}|d", btg=False
    ),
    "stranger presses an answer button in an unbound group": lambda s: press_for(
        s, s.stranger, s.unbound, "r|{id}|d", btg=True
    ),
    "stranger forges an answer button in private": lambda s: press_for(
        s, s.stranger, s.private(s.stranger), "r|{id}|b", btg=True
    ),
    "answer button with an unknown action": lambda s: press_for(s, s.member, s.bound, "r|{id}|zz", btg=True),
    "answer button for an assignment that does not exist": lambda s: press_last(s, s.member, s.bound, "r|99999|d"),
    "malformed answer button": lambda s: press_last(s, s.member, s.bound, "r|x|d"),
    "unit member confirms its own duty": lambda s: press_for(s, s.member, s.bound, "k|{id}|c", btg=True),
    "leader approves an extension": lambda s: press_for(s, s.leader, s.private(s.leader), "x|{id}|a", btg=True),
    "stranger returns a result": lambda s: press_for(s, s.stranger, s.private(s.stranger), "k|{id}|r", btg=True),
    "secretary confirms a duty nobody reported done": lambda s: press_for(
        s, s.secretary, s.private(s.secretary), "k|{id}|c", btg=True
    ),
    "forged 'which duty' button on a message that quotes nothing": lambda s: press_for(
        s, s.member, s.bound, "w|{id}|x", btg=True
    ),
    "/report on another unit's duty": lambda s: text_for(s, s.member, s.bound, "/report {id} đã hoàn thành", btg=False),
    "/report in an unbound group": lambda s: text_for(s, s.stranger, s.unbound, "/report {id} xong", btg=True),
    "/report in private by someone with no unit": lambda s: text_for(
        s, s.stranger, s.private(s.stranger), "/report {id} xong", btg=True
    ),
    "/mytasks in an unbound group": lambda s: s.h.text(s.stranger, s.unbound, "/mytasks"),
    "/whoami in an unbound group": lambda s: s.h.text(
        s.h.world.user("Mới vào"), s.unbound, f"/whoami@{s.h.world.bot.username}"
    ),
    # Buttons that were real once: the duty closed, the same tap delivered twice, a copy in another group.
    "button pressed after the directive closed": tap_done,
    "button pressed after the duty was confirmed": tap_done,
    "callback redelivered with the same callback id": redeliver,
    "second tap of ✅ with a new callback id": tap_done,
    "forwarded bot message answered in another chat": lambda s: s.h.text(
        s.found["user"], s.found["chat"], "đã hoàn thành", reply_to=s.found["message_id"]
    ),
    "button under a forwarded notice pressed in another chat": lambda s: s.h.press_button(
        s.found["user"], s.found["chat"], s.found["message_id"], texts.BTN_DONE
    ),
    # Free text where it does not belong.
    "a reply to the bot's help in an unbound group": lambda s: s.h.text(
        s.stranger, s.unbound, "đã hoàn thành", reply_to=_last_id(s, s.unbound)
    ),
    "a reply to a bot message that is about no duty": lambda s: s.h.text(
        s.member, s.bound, "đã hoàn thành", reply_to=int(s.h.world.bot_messages(s.bound)[0]["message_id"])
    ),
}


# The answer some attacks must get (its start, as shown), beyond "nothing changed".
EXPECTED: dict[str, str] = {
    "live foreign token typed by a member in a bound group": texts.BIND_ERRORS["bound_elsewhere"],
    "live foreign token sent as a deep link into a bound group": texts.BIND_ERRORS["bound_elsewhere"],
    "/whoami in an unbound group": texts.WHOAMI_NO_UNIT,
    "button pressed after the directive closed": texts.REPORT_STALE["closed"],
    "button pressed after the duty was confirmed": texts.REPORT_STALE["confirmed"],
    "forwarded bot message answered in another chat": texts.REPORT_UNKNOWN_MESSAGE,
    "button under a forwarded notice pressed in another chat": texts.REPORT_WRONG_CHAT,
}
# Telegram refuses a second answer to a query it already saw; such a refusal is shown to no one.
ANSWERED_BEFORE = {"callback redelivered with the same callback id"}


def _answered_before(call: Call) -> bool:
    return call.method == "answerCallbackQuery" and call.error is not None and "too old" in call.error.description


def _shown(calls: list[Call]) -> str:
    """Everything the user saw: sent or edited texts as Telegram stored them, and button answers."""
    answers = [str(c.params.get("text", "")) for c in calls if c.method == "answerCallbackQuery"]
    return "\n".join(Harness.sent_texts(calls) + answers)


@pytest.mark.parametrize("name", list(ATTACKS))
async def test_attack_changes_nothing(scene: Scene, name: str) -> None:
    if name in SETUPS:
        await SETUPS[name](scene)
    before = await snapshot(scene.h)
    calls = await ATTACKS[name](scene)
    assert await snapshot(scene.h) == before, name
    if name in ANSWERED_BEFORE:
        calls = [c for c in calls if not _answered_before(c)]
        assert [c.method for c in calls if c.method in ("sendMessage", "sendDocument")] == [], name
    if name in EXPECTED:
        assert parse_html(EXPECTED[name])[0].strip()[:60] in _shown(calls), (name, _shown(calls))
    for call in calls:
        assert call.ok or call.method == "getFile", (name, call.method, call.error)
        shown = " ".join(str(call.params.get(k, "")) for k in ("text", "caption"))
        assert "lỗi" not in shown.lower(), (name, shown)
        if call.method == "answerCallbackQuery":
            assert call.params.get("text"), f"{name}: a refused button must say why"
