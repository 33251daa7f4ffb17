"""/newdirective on real government documents of tests/data/corpus, each with its province's directory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot import texts
from bot.clock import FakeClock
from bot.config import Config, UnitConfig
from bot.services.units_csv import read_units_file
from db.models import Assignment, Duty, Unit
from fakeapi import FakeChat, FakeTelegram, FakeUser
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "corpus"


def _units(csv_name: str) -> list[UnitConfig]:
    return [
        UnitConfig(
            code=r.code, name=r.name, kind=r.kind or "unit", aliases=list(r.aliases), members=list(r.members or ())
        )
        for r in read_units_file(str(CORPUS / "units" / csv_name))
    ]


def _config(db_url: str, tmp_path: Path, csv_name: str) -> Config:
    return Config(
        database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=_units(csv_name), max_file_bytes=200_000
    )


@pytest.fixture
async def haugiang(db_url: str, tmp_path: Path, world: FakeTelegram, clock: FakeClock) -> AsyncIterator[Harness]:
    async with Harness.running(_config(db_url, tmp_path, "haugiang-ubnd.csv"), world, clock=clock) as h:
        yield h


@pytest.fixture
async def angiang(db_url: str, tmp_path: Path, world: FakeTelegram, clock: FakeClock) -> AsyncIterator[Harness]:
    async with Harness.running(_config(db_url, tmp_path, "angiang-ubnd.csv"), world, clock=clock) as h:
        yield h


@pytest.fixture
async def bentre(db_url: str, tmp_path: Path, world: FakeTelegram, clock: FakeClock) -> AsyncIterator[Harness]:
    async with Harness.running(_config(db_url, tmp_path, "bentre-ubnd.csv"), world, clock=clock) as h:
        yield h


async def _register(h: Harness, doc: str) -> tuple[FakeUser, FakeChat, str]:
    user = h.world.user("Lan", "Nguyễn")
    assert user.id == ADMIN_ID
    chat = h.world.private(user)
    await h.text(user, chat, "/newdirective")
    await h.text(user, chat, (CORPUS / f"{doc}.txt").read_text(encoding="utf-8"))
    with_buttons = [m for m in h.world.bot_messages(chat) if "reply_markup" in m]
    await h.press_button(user, chat, int(with_buttons[-1]["message_id"]), texts.ND_BTN_DONE)
    preview = "\n".join(m["text"] for m in h.world.bot_messages(chat)[-3:])
    return user, chat, preview


async def _save(h: Harness, user: FakeUser, chat: FakeChat) -> None:
    previews = [m for m in h.world.bot_messages(chat) if texts.ND_BTN_SAVE in dict(h.buttons(m))]
    await h.press_button(user, chat, previews[-1]["message_id"], texts.ND_BTN_SAVE)


async def _assigned(h: Harness) -> dict[str, set[tuple[str, str]]]:
    async with h.app.bot_data.sessions() as s:
        rows = (
            await s.execute(select(Duty.label, Unit.code, Assignment.role).join(Assignment.duty).join(Assignment.unit))
        ).all()
    out: dict[str, set[tuple[str, str]]] = {}
    for label, code, role in rows:
        out.setdefault(label, set()).add((code, role.value))
    return out


def _gold(doc: str) -> dict[str, object]:
    return dict(yaml.safe_load((CORPUS / f"{doc}.gold.yaml").read_text(encoding="utf-8")))


async def test_a_government_cong_van_addressed_by_title(haugiang: Harness) -> None:
    # "Giao Giám đốc: Sở …, Sở …, Đài … phối hợp với các sở, ban, ngành, đoàn thể tỉnh và UBND huyện, thị xã,
    # thành phố": 3 leads by their director's title, 34 supports shown by count with a button for all.
    user, chat, preview = await _register(haugiang, "gov-haugiang-454-ubnd-ncth-2011")
    assert "454/UBND-NCTH" in preview
    assert "Chủ trì: Sở Văn hóa, Thể thao và Du lịch, Sở Thông tin và Truyền thông, Đài Phát thanh" in preview
    assert "Phối hợp (34 đơn vị):" in preview
    assert "⚠️ Giao cho 37 đơn vị" in preview  # more than 15: the secretary is warned
    assert "Tổng cộng: 1 nhiệm vụ, 37 lượt giao cho 37 đơn vị; 37 đơn vị chưa có nhóm Telegram" in preview
    await haugiang.press_button(user, chat, haugiang.last_message(chat)["message_id"], "👥 1: 37 đơn vị")
    listed = haugiang.last_text(chat)
    assert listed.startswith("Nhiệm vụ 1") and "Chủ trì (3):" in listed and "Phối hợp (34):" in listed
    assert "Sở Tư pháp" in listed
    await _save(haugiang, user, chat)
    assigned = await _assigned(haugiang)
    assert len(assigned["1"]) == 37 and sum(role == "lead" for _, role in assigned["1"]) == 3


async def test_an_unnumbered_cong_van_is_one_duty_with_its_supports(angiang: Harness) -> None:
    user, chat, preview = await _register(angiang, "gov-angiang-735-ubnd-kt-2006")
    assert "Nhiệm vụ (1)" in preview
    assert "Căn cứ Thông báo số 41" not in preview  # the recap is no duty
    await _save(angiang, user, chat)
    assigned = await _assigned(angiang)
    leads = {c for c, role in assigned["1"] if role == "lead"}
    supports = {c for c, role in assigned["1"] if role == "support"}
    assert leads == {"so_nnptnt"}
    assert "so_yte" in supports and len(supports) > 2  # Sở Y tế and every district UBND


async def test_a_thong_bao_numbered_with_dashes_and_units_out_of_the_directory(bentre: Harness) -> None:
    user, chat, preview = await _register(bentre, "gov-bentre-bao10-2008")
    assert "Nhiệm vụ (2)" in preview
    # "Sở Giao thông, Y tế, Bưu điện, Điện lực tỉnh": the enterprises are named as unknown, never dropped
    assert "Nơi nhận “Bưu điện” chưa có trong danh mục đơn vị." in preview
    assert "Nơi nhận “Điện lực tỉnh” chưa có trong danh mục đơn vị." in preview
    await _save(bentre, user, chat)
    assigned = await _assigned(bentre)
    gold = _gold("gov-bentre-bao10-2008")
    assert {c for c, _ in assigned["2"]} == {
        u.code for u in bentre.app.bot_data.config.units if u.kind == "ubnd_huyen"
    } and gold["duties"]
