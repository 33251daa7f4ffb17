"""/newdirective end to end: paste or upload, preview, fix, save; and every way it can go wrong."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot import texts
from bot.clock import FakeClock
from bot.config import Config, load_config
from bot.domain.enums import DirectiveStatus, PingKind, PingStatus, Role
from bot.domain.parser import normalise_text
from bot.handlers.newdirective import send_timeouts
from db.models import Assignment, AuditLog, Directive, DirectiveDraft, Duty, Person, Ping, Unit, UnitChat
from fakeapi import FakeChat, FakeTelegram, FakeUser
from fakeapi.harness import Harness
from fakeapi.htmltext import parse_html
from tests.bot.conftest import ADMIN_ID
from tests.support.pdfs import matplotlib_pdf, raw_pdf

ROOT = Path(__file__).resolve().parents[2]
SEED_001 = (ROOT / "tests/fixtures/seeds/001_f94df6a12811f7f6.txt").read_text(encoding="utf-8")
DEFAULT_UNITS = load_config(ROOT / "config.yaml").units


def plain(template: str) -> str:
    """A texts.py template as Telegram displays it (entities parsed away)."""
    return parse_html(template)[0]


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(
        database_url=db_url,
        admins=[ADMIN_ID],
        config_dir=tmp_path,
        units=DEFAULT_UNITS,
        conversation_timeout_s=600,
        max_file_bytes=200_000,
    )


@pytest.fixture
async def harness(config: Config, world: FakeTelegram, clock: FakeClock) -> AsyncIterator[Harness]:
    async with Harness.running(config, world, clock=clock) as h:
        yield h


@pytest.fixture
def secretary(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Nguyễn")  # the first user is the configured admin
    assert user.id == ADMIN_ID
    return user


def kb(h: Harness, chat: FakeChat) -> int:
    """The id of the newest bot message in `chat` that carries buttons."""
    with_buttons = [m for m in h.world.bot_messages(chat) if "reply_markup" in m]
    return int(with_buttons[-1]["message_id"])


async def count(h: Harness, model: type[object]) -> int:
    async with h.app.bot_data.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


def recent(h: Harness, chat: FakeChat, n: int = 3) -> str:
    return "\n".join(m["text"] for m in h.world.bot_messages(chat)[-n:])


def last_buttons(h: Harness, chat: FakeChat) -> dict[str, str]:
    return {text: str(data) for text, data in h.buttons(h.last_message(chat))}


async def paste_and_preview(h: Harness, user: FakeUser, text: str) -> FakeChat:
    chat = h.world.private(user)
    await h.text(user, chat, "/newdirective")
    half = len(text) // 2
    cut = text.rfind("\n", 0, half)
    # Telegram splits long pastes: the bot collects the parts until "Xong".
    await h.text(user, chat, text[:cut])
    await h.text(user, chat, text[cut:])
    assert "2 phần" in h.last_text(chat)
    await h.press_button(user, chat, kb(h, chat), texts.ND_BTN_DONE)
    return chat


async def test_paste_preview_edit_and_save_seed_1046(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    chat = await paste_and_preview(h, secretary, SEED_001)
    preview = "\n".join(m["text"] for m in h.world.bot_messages(chat)[-2:])
    assert "1046-CV/TU" in preview
    assert "Tăng cường công tác phòng, chống dịch bệnh Covid-19 trong tình hình mới" in preview
    assert "Nhiệm vụ (5)" in preview
    assert "Chủ trì: Ban Tuyên giáo Tỉnh ủy, Sở Thông tin và Truyền thông, Công an tỉnh" in preview
    assert "Theo dõi, đôn đốc: Ban Tuyên giáo Tỉnh ủy" in preview
    # The lead units are bold.
    last = h.last_message(chat)
    assert any(e["type"] == "bold" for e in last.get("entities", []))

    await h.text(secretary, chat, "hạn 30/6/2027")
    await h.text(secretary, chat, "hạn 3 thường xuyên")
    await h.text(secretary, chat, "phối hợp 3: Sở Y tế, Sở Tai chinh")
    assert "Phối hợp: Sở Y tế, Sở Tài chính" in recent(h, chat)  # the preview may come in several parts
    await h.text(secretary, chat, "xoá 5")
    assert "Nhiệm vụ (4)" in recent(h, chat)
    await h.text(secretary, chat, "chủ trì 2: Sở Ngoại giao vũ trụ")
    assert "Không có đơn vị" in h.last_text(chat)
    await h.text(secretary, chat, "làm gì đó")
    assert h.last_text(chat) == plain(texts.EDIT_ERRORS["not_understood"])

    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_PLAN)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_PLANS["deadline"][:10])
    previews = [m for m in h.world.bot_messages(chat) if texts.ND_BTN_SAVE in dict(h.buttons(m))]
    await h.press_button(secretary, chat, previews[-1]["message_id"], texts.ND_BTN_SAVE)
    saved = h.last_text(chat)
    assert "Đã lưu văn bản #1" in saved and "chưa có nhóm Telegram" in saved

    async with h.app.bot_data.sessions() as s:
        directive = await s.scalar(select(Directive))
        assert directive is not None
        assert directive.number == "1046-CV/TU" and directive.issued_on == date(2020, 3, 10)
        assert directive.reminder_plan is not None and directive.reminder_plan["preset"] == "deadline"
        duties = list(await s.scalars(select(Duty).order_by(Duty.position)))
        assert [d.label for d in duties] == ["1", "2", "3", "4"]
        assert duties[0].deadline == date(2027, 6, 30) and duties[2].deadline is None
        assert duties[2].recurrence == "ongoing"
        rows = (
            await s.execute(
                select(Unit.code, Assignment.role).join(Assignment.unit).where(Assignment.duty_id == duties[2].id)
            )
        ).all()
        assert {(code, role.value) for code, role in rows} == {
            ("bcs_ubnd", "lead"),
            ("so_yte", "support"),
            ("so_taichinh", "support"),
        }
        assignments = await s.scalar(select(func.count()).select_from(Assignment))
        pings = list(await s.scalars(select(Ping)))
        assert len(pings) == assignments and all(p.kind == PingKind.NOTICE for p in pings)
        assert all(p.status == PingStatus.PENDING for p in pings)  # no group is bound yet
        audit = await s.scalar(select(AuditLog).where(AuditLog.action == "directive.create"))
        assert audit is not None and audit.actor_user_id == secretary.id


async def test_same_file_twice_is_detected_and_existing_offered(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    chat = await paste_and_preview(h, secretary, SEED_001)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
    await h.text(secretary, chat, "/newdirective")
    await h.document(secretary, chat, SEED_001.encode(), "1046.txt", "text/plain")
    assert "đã được đăng ký: #1" in h.last_text(chat)
    buttons = last_buttons(h, chat)
    await h.press_button(secretary, chat, kb(h, chat), "📄")
    assert "#1 1046-CV/TU" in h.last_text(chat)
    assert texts.ND_BTN_VIEW.format(id=1) in buttons
    assert await count(h, Directive) == 1


async def test_docx_upload_goes_to_preview(harness: Harness, secretary: FakeUser) -> None:
    from docx import Document

    doc = Document()
    for line in SEED_001.splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    chat = harness.world.private(secretary)
    await harness.text(secretary, chat, "/newdirective")
    await harness.document(
        secretary,
        chat,
        buf.getvalue(),
        "1046-CV-TU.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    assert "Nhiệm vụ (5)" in "\n".join(m["text"] for m in harness.world.bot_messages(chat)[-2:])


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"\xff\xd8\xff\xe0 jpeg", "scan.jpg", texts.EXTRACT_ERRORS["unsupported"]),
        # A grey rectangle and no text: what a scanned page looks like to the extractor.
        (raw_pdf(b"0.5 g 72 600 200 100 re f"), "scan.pdf", texts.EXTRACT_ERRORS["no_text"]),
        (b"%PDF-1.4\n%%EOF\n", "broken.pdf", texts.EXTRACT_ERRORS["corrupt"]),
        (b"x" * 300_000, "big.txt", None),
    ],
    # Explicit ids: a 300 kB id would land in PYTEST_CURRENT_TEST and break exec (E2BIG).
    ids=["jpeg", "scanned-pdf", "broken-pdf", "oversized"],
)
async def test_bad_files_get_a_clear_answer(
    harness: Harness, secretary: FakeUser, content: bytes, name: str, expected: str | None
) -> None:
    chat = harness.world.private(secretary)
    await harness.text(secretary, chat, "/newdirective")
    await harness.document(secretary, chat, content, name)
    answer = harness.last_text(chat)
    if expected is not None:
        assert answer == plain(expected)
    else:
        assert answer.startswith("Tệp quá lớn")
    # Still collecting: a good paste afterwards works.
    await harness.text(secretary, chat, SEED_001)
    assert "1 phần" in harness.last_text(chat)


async def test_no_numbered_duties_offers_manual_entry(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    chat = h.world.private(secretary)
    await h.text(secretary, chat, "/newdirective")
    await h.text(secretary, chat, "Kính gửi các đồng chí, đề nghị quan tâm thực hiện tốt công tác.")
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_DONE)
    assert h.last_text(chat) == plain(texts.ND_NO_DUTIES)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_MANUAL)
    await h.text(secretary, chat, "chỉ một dòng")
    assert h.last_text(chat) == plain(texts.ND_MANUAL_HEADER_BAD)
    await h.text(secretary, chat, "25-CT/TU\nVề tăng cường phòng cháy chữa cháy")
    await h.text(secretary, chat, "Công an tỉnh chủ trì, phối hợp với Sở Xây dựng kiểm tra an toàn phòng cháy.")
    assert "chủ trì Công an tỉnh" in h.last_text(chat)
    await h.text(secretary, chat, "Rà soát các cơ sở có nguy cơ cao.")
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_DONE)
    assert "Chưa có đơn vị thực hiện" in h.last_text(chat)
    await h.text(secretary, chat, "chủ trì 2: UBND tỉnh")
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
    assert "Đã lưu văn bản #1" in h.last_text(chat)
    async with h.app.bot_data.sessions() as s:
        directive = await s.scalar(select(Directive))
        assert directive is not None and directive.number == "25-CT/TU"
        assert await s.scalar(select(func.count()).select_from(Duty)) == 2


async def test_cancel_and_stale_buttons_save_nothing(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    chat = await paste_and_preview(h, secretary, SEED_001)
    preview_id = h.last_message(chat)["message_id"]
    await h.text(secretary, chat, "/cancel")
    assert h.last_text(chat) == plain(texts.ND_CANCELLED)
    calls = await h.press_button(secretary, chat, preview_id, texts.ND_BTN_SAVE)
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answers and answers[0].params["text"] == texts.ND_STALE_BUTTON
    assert await count(h, Directive) == 0
    await h.text(secretary, chat, "/cancel")
    assert h.last_text(chat) == plain(texts.ND_NOTHING_TO_CANCEL)


async def test_forged_nonce_is_refused(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    chat = await paste_and_preview(h, secretary, SEED_001)
    mid = h.last_message(chat)["message_id"]
    calls = await h.press(secretary, chat, mid, "nd|ffffff|save")
    assert any(c.params.get("text") == texts.ND_STALE_BUTTON for c in calls)
    assert await count(h, Directive) == 0


async def test_non_secretary_and_group_are_refused(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    stranger = h.world.user("Bình")
    await h.text(stranger, h.world.private(stranger), "/newdirective")
    refusal = h.last_text(h.world.private(stranger))
    assert refusal.startswith("Lệnh /newdirective dành cho") and texts.ROLE_NAMES["secretary"] in refusal
    group = h.world.group("Văn phòng", [secretary])
    await h.text(secretary, group, "/newdirective")
    assert h.last_text(group) == plain(texts.USE_PRIVATE.format(command="newdirective"))
    # A stranger's paste is not collected by anyone.
    assert await h.text(stranger, h.world.private(stranger), SEED_001) == []
    assert await count(h, Directive) == 0


async def test_secretary_role_from_database_may_register(harness: Harness) -> None:
    h = harness
    h.world.user("Admin")
    clerk = h.world.user("Hà")
    async with h.app.bot_data.sessions() as s:
        now = h.app.bot_data.clock.now()
        s.add(Person(telegram_user_id=clerk.id, full_name="Hà", role=Role.SECRETARY, created_at=now, updated_at=now))
        await s.commit()
    chat = await paste_and_preview(h, clerk, SEED_001)
    assert "Nhiệm vụ (5)" in "\n".join(m["text"] for m in h.world.bot_messages(chat)[-2:])


async def test_timeout_keeps_the_draft_for_resuming(harness: Harness, clock: FakeClock, secretary: FakeUser) -> None:
    # The limit (600 s here) runs on the bot's clock from the draft's last change, as stored.
    h = harness
    chat = await paste_and_preview(h, secretary, SEED_001)
    preview_id = kb(h, chat)
    clock.advance(timedelta(seconds=599))
    await h.text(secretary, chat, "hạn 30/6/2027")
    assert "Xem trước" in recent(h, chat)
    clock.advance(timedelta(seconds=600))
    # Timed out: the next message is told so and is no longer taken as an edit; buttons are stale.
    await h.text(secretary, chat, "hạn 31/12/2027")
    assert h.last_text(chat) == plain(texts.ND_TIMEOUT.format(minutes=10))
    calls = await h.press_button(secretary, chat, preview_id, texts.ND_BTN_SAVE)
    assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == [texts.ND_STALE_BUTTON]
    await h.text(secretary, chat, "hạn 1/1/2028")
    assert h.last_text(chat) == plain(texts.ND_TIMEOUT.format(minutes=10))  # said once only
    await h.text(secretary, chat, "/newdirective")
    assert "bản nháp chưa lưu" in h.last_text(chat)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_RESUME)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
    assert "Đã lưu văn bản #1" in h.last_text(chat)
    async with h.app.bot_data.sessions() as s:
        assert set(await s.scalars(select(Duty.deadline))) == {date(2027, 6, 30)}  # only the edit made in time
    assert await count(h, DirectiveDraft) == 0


async def test_the_tick_tells_of_a_timeout_once(harness: Harness, clock: FakeClock, secretary: FakeUser) -> None:
    h = harness
    chat = await paste_and_preview(h, secretary, SEED_001)
    services = h.app.bot_data
    assert await send_timeouts(h.app.bot, services) == 0
    clock.advance(timedelta(seconds=600))
    assert await send_timeouts(h.app.bot, services) == 1
    assert h.last_text(chat) == plain(texts.ND_TIMEOUT.format(minutes=10))
    clock.advance(timedelta(hours=1))
    assert await send_timeouts(h.app.bot, services) == 0
    assert await h.text(secretary, chat, "hạn 30/6/2027") == []  # no longer part of a registration
    await h.text(secretary, chat, "/newdirective")
    assert "bản nháp chưa lưu" in h.last_text(chat)
    seen = len(h.world.bot_messages(chat))
    await h.text(secretary, chat, "hạn 30/6/2027")  # resumed at its step: an edit again
    assert any(m["text"].startswith("Đã sửa") for m in h.world.bot_messages(chat)[seen:])


async def test_bound_unit_gets_its_notice_at_once(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    contact = h.world.user("Tuyên")
    group = h.world.group("Ban Tuyên giáo Tỉnh ủy", [contact])
    async with h.app.bot_data.sessions() as s:
        unit = await s.scalar(select(Unit).where(Unit.code == "btg_tu"))
        assert unit is not None
        now = h.app.bot_data.clock.now()
        s.add(UnitChat(unit_id=unit.id, chat_id=group.id, chat_title=group.title, bound_at=now))
        await s.commit()
    chat = await paste_and_preview(h, secretary, SEED_001)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
    notices = h.world.bot_messages(group)
    assert len(notices) == 1  # one duty (2) names Ban Tuyên giáo
    assert "Nhiệm vụ 2." in notices[0]["text"] and "chủ trì" in notices[0]["text"]
    assert "Ban Tuyên giáo Tỉnh ủy" not in h.last_text(chat).split("chưa có nhóm Telegram")[-1]
    async with h.app.bot_data.sessions() as s:
        sent = await s.scalar(select(func.count()).select_from(Ping).where(Ping.status == PingStatus.SENT))
        assert sent == 1


async def test_long_preview_is_split_and_keyboard_is_last(harness: Harness, secretary: FakeUser) -> None:
    duties = "\n".join(
        f"{i}. Sở Y tế chủ trì, phối hợp với Công an tỉnh thực hiện nội dung số {i}: " + "kiểm tra, rà soát " * 25
        for i in range(1, 41)
    )
    text = f"TỈNH ỦY KIÊN GIANG\nSố 99-CV/TU\nKính gửi: Sở Y tế\n{duties}\nNơi nhận:\n- Như trên"
    h = harness
    chat = h.world.private(secretary)
    await h.text(secretary, chat, "/newdirective")
    await h.document(secretary, chat, text.encode(), "dai.txt")
    messages = h.world.bot_messages(chat)
    first = next(i for i, m in enumerate(messages) if m["text"].startswith("Xem trước"))
    preview = messages[first:]
    assert len(preview) >= 3
    assert all(len(m["text"]) <= 4096 for m in preview)
    assert "reply_markup" in preview[-1] and all("reply_markup" not in m for m in preview[:-1])


async def test_list_detail_close_and_reopen(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    chat = await paste_and_preview(h, secretary, SEED_001)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
    await h.text(secretary, chat, "/directives")
    assert "#1 1046-CV/TU" in h.last_text(chat) and "0/5 nhiệm vụ xong" in h.last_text(chat)
    await h.text(secretary, chat, "/directive abc")
    assert h.last_text(chat) == plain(texts.DETAIL_USAGE)
    await h.text(secretary, chat, "/directive 99")
    assert "Không có văn bản #99" in h.last_text(chat)
    await h.text(secretary, chat, "/directive 1")
    assert "Chủ trì: Ban Tuyên giáo Tỉnh ủy — đã giao" in h.last_text(chat)
    await h.press_button(secretary, chat, kb(h, chat), texts.DETAIL_BTN_CLOSE)
    async with h.app.bot_data.sessions() as s:
        directive = await s.get(Directive, 1)
        assert directive is not None and directive.status == DirectiveStatus.CLOSED
        assert (
            await s.scalar(select(func.count()).select_from(Assignment).where(Assignment.next_run_at.is_not(None))) == 0
        )
    await h.text(secretary, chat, "/directives")
    assert h.last_text(chat) == plain(texts.LIST_EMPTY)
    await h.text(secretary, chat, "/directives all")
    assert "đã kết thúc" in h.last_text(chat)
    # A leader may read but not close.
    leader = h.world.user("Lãnh đạo")
    async with h.app.bot_data.sessions() as s:
        now = h.app.bot_data.clock.now()
        s.add(Person(telegram_user_id=leader.id, full_name="LĐ", role=Role.LEADER, created_at=now, updated_at=now))
        await s.commit()
    await h.text(leader, h.world.private(leader), "/directive 1")
    assert "reply_markup" not in h.last_message(h.world.private(leader))
    calls = await h.press(leader, chat, h.last_message(chat)["message_id"], "dir|1|active")
    assert any(c.method == "answerCallbackQuery" and c.params.get("show_alert") for c in calls)
    async with h.app.bot_data.sessions() as s:
        directive = await s.get(Directive, 1)
        assert directive is not None and directive.status == DirectiveStatus.CLOSED


async def test_failed_download_is_reported_and_retry_works(harness: Harness, secretary: FakeUser) -> None:
    from fakeapi import Fault

    h = harness
    chat = h.world.private(secretary)
    await h.text(secretary, chat, "/newdirective")
    h.world.inject("download", Fault.server_error(502))
    await h.document(secretary, chat, SEED_001.encode(), "1046.txt", "text/plain")
    assert h.last_text(chat) == plain(texts.EXTRACT_ERRORS["corrupt"])
    await h.document(secretary, chat, SEED_001.encode(), "1046.txt", "text/plain")
    assert "Nhiệm vụ (5)" in "\n".join(m["text"] for m in h.world.bot_messages(chat)[-2:])


async def test_units_can_be_picked_from_the_directory(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    chat = h.world.private(secretary)
    await h.text(secretary, chat, "/newdirective")
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_MANUAL)
    await h.text(secretary, chat, "30-TB/TU\nKết luận về chuyển đổi số")
    await h.text(secretary, chat, "Đẩy mạnh chuyển đổi số trong các cơ quan.")
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_DONE)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_PICK)
    await h.press_button(secretary, chat, kb(h, chat), "1")
    await h.press_button(secretary, chat, kb(h, chat), texts.UNIT_KIND_NAMES["so"])
    picker = kb(h, chat)
    await h.press_button(secretary, chat, picker, "Sở Thông tin và Truyền thông")
    await h.press_button(secretary, chat, picker, "Sở Y tế")
    await h.press_button(secretary, chat, picker, "👑 Sở Y tế")  # second tap: lead -> support
    labels = [text for text, _ in h.buttons(h.world.messages[(chat.id, picker)])]
    assert "👑 Sở Thông tin và Truyền thông" in labels and "🤝 Sở Y tế" in labels
    await h.press_button(secretary, chat, picker, texts.ND_BTN_PICK_DONE)
    preview = h.last_text(chat)
    assert "Chủ trì: Sở Thông tin và Truyền thông" in preview and "Phối hợp: Sở Y tế" in preview
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
    assert "Đã lưu văn bản #1" in h.last_text(chat)


async def test_pdf_with_a_text_layer_goes_to_preview(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    pdf = matplotlib_pdf(
        [
            "TỈNH ỦY KIÊN GIANG",
            "Số 77-CV/TU",
            "Kính gửi: Sở Y tế",
            "1. Sở Y tế chủ trì, phối hợp với Công an tỉnh kiểm tra an toàn thực phẩm.",
            "2. Sở Tài chính bố trí kinh phí thực hiện.",
        ]
    )
    chat = h.world.private(secretary)
    await h.text(secretary, chat, "/newdirective")
    await h.document(secretary, chat, pdf, "77-CV-TU.pdf", "application/pdf")
    preview = h.last_text(chat)
    assert "77-CV/TU" in preview and "Nhiệm vụ (2)" in preview
    assert "Chủ trì: Sở Y tế" in preview and "Phối hợp: Công an tỉnh" in preview
    assert "Chủ trì: Sở Tài chính" in preview


TWO_NAMES = "Số 40-CV/TU\n\n1. Sở Y tế, Sở Ngoai vu chỉ đạo các bệnh viện rà soát nhân lực.\n2. Rà soát các cơ sở."


async def _paste_once(h: Harness, user: FakeUser, text: str) -> FakeChat:
    chat = h.world.private(user)
    await h.text(user, chat, "/newdirective")
    await h.text(user, chat, text)
    await h.press_button(user, chat, kb(h, chat), texts.ND_BTN_DONE)
    return chat


async def test_a_suggestion_takes_the_role_of_its_clause(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    chat = await _paste_once(h, secretary, TWO_NAMES)
    assert "Chưa nhận ra: “Sở Ngoai vu”" in h.last_text(chat)
    # "Sở Y tế, Sở Ngoai vu chỉ đạo ...": the unknown name is a co-lead, so the pick is one too.
    await h.press_button(secretary, chat, kb(h, chat), "1: Sở Nội vụ")
    assert "Chủ trì: Sở Y tế, Sở Nội vụ" in h.last_text(chat)
    await h.text(secretary, chat, "chủ trì 2: Công an tỉnh")
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
    assert "Đã lưu văn bản #1" in h.last_text(chat)  # nothing left open: no question asked
    async with h.app.bot_data.sessions() as s:
        rows = (await s.execute(select(Unit.code, Assignment.role).join(Assignment.unit))).all()
        assert {(code, role.value) for code, role in rows} == {
            ("so_yte", "lead"),
            ("so_noivu", "lead"),
            ("cong_an", "lead"),
        }


async def test_save_asks_before_dropping_open_names_and_unassigned_duties(
    harness: Harness, secretary: FakeUser
) -> None:
    h = harness
    chat = await _paste_once(h, secretary, TWO_NAMES)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
    question = h.last_text(chat)
    assert question.startswith("⚠️ Còn nhiệm vụ chưa xử lý xong")
    assert plain(texts.ND_SAVE_CONFIRM_UNRESOLVED.format(label="1", names="“Sở Ngoai vu”")) in question
    assert plain(texts.ND_SAVE_CONFIRM_NO_UNITS.format(label="2")) in question
    assert [t for t, _ in h.buttons(h.last_message(chat))] == [texts.ND_BTN_SAVE_ANYWAY, texts.ND_BTN_GO_BACK]
    assert await count(h, Directive) == 0
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_GO_BACK)
    assert "Xem trước" in "\n".join(m["text"] for m in h.world.bot_messages(chat)[-3:])
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE_ANYWAY)
    assert "Đã lưu văn bản #1" in h.last_text(chat)
    async with h.app.bot_data.sessions() as s:
        duties = list(await s.scalars(select(Duty).order_by(Duty.position)))
        assert [d.label for d in duties] == ["1", "2"]
        codes = set(await s.scalars(select(Unit.code).join(Assignment.unit)))
        assert codes == {"so_yte"}  # the skipped name and the empty duty gave no assignment


async def test_same_number_with_other_text_is_flagged_and_offered(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    chat = await paste_and_preview(h, secretary, SEED_001)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
    changed = SEED_001.replace("Covid-19", "COVID-19")
    assert changed != SEED_001
    await h.text(secretary, chat, "/newdirective")
    await h.text(secretary, chat, changed)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_DONE)
    warning = next(m for m in reversed(h.world.bot_messages(chat)) if m["text"].startswith("Đã có văn bản cùng số"))
    assert warning["text"].startswith("Đã có văn bản cùng số 1046-CV/TU: #1")
    assert [t for t, _ in h.buttons(warning)] == [texts.ND_BTN_VIEW.format(id=1)]
    assert "Xem trước" in "\n".join(m["text"] for m in h.world.bot_messages(chat)[-3:])  # the secretary may go on
    await h.press_button(secretary, chat, warning["message_id"], "📄")
    assert "#1 1046-CV/TU" in h.last_text(chat)
    assert await count(h, Directive) == 1


async def test_manual_entry_with_a_registered_number_is_flagged(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    chat = await paste_and_preview(h, secretary, SEED_001)
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
    await h.text(secretary, chat, "/newdirective")
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_MANUAL)
    await h.text(secretary, chat, "1046-cv/tu\nVề một việc khác")
    warning, prompt = h.world.bot_messages(chat)[-2:]
    assert warning["text"].startswith("Đã có văn bản cùng số 1046-CV/TU: #1")
    assert prompt["text"] == plain(texts.ND_MANUAL_DUTY)  # manual entry goes on
    await h.press_button(secretary, chat, warning["message_id"], "📄")
    assert "#1 1046-CV/TU" in h.last_text(chat)
    await h.text(secretary, chat, "Sở Y tế chủ trì kiểm tra.")
    assert "chủ trì Sở Y tế" in h.last_text(chat)


# --- the registration lives in the database: restarts, several instances, stale buttons ------------


async def draft_row(h: Harness, user: FakeUser) -> tuple[object, ...] | None:
    async with h.app.bot_data.sessions() as s:
        row = (await s.execute(select(DirectiveDraft).where(DirectiveDraft.user_id == user.id))).scalar_one_or_none()
        return None if row is None else (row.data, row.created_at, row.updated_at)


def halves(text: str) -> tuple[str, str]:
    cut = text.rfind("\n", 0, len(text) // 2)
    return text[:cut], text[cut:]


async def test_a_draft_survives_a_restart(
    config: Config, world: FakeTelegram, clock: FakeClock, secretary: FakeUser
) -> None:
    first, second = halves(SEED_001)
    chat = world.private(secretary)
    async with Harness.running(config, world, clock=clock) as h:
        await h.text(secretary, chat, "/newdirective")
        await h.text(secretary, chat, first)
        assert "1 phần" in h.last_text(chat)
    # A new process: nothing survives but the database (and the buttons already in the chat).
    async with Harness.running(config, world, clock=clock) as h:
        await h.text(secretary, chat, second)
        assert "2 phần" in h.last_text(chat)
        await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_DONE)
        assert "Nhiệm vụ (5)" in "\n".join(m["text"] for m in h.world.bot_messages(chat)[-2:])
        await h.text(secretary, chat, "hạn 30/6/2027")
    async with Harness.running(config, world, clock=clock) as h:
        await h.text(secretary, chat, "xoá 5")
        assert "Nhiệm vụ (4)" in h.last_text(chat)
        await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_SAVE)
        assert "Đã lưu văn bản #1" in h.last_text(chat)
        async with h.app.bot_data.sessions() as s:
            directive = await s.scalar(select(Directive))
            assert directive is not None and directive.number == "1046-CV/TU"
            assert normalise(directive.source_text) == normalise(normalise_text(SEED_001))  # both halves, nothing lost
            assert set(await s.scalars(select(Duty.deadline))) == {date(2027, 6, 30)}
            assert await s.scalar(select(func.count()).select_from(Duty)) == 4
        assert await draft_row(h, secretary) is None


def normalise(text: str) -> str:
    return " ".join(text.split())


async def test_two_instances_share_one_registration(
    config: Config, world: FakeTelegram, clock: FakeClock, secretary: FakeUser
) -> None:
    """Behind a load balancer the secretary's updates alternate between instances on one database."""
    first, second = halves(SEED_001)
    chat = world.private(secretary)
    async with Harness.running(config, world, clock=clock) as a, Harness.running(config, world, clock=clock) as b:
        await a.text(secretary, chat, "/newdirective")
        await b.text(secretary, chat, first)
        await a.text(secretary, chat, second)
        assert "2 phần" in a.last_text(chat)
        await b.press_button(secretary, chat, kb(b, chat), texts.ND_BTN_DONE)
        await a.text(secretary, chat, "hạn 30/6/2027")
        await b.text(secretary, chat, "xoá 5")
        assert "Nhiệm vụ (4)" in b.last_text(chat)
        await a.text(secretary, chat, "/help")  # other commands still reach their handlers, on either
        assert "/newdirective" in a.last_text(chat)
        await a.press_button(secretary, chat, kb(a, chat), texts.ND_BTN_PLAN)
        await b.press_button(secretary, chat, kb(b, chat), texts.ND_PLANS["deadline"][:10])
        previews = [m for m in world.bot_messages(chat) if texts.ND_BTN_SAVE in dict(a.buttons(m))]
        await b.press_button(secretary, chat, previews[-1]["message_id"], texts.ND_BTN_SAVE)
        assert "Đã lưu văn bản #1" in b.last_text(chat)
        # Once saved, a text is no registration's: neither instance takes it.
        assert await a.text(secretary, chat, "hạn 1/1/2028") == []
        async with a.app.bot_data.sessions() as s:
            directive = await s.scalar(select(Directive))
            assert directive is not None and directive.reminder_plan is not None
            assert directive.reminder_plan["preset"] == "deadline"
            assert set(await s.scalars(select(Duty.deadline))) == {date(2027, 6, 30)}
            assert await s.scalar(select(func.count()).select_from(Duty)) == 4
        assert await draft_row(a, secretary) is None
        # Nothing of it was ever kept in either process.
        assert not any(a.app.user_data.values()) and not any(b.app.user_data.values())


async def test_parts_sent_at_once_to_two_instances_are_both_kept(
    config: Config, world: FakeTelegram, clock: FakeClock, secretary: FakeUser
) -> None:
    """Two parts handled concurrently: the row lock makes them take turns, so neither overwrites the other."""
    chat = world.private(secretary)
    async with Harness.running(config, world, clock=clock) as a, Harness.running(config, world, clock=clock) as b:
        await a.text(secretary, chat, "/newdirective")
        for part in halves(SEED_001):
            world.send_text(secretary, chat, part)
        raws = world.take_pending()
        await asyncio.gather(
            a.app.process_update(Update.de_json(raws[0], a.app.bot)),
            b.app.process_update(Update.de_json(raws[1], b.app.bot)),
        )
        received = sorted(str(m["text"]) for m in world.bot_messages(chat)[-2:])
        assert received[0].startswith("Đã nhận 1 phần") and received[1].startswith("Đã nhận 2 phần")
        await a.press_button(secretary, chat, kb(a, chat), texts.ND_BTN_DONE)
        assert "Nhiệm vụ (5)" in "\n".join(m["text"] for m in world.bot_messages(chat)[-2:])


async def test_a_button_of_a_cancelled_draft_changes_nothing(harness: Harness, secretary: FakeUser) -> None:
    h = harness
    chat = await paste_and_preview(h, secretary, SEED_001)
    old = h.last_message(chat)
    old_buttons = [text for text, data in h.buttons(old) if str(data).startswith("nd|")]
    await h.press_button(secretary, chat, old["message_id"], texts.ND_BTN_CANCEL)
    assert h.last_text(chat) == plain(texts.ND_CANCELLED)
    assert await draft_row(h, secretary) is None
    assert await h.text(secretary, chat, "hạn 30/6/2027") == []  # no registration: nobody takes it
    # A new registration is running; every button of the cancelled one is refused and changes nothing.
    await h.text(secretary, chat, "/newdirective")
    await h.text(secretary, chat, "Phần đầu của văn bản mới")
    before = await draft_row(h, secretary)
    assert before is not None
    for label in old_buttons:
        calls = await h.press_button(secretary, chat, old["message_id"], label)
        answers = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
        assert answers == [texts.ND_STALE_BUTTON], label
        assert [c for c in calls if c.method != "answerCallbackQuery"] == [], label
    assert await draft_row(h, secretary) == before
    assert await count(h, Directive) == 0
    # The current one goes on where it was.
    await h.text(secretary, chat, "Phần hai")
    assert "2 phần" in h.last_text(chat)


async def test_an_update_delivered_again_is_applied_once(harness: Harness, secretary: FakeUser) -> None:
    """Polling confirms an update only once handled, so a crash means redelivery (bot/polling.py)."""
    h = harness
    chat = h.world.private(secretary)

    async def twice(raw: dict[str, object]) -> None:
        for _ in range(2):
            await h.app.process_update(Update.de_json(raw, h.app.bot))

    h.world.send_text(secretary, chat, "/newdirective")
    await twice(h.world.take_pending()[0])
    assert [m["text"] for m in h.world.bot_messages(chat)] == [plain(texts.ND_START)]
    h.world.send_text(secretary, chat, "Phần một")
    await twice(h.world.take_pending()[0])
    h.world.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_MANUAL)
    await twice(h.world.take_pending()[0])
    assert h.last_text(chat) == plain(texts.ND_MANUAL_START)
    h.world.send_text(secretary, chat, "25-CT/TU\nVề phòng cháy")
    await twice(h.world.take_pending()[0])
    h.world.send_text(secretary, chat, "Công an tỉnh chủ trì kiểm tra.")
    await twice(h.world.take_pending()[0])
    await h.press_button(secretary, chat, kb(h, chat), texts.ND_BTN_DONE)
    assert "Nhiệm vụ (1)" in h.last_text(chat)
