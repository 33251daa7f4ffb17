"""Units and leaders tell directives apart by a human reference, and a duty keeps its code in every message."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.config import Config
from bot.domain.draft import Draft, DraftDuty
from bot.services.directives import save_draft
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.flows import assignment, bind, notice_of, register

REF = "TB ngày 12/03/2026 (Ý kiến chỉ đạo phòng, chống dịch bệnh…)"


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Văn phòng")
    world.private(user)
    return user


async def _unnumbered(h: Harness) -> int:
    draft = Draft(source_text="TB ý kiến chỉ đạo", number=None, kind="thông báo", issued_on=date(2026, 3, 12),
                  title="Ý kiến chỉ đạo phòng, chống dịch bệnh trên địa bàn tỉnh")  # fmt: skip
    draft.duties.append(DraftDuty("1", None, "Rà soát cơ sở cách ly.", general=False, leads=["so_yte"],
                                  deadline=date(2027, 1, 15)))  # fmt: skip
    draft.duties.append(DraftDuty("2", None, "Theo dõi tình hình dịch.", general=False, leads=["so_yte"],
                                  deadline=None))  # fmt: skip
    async with h.app.bot_data.sessions() as s:
        saved = await save_draft(s, draft, actor=ADMIN_ID, now=h.app.bot_data.clock.now())
        await s.commit()
    return saved.directive_id


async def test_an_unnumbered_directive_is_named_by_its_reference_and_a_duty_keeps_its_code(
    harness: Harness, admin: FakeUser
) -> None:
    h = harness
    # Another unit's directive first, so that assignment ids and list positions differ.
    await register(h, [("Bảo đảm an ninh.", ["cong_an"], None), ("Tuần tra.", ["cong_an"], None)])
    group = await bind(h, "so_yte")
    contact = h.world.user("Đầu mối")
    directive_id = await _unnumbered(h)
    await h.tick()
    first, second = await assignment(h, "so_yte", 1), await assignment(h, "so_yte", 2)
    assert (first.id, second.id) == (3, 4)

    notice = str(notice_of(h, group)["text"])
    assert notice.startswith("📌 Sở Y tế: giao 2 nhiệm vụ mới")  # a new assignment, not the reminder's ⏰
    assert "⏰" not in notice and f"#{directive_id}" not in notice
    assert f"[{first.id}] 📌 Giao nhiệm vụ — {REF}, nhiệm vụ 1" in notice
    assert f"[{second.id}] 📌 Giao nhiệm vụ — {REF}, nhiệm vụ 2" in notice

    await h.text(contact, group, f"[{first.id}] đã hoàn thành", reply_to=notice_of(h, group)["message_id"])
    await h.text(admin, h.world.private(admin), f"/remind {directive_id}")
    reminder = h.last_text(group)  # only the second duty is still open: a one-duty reminder
    assert reminder.startswith(f"📣 Văn phòng nhắc — {REF}")
    assert f"[{second.id}] Nhiệm vụ 2." in reminder

    await h.text(contact, group, "/mytasks")
    mytasks = h.last_text(group)
    assert f"[{second.id}] {REF}, nhiệm vụ 2" in mytasks

    private = h.world.private(admin)
    await h.text(admin, private, f"/directive {directive_id}")
    detail = h.last_text(private)
    assert detail.startswith(f"#{directive_id} TB ngày 12/03/2026 — Ý kiến chỉ đạo")
    assert "  " not in detail.split("\n")[0]
    await h.text(admin, private, "/summary")
    summary = "\n".join(str(m.get("text", "")) for m in h.world.bot_messages(private))
    assert f"• {REF}: 0/2 nhiệm vụ hoàn thành" in summary


async def test_a_reply_naming_no_code_of_the_list_is_refused_not_read_as_a_position(harness: Harness) -> None:
    h = harness
    await register(h, [("Bảo đảm an ninh.", ["cong_an"], None), ("Tuần tra.", ["cong_an"], None)])
    group = await bind(h, "so_yte")
    contact = h.world.user("Đầu mối")
    await _unnumbered(h)
    await h.tick()
    await h.text(contact, group, "2 đang thực hiện 50%", reply_to=notice_of(h, group)["message_id"])
    assert "không có nhiệm vụ mã 2; các mã trong tin: 3, 4" in h.last_text(group)
    assert (await assignment(h, "so_yte", 2)).percent is None
