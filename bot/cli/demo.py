"""`dondoc demo`: a scripted conversation against the in-process fake Telegram, printed as a transcript.

It needs no token and no network: a temporary SQLite database, the unit directory from config.yaml
(or, with no config.yaml at hand, the copy shipped in bot/data), and the real Application. Each feature
adds its scene here, so a newcomer sees the product work.
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TextIO

import yaml
from pydantic import TypeAdapter

from bot import texts
from bot.cli import demo_baocao
from bot.clock import FakeClock
from bot.config import Config, ConfigError, SummarySettings, UnitConfig, load_config
from bot.texts import files as texts_files
from fakeapi import FakeChat, FakeTelegram, FakeUser
from fakeapi.harness import Harness

# Monday 23 November 2026, 09:00 in Hanoi.
DEMO_START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
_MAX_USER_CHARS = 160


def packaged_units() -> list[UnitConfig]:
    """The default unit directory shipped with the package (a copy of config.yaml's `units:`)."""
    raw = yaml.safe_load(resources.files("bot").joinpath("data/demo_units.yaml").read_text(encoding="utf-8"))
    return TypeAdapter(list[UnitConfig]).validate_python(raw["units"])


def _demo_config(db_path: Path, admin_id: int, config_path: str | None, channel_id: int) -> Config:
    try:
        units = load_config(config_path).units
    except ConfigError:
        units = []
    # Outside the repository there is no config.yaml; an empty directory would make the parser flag every unit.
    units = units or packaged_units()
    return Config(
        database_url=f"sqlite+aiosqlite:///{db_path}",
        admins=[admin_id],
        config_dir=db_path.parent,
        units=units,
        summary=SummarySettings(channel_id=channel_id),
    )


def _code_of(world: FakeTelegram, chat: FakeChat, message_id: int, duty: str) -> str:
    """The code ("[12]") a listed reminder shows for one duty."""
    text = str(world.messages[(chat.id, message_id)].get("text", ""))
    found = re.search(r"^\[(\d+)\][^\n]*" + re.escape(duty), text, re.MULTILINE)
    return found.group(1) if found else "1"


def _keyboard_id(world: FakeTelegram, chat: FakeChat) -> int:
    return int([m for m in world.bot_messages(chat) if "reply_markup" in m][-1]["message_id"])


def _save_attachments(world: FakeTelegram, channel: FakeChat) -> str | None:
    """Write the posted chart and workbook to a folder the reader can open."""
    posts = [m for (cid, _), m in sorted(world.messages.items()) if cid == channel.id]
    found = [m for m in posts if "photo" in m or "document" in m]
    if not found:
        return None
    folder = Path(tempfile.mkdtemp(prefix="dondoc-demo-summary-"))
    for m in found:
        if "photo" in m:
            (folder / "bieu-do.png").write_bytes(world.files[m["photo"][-1]["file_id"]].content)
        else:
            doc = m["document"]
            (folder / str(doc["file_name"])).write_bytes(world.files[doc["file_id"]].content)
    return str(folder)


def _last_id(world: FakeTelegram, chat: FakeChat) -> int:
    return int(world.bot_messages(chat)[-1]["message_id"])


def _bound_chats(world: FakeTelegram, contacts: tuple[FakeUser, ...]) -> list[int]:
    """Each contact's unit group (the one group they are in)."""
    return [next(c.id for c in world.chats.values() if c.type != "private" and u.id in c.members) for u in contacts]


def _scene(out: TextIO, world: FakeTelegram, title: str) -> None:
    for line in world.transcript:
        text = str(line)
        if line.actor != "dondoc" and len(line.text) > _MAX_USER_CHARS:
            # A pasted directive is long; show its start so the bot's answers stay readable.
            shown = line.text.strip()[:_MAX_USER_CHARS].rstrip()
            text = f"[{line.chat}] {line.actor}: {shown}… ({len(line.text)} ký tự)"
        out.write(text + "\n")
    world.transcript.clear()
    out.write(f"\n===== {title} =====\n")


async def _tap(h: Harness, user: FakeUser, chat: FakeChat, mark: str) -> int:
    """Press the first button showing `mark` under the chat's latest keyboard; returns that message's id."""
    message_id = _keyboard_id(h.world, chat)
    for label, data in Harness.buttons(h.world.messages[(chat.id, message_id)]):
        if mark in label and isinstance(data, str):
            await h.press(user, chat, message_id, data)
            break
    return message_id


async def _bind(h: Harness, admin: FakeUser, unit: str, group: FakeChat, contact: FakeUser) -> None:
    """The real flow: /invite in private, then the contact adds the bot through the link."""
    private = h.world.private(admin)
    await h.text(admin, private, f"/invite {unit}")
    match = re.search(r"startgroup=([A-Za-z0-9_-]+)", h.last_text(private))
    if match is not None:
        await h.add_bot(group, contact, start_param=match.group(1))


async def run_demo(out: TextIO, *, config_path: str | None = None) -> int:
    seed = resources.files("bot").joinpath("data/1046-CV-TU.txt").read_text(encoding="utf-8")
    clock = FakeClock(DEMO_START)
    world = FakeTelegram(clock=clock.now)
    lan: FakeUser = world.user("Lan", "Nguyễn Thị", username="lan_vptu")
    tuyen = world.user("Tuyên", "Trần Văn")
    minh, hai = world.user("Minh", "Lê Văn"), world.user("Hải", "Phạm Thanh")
    private = world.private(lan)  # Lan has opened the bot before, so her command menu is published
    channel = world.channel("Tỉnh ủy — Tổng hợp tuần")
    with tempfile.TemporaryDirectory(prefix="dondoc-demo-") as tmp:
        config = _demo_config(Path(tmp) / "demo.sqlite3", lan.id, config_path, channel.id)
        async with Harness.running(config, world, clock=clock) as h:
            out.write(texts.DEMO_INTRO)

            _scene(out, world, texts.DEMO_SCENE_START)
            await h.text(lan, private, "/start")
            await h.text(lan, private, "/help")

            _scene(out, world, texts.DEMO_SCENE_GROUPS)
            group = world.group("Ban Tuyên giáo Tỉnh ủy — đầu mối", [tuyen], bot_member=False)
            await _bind(h, lan, "btg_tu", group, tuyen)
            await _bind(h, lan, "so_tttt", world.group("Sở TT&TT — tổ công tác", [minh], bot_member=False), minh)
            await _bind(h, lan, "cong_an", world.group("Công an tỉnh — PA03", [hai], bot_member=False), hai)
            await h.text(tuyen, world.private(tuyen), "/whoami")  # he sends his id to the admin
            await h.text(lan, private, f"/grant {tuyen.id} dau_moi btg_tu")
            await h.text(tuyen, group, "/unbind")  # a unit contact may not unbind: the refusal names the role

            _scene(out, world, texts.DEMO_SCENE_NEWDIRECTIVE)
            await h.text(lan, private, "/newdirective")
            cut = seed.find("\n3.")
            cut = cut if cut > 0 else len(seed) // 2
            await h.text(lan, private, seed[:cut])
            await h.text(lan, private, seed[cut:])
            await h.press_button(lan, private, _keyboard_id(world, private), texts.ND_BTN_DONE)

            _scene(out, world, texts.DEMO_SCENE_EDIT)
            await h.text(lan, private, "hạn 31/12/2026")
            await h.text(lan, private, "hạn 3 thường xuyên")
            await h.text(lan, private, "hạn 4 thường xuyên")  # an ongoing duty: reported on, never "due"
            await h.press_button(lan, private, _keyboard_id(world, private), texts.ND_BTN_SAVE)

            _scene(out, world, texts.DEMO_SCENE_REMINDER)
            await h.tick()  # plans each assignment's first reminder slot
            clock.set(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))  # next Monday, 08:00 in Hanoi
            await h.tick()

            _scene(out, world, texts.DEMO_SCENE_ANSWERS)
            btg, tttt, ca = (world.chats[c] for c in _bound_chats(world, (tuyen, minh, hai)))
            await _tap(h, tuyen, btg, "✅")  # one tap: done
            reminder = _keyboard_id(world, tttt)
            code = _code_of(world, tttt, reminder, "nhiệm vụ 4 ")  # a duty's code, as the list shows it
            await h.text(minh, tttt, f"[{code}] đang thực hiện, đạt 60%", reply_to=reminder)  # a short reply
            await _tap(h, hai, ca, "⚠️")  # a difficulty, then its reason
            await h.text(hai, ca, "Chưa có kinh phí in tài liệu, đã đề xuất Sở Tài chính", reply_to=_last_id(world, ca))

            _scene(out, world, texts.DEMO_SCENE_CONFIRM)
            clock.advance(timedelta(minutes=3))
            await h.tick()  # the difficulty and the done report reach Lan
            confirm = [m for m in world.bot_messages(private) if "báo hoàn thành" in str(m.get("text", ""))]
            if confirm:
                await h.press_button(lan, private, int(confirm[-1]["message_id"]), texts.BTN_CONFIRM)
            await h.tick()  # the unit hears of the decision

            _scene(out, world, texts.DEMO_SCENE_LIST)
            await h.text(lan, private, "/directives")
            await h.text(lan, private, "/directive 1")

            _scene(out, world, texts.DEMO_SCENE_SUMMARY)
            clock.set(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))  # Friday 04/12, 16:00 in Hanoi
            await h.tick()
            saved = _save_attachments(world, channel)
            _scene(out, world, texts_files.DEMO_SCENE_BAOCAO)
            drafted = await demo_baocao.scene(h, lan, hai, ca, saved)
            _scene(out, world, texts.DEMO_END)
            if saved:
                out.write(texts.DEMO_FILES.format(path=saved) + "\n")
            out.write(texts_files.DEMO_BAOCAO_SAVED.format(path=drafted) + "\n")
    return 0
