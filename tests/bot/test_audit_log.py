"""/audit reads as a Vietnamese log: who (name, role), when (local time), what (a verb), on which directive,
duty and unit, before → after in words; paged with buttons whose stale or forged pages get one clear answer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot import texts
from bot.config import Config
from bot.services.audit import PAGE_SIZE
from fakeapi import FakeChat, FakeTelegram, FakeUser
from fakeapi.harness import Harness
from fakeapi.htmltext import parse_html
from fakeapi.models import Call
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.flows import assignment, invite, notice_of, register


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Văn phòng")
    world.private(user)
    assert user.id == ADMIN_ID
    return user


def plain(html: str) -> str:
    return parse_html(html)[0]


def answers(calls: list[Call]) -> list[str]:
    return [str(c.params.get("text", "")) for c in calls if c.method == "answerCallbackQuery"]


async def office_day(h: Harness, admin: FakeUser) -> tuple[FakeChat, FakeUser, int]:
    """An invite, a bound group, a directive without a number, a done report confirmed, a role granted."""
    contact = h.world.user("Hùng", "Sở Y tế")
    group = h.world.group("Nhóm <b>Y tế</b>", [contact], bot_member=False)
    await h.add_bot(group, contact, start_param=await invite(h, admin, "so_yte"))
    await register(h, [("Rà soát cơ sở cách ly, báo cáo kết quả.", ["so_yte"], date(2027, 3, 31))], number="")
    await h.tick()
    a = await assignment(h, "so_yte")
    await h.press_button(contact, group, notice_of(h, group)["message_id"], texts.BTN_DONE)
    await h.tick()
    private = h.world.private(admin)
    await h.press_button(admin, private, h.last_message(private)["message_id"], texts.BTN_CONFIRM)
    minh = h.world.user("Minh", "Thư ký")
    await h.text(minh, h.world.private(minh), "/start")
    await h.text(admin, private, f"/grant {minh.id} thu_ky")
    return private, contact, a.id


async def test_audit_names_people_verbs_directive_duty_unit_and_changes_in_words(
    harness: Harness, admin: FakeUser
) -> None:
    h = harness
    private, contact, code = await office_day(h, admin)
    await h.text(admin, private, "/audit")
    shown = h.last_text(private)
    # No codes, no JSON, no None, no bare ids.
    for raw in ("assignment.", "role.grant", "binding.create", "{", "None", "reported_done", str(contact.id)):
        assert raw not in shown, raw
    ref = "CV (Về việc thử nghiệm)"
    assert shown.startswith("Nhật ký thay đổi — trang 1/")
    # Newest first; 02:00 UTC is 09:00 in Hanoi.
    assert "🕘 23/11/2026 09:00 · Lan Văn phòng (Quản trị viên)\nGiao vai trò — cho Minh Thư ký (" in shown
    assert "Vai trò: chưa được phân quyền → Chuyên viên Văn phòng (thư ký)" not in shown  # nothing is invented
    assert "Vai trò: không có → Chuyên viên Văn phòng (thư ký)" in shown
    assert (
        f"Lan Văn phòng (Quản trị viên)\nXác nhận hoàn thành — văn bản {ref} · nhiệm vụ 1 [{code}] · Sở Y tế\n"
        "   Trạng thái: báo hoàn thành → đã xác nhận hoàn thành"
    ) in shown
    assert (
        f"Hùng Sở Y tế ({texts.NO_ROLE})\nĐơn vị báo cáo, trạng thái đổi — văn bản {ref} · nhiệm vụ 1 [{code}]"
        " · Sở Y tế\n   Trạng thái: đã giao → báo hoàn thành"
    ) in shown
    assert (
        f"Đăng ký văn bản — văn bản {ref}\n   Trích yếu: Về việc thử nghiệm · Số nhiệm vụ: 1 · Số lượt giao: 1"
        f" · Lịch nhắc: {texts.ND_PLANS['weekly']}"
    ) in shown
    assert "Gắn nhóm Telegram với đơn vị — Sở Y tế · nhóm “Nhóm <b>Y tế</b>”" in shown  # escaped, not markup
    assert "Tạo liên kết mời nhóm — Sở Y tế" in shown

    # Scoped to the directive (by id) and to a unit typed loosely: only their rows.
    await h.text(admin, private, "/audit vb 1")
    by_directive = h.last_text(private)
    assert by_directive.startswith(f"Nhật ký thay đổi · văn bản {ref} — trang 1/1 (3 mục")
    assert "Giao vai trò" not in by_directive
    await h.text(admin, private, "/audit dv so y te")
    by_unit = h.last_text(private)
    assert by_unit.startswith("Nhật ký thay đổi · Sở Y tế — trang 1/1") and "Nạp đơn vị" in by_unit
    await h.text(admin, private, "/audit vb 99")
    assert h.last_text(private) == plain(texts.AUDIT_EMPTY)


async def test_audit_pages_with_buttons_that_stay_put_and_refuse_stale_or_forged_pages(
    harness: Harness, admin: FakeUser
) -> None:
    h = harness
    private = h.world.private(admin)
    await h.text(admin, private, "/audit")  # the seeded directory alone fills several pages
    first = h.last_message(private)
    pages = int(str(first["text"]).split("trang 1/")[1].split(" ")[0])
    assert pages == -(-len(directory_units()) // PAGE_SIZE) and pages > 2
    [(label, older)] = Harness.buttons(first)
    assert label == texts.AUDIT_BTN_OLDER and len(older.encode()) <= 64
    assert len(str(first["text"])) <= 4096 and str(first["text"]).count("🕘") == PAGE_SIZE

    # A change made meanwhile does not shift the pages already shown.
    await h.text(admin, private, "/unit rename so_yte | Sở Y tế tỉnh")
    calls = await h.press(admin, private, first["message_id"], older)
    assert answers(calls) == [""]
    page2 = h.world.messages[(private.id, first["message_id"])]
    assert str(page2["text"]).startswith(f"Nhật ký thay đổi — trang 2/{pages}")
    assert [label for label, _ in Harness.buttons(page2)] == [texts.AUDIT_BTN_NEWER, texts.AUDIT_BTN_OLDER]
    newer = Harness.buttons(page2)[0][1]
    await h.press(admin, private, first["message_id"], newer)
    back = h.world.messages[(private.id, first["message_id"])]
    assert back["text"] == first["text"] and "Đổi tên đơn vị" not in str(back["text"])
    await h.text(admin, private, "/audit")
    assert (
        "Đổi tên đơn vị — Sở Y tế tỉnh\n   Tên: Sở Y tế → Sở Y tế tỉnh · Tên gọi khác: thêm “Sở Y tế”"
        in h.last_text(private)
    )

    # Forged, garbled or out-of-range pages: one clear alert, the message untouched.
    anchor = older.split("|")[3]
    stale = plain(texts.AUDIT_PAGE_STALE)
    for data in ("au|a|0|" + anchor + f"|{pages}", "au|d|x|1|0", "au|a|0|1|-1", "au|u|0|1|0", "au|a|0|" + "9" * 70):
        calls = await h.press(admin, private, first["message_id"], data)
        assert answers(calls) == [stale], data
        assert not [c for c in calls if c.method == "editMessageText"]

    # Someone without the role gets the refusal, not the log.
    stranger = h.world.user("Khách")
    calls = await h.press(stranger, private, first["message_id"], older)
    assert not [c for c in calls if c.method == "editMessageText"]
