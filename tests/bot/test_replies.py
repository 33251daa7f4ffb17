"""Status replies end to end: buttons, replies, prompts, /mytasks, /report, secretaries' decisions,
and the escalation digest, through the real Application and the fake Bot API."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot import texts
from bot.clock import FakeClock
from bot.config import Config
from bot.domain.enums import AssignmentStatus, DutyStatus, ExtensionStatus, ReportKind, ReportSource, Role
from bot.services import reports as reports_service
from db.models import Duty, Outbox, Person, StatusReport, Unit
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.flows import assignment, bind, local, notice_of, register, setup_one


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Văn phòng")
    world.private(user)
    assert user.id == ADMIN_ID
    return user






async def reports_of(h: Harness, assignment_id: int) -> list[StatusReport]:
    async with h.app.bot_data.sessions() as s:
        return list(
            await s.scalars(
                select(StatusReport).where(StatusReport.assignment_id == assignment_id).order_by(StatusReport.id)
            )
        )






async def test_notice_carries_answer_buttons(harness: Harness) -> None:
    _group, _contact, notice, _a = await setup_one(harness)
    labels = [label for label, _ in Harness.buttons(notice)]
    assert labels == [texts.BTN_DONE, texts.BTN_PROGRESS, texts.BTN_BLOCKED, texts.BTN_EXTEND]


async def test_done_button_records_once_edits_in_place_and_asks_confirmation(harness: Harness, admin: FakeUser) -> None:
    h = harness
    group, contact, notice, a = await setup_one(h)
    before = len(h.world.bot_messages(group))
    await h.press_button(contact, group, notice["message_id"], texts.BTN_DONE)
    assert len(h.world.bot_messages(group)) == before  # acknowledged in place, no new message
    edited = h.world.messages[(group.id, notice["message_id"])]
    assert "báo hoàn thành (chờ Văn phòng xác nhận)" in edited["text"]
    [r] = await reports_of(h, a.id)
    assert (r.kind, r.source, r.user_id) == (ReportKind.DONE, ReportSource.BUTTON, contact.id)
    assert (await assignment(h, "so_yte")).status == AssignmentStatus.REPORTED_DONE
    # The admin (no secretary registered) gets the confirmation request with its buttons.
    await h.tick()
    private = h.world.private(admin)
    request = h.last_message(private)
    assert "báo hoàn thành nhiệm vụ 1" in request["text"]
    await h.press_button(admin, private, request["message_id"], texts.BTN_CONFIRM)
    done = await assignment(h, "so_yte")
    assert done.status == AssignmentStatus.CONFIRMED and done.completed_at == r.received_at
    async with h.app.bot_data.sessions() as s:
        assert await s.scalar(select(Duty.status)) == DutyStatus.DONE
    await h.tick()
    assert h.last_text(group).startswith("✔️ Văn phòng đã xác nhận hoàn thành nhiệm vụ 1")
    # The decided request lost its buttons; a replayed confirm is told, and changes nothing.
    assert Harness.buttons(h.world.messages[(private.id, request["message_id"])]) == []
    await h.press(admin, private, request["message_id"], f"k|{a.id}|c")
    assert len(await reports_of(h, a.id)) == 2  # done + confirmed
    # A stale answer button after the duty closed: told so, nothing stored.
    await h.press(contact, group, notice["message_id"], f"r|{a.id}|p")
    assert (await assignment(h, "so_yte")).status == AssignmentStatus.CONFIRMED
    assert len(await reports_of(h, a.id)) == 2


async def test_reply_is_parsed_acknowledged_and_redelivery_is_stored_once(harness: Harness) -> None:
    h = harness
    group, contact, notice, a = await setup_one(h)
    h.world.send_text(contact, group, "Đang thực hiện, đạt 60%", reply_to=notice["message_id"])
    [raw] = h.world.take_pending()
    for _ in range(2):  # Telegram redelivers after a restart
        await h.app.process_update(Update.de_json(raw, h.app.bot))
    [r] = await reports_of(h, a.id)
    assert (r.kind, r.percent, r.text) == (ReportKind.PROGRESS, 60, "Đang thực hiện, đạt 60%")
    now = await assignment(h, "so_yte")
    assert (now.status, now.percent) == (AssignmentStatus.IN_PROGRESS, 60)
    acks = [m for m in h.world.bot_messages(group) if str(m.get("text", "")).startswith("✅ Đã ghi nhận")]
    assert len(acks) == 1
    # Editing the reply updates the report and keeps the old version.
    await h.edit(contact, group, r.message_id or 0, "đã hoàn thành")
    [r2] = await reports_of(h, a.id)
    assert r2.kind == ReportKind.DONE and r2.revisions[0]["text"] == "Đang thực hiện, đạt 60%"
    assert (await assignment(h, "so_yte")).status == AssignmentStatus.REPORTED_DONE


async def test_ambiguous_reply_is_a_note_with_buttons(harness: Harness) -> None:
    h = harness
    group, contact, notice, a = await setup_one(h)
    await h.text(contact, group, "Đã triển khai", reply_to=notice["message_id"])
    [r] = await reports_of(h, a.id)
    assert r.kind == ReportKind.NOTE
    assert (await assignment(h, "so_yte")).status == AssignmentStatus.ASSIGNED  # never guesses "done"
    ask = h.last_message(group)
    assert "chưa chắc về trạng thái" in ask["text"] and Harness.buttons(ask)


async def test_blocked_button_prompts_for_the_difficulty_and_tells_secretaries(
    harness: Harness, admin: FakeUser, clock: FakeClock
) -> None:
    h = harness
    group, contact, notice, a = await setup_one(h)
    await h.press_button(contact, group, notice["message_id"], texts.BTN_BLOCKED)
    prompt = h.last_message(group)
    assert "vướng mắc là gì" in prompt["text"]
    [asked] = [c for c in h.world.calls if c.method == "sendMessage" and c.ok and c.result == prompt]
    assert "force_reply" in str(asked.params["reply_markup"])  # the reply box opens for the person who tapped
    await h.text(contact, group, "Thiếu kinh phí, chờ Sở Tài chính", reply_to=prompt["message_id"])
    [r] = await reports_of(h, a.id)
    assert (r.kind, r.text) == (ReportKind.BLOCKED, "Thiếu kinh phí, chờ Sở Tài chính")
    assert (await assignment(h, "so_yte")).blocked
    clock.advance(timedelta(minutes=3))
    await h.tick()
    alert = h.last_text(h.world.private(admin))
    assert "báo vướng mắc" in alert and "Thiếu kinh phí" in alert


async def test_extension_request_approved_keeps_the_original_deadline(harness: Harness, admin: FakeUser) -> None:
    h = harness
    group, contact, notice, _a = await setup_one(h)
    await h.press_button(contact, group, notice["message_id"], texts.BTN_EXTEND)
    prompt = h.last_message(group)
    await h.text(contact, group, "30/4/2027 vì chờ số liệu", reply_to=prompt["message_id"])
    asked = await assignment(h, "so_yte")
    assert (asked.extension_status, asked.extension_to) == (ExtensionStatus.REQUESTED, date(2027, 4, 30))
    await h.tick()
    private = h.world.private(admin)
    request = h.last_message(private)
    assert "xin gia hạn" in request["text"] and "30/04/2027" in request["text"]
    await h.press_button(admin, private, request["message_id"], texts.BTN_APPROVE)
    approved = await assignment(h, "so_yte")
    assert (approved.deadline, approved.original_deadline) == (date(2027, 4, 30), date(2027, 3, 31))
    await h.tick()
    assert "đồng ý gia hạn" in h.last_text(group)


async def test_return_with_reason_reaches_the_unit(harness: Harness, admin: FakeUser) -> None:
    h = harness
    group, contact, notice, _a = await setup_one(h)
    await h.text(contact, group, "đã hoàn thành", reply_to=notice["message_id"])
    await h.tick()
    private = h.world.private(admin)
    await h.press_button(admin, private, h.last_message(private)["message_id"], texts.BTN_RETURN)
    prompt = h.last_message(private)
    await h.text(admin, private, "Báo cáo thiếu số liệu quý 3", reply_to=prompt["message_id"])
    returned = await assignment(h, "so_yte")
    assert returned.status == AssignmentStatus.RETURNED
    await h.tick()
    assert "Lý do: Báo cáo thiếu số liệu quý 3" in h.last_text(group)


async def test_compact_list_reply_maps_by_number_or_asks(harness: Harness) -> None:
    h = harness
    group = await bind(h, "so_tttt")
    contact = h.world.user("Hà")
    await register(h, [("Tuyên truyền.", ["so_tttt"], date(2027, 1, 15)), ("Kiểm tra.", ["so_tttt"], None)])
    await h.tick()
    listing = notice_of(h, group)
    assert [label for label, _ in Harness.buttons(listing)][:4] == ["1 ✅", "1 ⏳", "1 ⚠️", "1 📅"]
    await h.text(contact, group, "[2] đang thực hiện 30%", reply_to=listing["message_id"])
    second = await assignment(h, "so_tttt", 2)
    assert (second.status, second.percent) == (AssignmentStatus.IN_PROGRESS, 30)
    await h.text(contact, group, "đã hoàn thành", reply_to=listing["message_id"])
    ask = h.last_message(group)
    assert ask["text"].startswith("Tin nhắn nhắc việc này có 2 nhiệm vụ")
    await h.press_button(contact, group, ask["message_id"], "[1]")
    first = await assignment(h, "so_tttt", 1)
    assert first.status == AssignmentStatus.REPORTED_DONE
    await h.text(contact, group, "7 xong", reply_to=listing["message_id"])
    assert "không có nhiệm vụ mã 7" in h.last_text(group)


async def test_mytasks_and_report_in_group_and_private(harness: Harness, admin: FakeUser) -> None:
    h = harness
    group, contact, _notice, a = await setup_one(h)
    await h.text(contact, group, "/mytasks")
    listing = h.last_message(group)
    assert f"[{a.id}]" in listing["text"] and Harness.buttons(listing)
    await h.text(contact, group, f"/report {a.id} đang thực hiện 40%")
    assert (await assignment(h, "so_yte")).percent == 40
    await h.text(contact, group, "/report")
    assert h.last_text(group).startswith("Cách dùng: /report")
    await h.text(contact, group, "/report 999999 xong")
    assert "không phải của" in h.last_text(group)
    # In private: only a unit contact has a unit.
    private = h.world.private(contact)
    await h.text(contact, private, "/mytasks")
    assert h.last_text(private).startswith("Lệnh /mytasks dùng trong nhóm")
    async with h.app.bot_data.sessions() as s:
        unit_id = await s.scalar(select(Unit.id).where(Unit.code == "so_yte"))
        # The reports above already made the contact a known person (so /audit names them): give the role.
        person = await s.scalar(select(Person).where(Person.telegram_user_id == contact.id))
        assert person is not None and person.role is None
        person.role, person.unit_id = Role.UNIT_CONTACT, unit_id
        await s.commit()
    await h.text(contact, private, "/mytasks")
    mine = h.last_message(private)
    assert f"[{a.id}]" in mine["text"]
    await h.press(contact, private, mine["message_id"], f"r|{a.id}|d")
    assert (await assignment(h, "so_yte")).status == AssignmentStatus.REPORTED_DONE


async def test_reply_to_a_message_about_nothing_is_explained(harness: Harness) -> None:
    h = harness
    group, contact, _notice, _a = await setup_one(h)
    await h.text(contact, group, "/help")
    help_message = h.last_message(group)
    await h.text(contact, group, "đã xong", reply_to=help_message["message_id"])
    assert h.last_text(group).startswith("Tin nhắn này không gắn với nhiệm vụ nào")
    async with h.app.bot_data.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(StatusReport)) == 0


async def test_button_from_another_group_changes_nothing(harness: Harness) -> None:
    h = harness
    _group, _contact, _notice, a = await setup_one(h)
    other = await bind(h, "so_taichinh")
    stranger = h.world.user("Người lạ")
    await h.text(stranger, other, "/help")
    anywhere = h.last_message(other)
    await h.press(stranger, other, anywhere["message_id"], f"r|{a.id}|d")
    assert await reports_of(h, a.id) == []
    assert (await assignment(h, "so_yte")).status == AssignmentStatus.ASSIGNED


async def test_escalation_digest_names_silent_units_once(harness: Harness, admin: FakeUser, clock: FakeClock) -> None:
    h = harness
    monitor = await bind(h, "vptu")
    await bind(h, "so_yte")
    await register(h, [("Sở Y tế và Công an tỉnh chủ trì.", ["so_yte", "cong_an"], date(2026, 12, 1))], monitor="vptu")
    await h.tick()
    clock.set(local(2026, 12, 7, 8, 0))  # deadline + 5 days: the escalation slot (Monday 07/12)
    for _ in range(3):
        await h.tick()
    digests = [m["text"] for m in h.world.bot_messages(monitor) if m["text"].startswith("🚨 Cảnh báo quá hạn")]
    assert len(digests) == 1
    assert "Sở Y tế" in digests[0] and "Công an tỉnh (chưa có nhóm Telegram)" in digests[0]
    assert "chưa báo cáo lần nào" in digests[0]
    to_admin = [m for m in h.world.bot_messages(h.world.private(admin)) if m["text"].startswith("🚨")]
    assert len(to_admin) == 1
    async with h.app.bot_data.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Outbox)) == 2


async def test_buttons_and_replies_after_the_directive_is_archived(harness: Harness, admin: FakeUser) -> None:
    h = harness
    group, contact, notice, a = await setup_one(h)
    private = h.world.private(admin)
    await h.text(admin, private, f"/directive {a.duty_id}")
    await h.press_button(admin, private, h.last_message(private)["message_id"], texts.DETAIL_BTN_ARCHIVE)
    calls = await h.press_button(contact, group, notice["message_id"], texts.BTN_DONE)
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params["text"] == texts.REPORT_STALE["archived"]
    await h.text(contact, group, "đã hoàn thành", reply_to=notice["message_id"])
    assert h.last_text(group) == texts.REPORT_STALE["archived"]
    [kept] = await reports_of(h, a.id)  # the text is kept, the state is not touched
    assert kept.kind == ReportKind.NOTE and kept.text == "đã hoàn thành"
    assert (await assignment(h, "so_yte")).status == AssignmentStatus.ASSIGNED


@pytest.mark.handler_errors
async def test_crash_between_receive_and_commit_stores_the_redelivered_reply_once(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    group, contact, notice, a = await setup_one(h)
    real_submit = reports_service.submit
    crashes = [1]

    async def crash_once(*args: Any, **kwargs: Any) -> Any:
        saved = await real_submit(*args, **kwargs)  # flushed, not committed
        if crashes:
            crashes.pop()
            raise RuntimeError("process killed before commit")
        return saved

    monkeypatch.setattr(reports_service, "submit", crash_once)
    h.world.send_text(contact, group, "đã hoàn thành", reply_to=notice["message_id"])
    [raw] = h.world.take_pending()
    await h.app.process_update(Update.de_json(raw, h.app.bot))
    assert await reports_of(h, a.id) == []  # rolled back: nothing half-stored
    await h.app.process_update(Update.de_json(raw, h.app.bot))  # Telegram delivers it again
    await h.app.process_update(Update.de_json(raw, h.app.bot))
    [r] = await reports_of(h, a.id)
    assert r.kind == ReportKind.DONE
    acks = [m for m in h.world.bot_messages(group) if str(m.get("text", "")).startswith("✅ Đã ghi nhận")]
    assert len(acks) == 1


async def test_messages_in_a_row_are_one_report_to_the_user(harness: Harness, clock: FakeClock) -> None:
    h = harness
    group, contact, notice, a = await setup_one(h)
    await h.text(contact, group, "đang thực hiện 50%", reply_to=notice["message_id"])
    before = len(h.world.bot_messages(group))
    clock.advance(timedelta(minutes=1))
    await h.text(contact, group, "Còn chờ số liệu của hai xã", reply_to=notice["message_id"])
    assert len(h.world.bot_messages(group)) == before  # no second acknowledgement, no "which status?"
    follow = [m for m in h.world.messages.values() if m.get("text") == "Còn chờ số liệu của hai xã"]
    assert follow[0]["bot_reaction"] == ["👍"]
    kinds = [(r.kind, r.text) for r in await reports_of(h, a.id)]
    assert kinds == [(ReportKind.PROGRESS, "đang thực hiện 50%"), (ReportKind.NOTE, "Còn chờ số liệu của hai xã")]
    now = await assignment(h, "so_yte")
    assert (now.status, now.percent) == (AssignmentStatus.IN_PROGRESS, 50)


async def test_long_duty_has_a_see_in_full_button(harness: Harness) -> None:
    h = harness
    group = await bind(h, "so_yte")
    contact = h.world.user("Đầu mối")
    long_text = "Sở Y tế chủ trì rà soát toàn bộ cơ sở y tế trên địa bàn tỉnh. " * 60 + "KẾT THÚC."
    await register(h, [(long_text, ["so_yte"], date(2027, 3, 31))])
    await h.tick()
    notice = notice_of(h, group)
    assert "KẾT THÚC." not in notice["text"]
    await h.press_button(contact, group, notice["message_id"], texts.BTN_FULL)
    shown = "".join(m["text"] for m in h.world.bot_messages(group) if m["text"].startswith("📄"))
    assert "KẾT THÚC." in shown


async def test_silence_without_any_report_escalates_even_before_the_deadline(
    harness: Harness, admin: FakeUser, clock: FakeClock
) -> None:
    h = harness
    monitor = await bind(h, "vptu")
    group = await bind(h, "so_yte")
    await register(h, [("Sở Y tế chủ trì, thường xuyên.", ["so_yte"], None)], monitor="vptu")
    await h.tick()
    clock.set(local(2026, 11, 30, 8, 0))  # a week: a plain reminder
    await h.tick()
    assert h.last_text(group).startswith("⏰ Nhắc việc định kỳ")
    clock.set(local(2026, 12, 7, 8, 0))  # two weeks and not one report: escalate_silent_after_days (14)
    await h.tick()
    assert h.last_text(group).startswith("🚨 Đơn vị chưa báo cáo lần nào")
    digest = h.last_text(monitor)
    assert digest.startswith("🚨 Cảnh báo quá hạn") and "Sở Y tế" in digest and "giao đã 14 ngày" in digest


async def test_a_unit_that_reported_is_not_escalated_for_silence(harness: Harness, clock: FakeClock) -> None:
    h = harness
    monitor = await bind(h, "vptu")
    group, contact, notice, _a = await setup_one(h, deadline=None, monitor="vptu")
    await h.text(contact, group, "đang thực hiện", reply_to=notice["message_id"])
    clock.set(local(2026, 12, 7, 8, 0))
    await h.tick()
    assert h.last_text(group).startswith("⏰ Nhắc việc định kỳ")
    assert not [m for m in h.world.bot_messages(monitor) if str(m.get("text", "")).startswith("🚨")]


async def test_second_tap_stores_nothing_new_and_status_changes_are_audited(harness: Harness, admin: FakeUser) -> None:
    from db.models import AuditLog, UnitChat

    h = harness
    group, contact, notice, a = await setup_one(h)
    await h.press_button(contact, group, notice["message_id"], texts.BTN_DONE)
    calls = await h.press_button(contact, group, notice["message_id"], texts.BTN_DONE)  # a new callback id
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answers and answers[-1].params["text"].startswith("Đã ghi nhận trước đó")
    [r] = await reports_of(h, a.id)
    assert r.kind == ReportKind.DONE
    async with h.app.bot_data.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == "confirm_request")) == 1
        [row] = list(await s.scalars(select(AuditLog).where(AuditLog.action == "assignment.report")))
        assert (row.actor_user_id, row.unit_id) == (contact.id, a.unit_id)
        assert (row.before or {})["status"] == "assigned" and (row.after or {})["status"] == "reported_done"
        chat = await s.scalar(select(UnitChat).where(UnitChat.chat_id == group.id))
        assert chat is not None and chat.last_activity_at == r.received_at
    # A note changes no status: no audit row; a second ⏳ asks for the percent again, storing nothing.
    await h.text(contact, group, "Đã nhận văn bản", reply_to=notice["message_id"])
    calls = await h.press_button(contact, group, notice["message_id"], texts.BTN_PROGRESS)
    calls += await h.press_button(contact, group, notice["message_id"], texts.BTN_PROGRESS)
    prompts = [c for c in calls if c.method == "sendMessage" and "force_reply" in str(c.params.get("reply_markup"))]
    assert len(prompts) == 2
    kinds = [x.kind for x in await reports_of(h, a.id)]
    assert kinds == [ReportKind.DONE, ReportKind.NOTE, ReportKind.PROGRESS]
    async with h.app.bot_data.sessions() as s:
        audited = select(func.count()).select_from(AuditLog).where(AuditLog.action == "assignment.report")
        assert await s.scalar(audited) == 2


async def test_a_tap_too_old_to_answer_is_still_stored_and_shown(harness: Harness) -> None:
    """After a restart, a queued press can no longer be answered; the work it asked for still happens."""
    h = harness
    group, contact, notice, a = await setup_one(h)
    raw = h.world.press_button(contact, group, notice["message_id"], texts.BTN_PROGRESS)
    h.world.answered_queries.add(raw["callback_query"]["id"])  # Telegram: "query is too old"
    calls = await h.deliver()
    [r] = await reports_of(h, a.id)
    assert r.kind == ReportKind.PROGRESS
    assert any(c.method == "editMessageText" and c.ok for c in calls)  # the notice shows it
    assert any(c.method == "sendMessage" and "force_reply" in str(c.params.get("reply_markup")) for c in calls)
    assert not any(c.method == "sendMessage" and texts.ERROR_GENERIC in str(c.params.get("text")) for c in calls)


async def test_a_stored_reply_leaves_one_traceable_log_line(harness: Harness) -> None:
    import io
    import logging

    from bot.logs import make_handler

    h = harness
    group, contact, notice, a = await setup_one(h)
    stream = io.StringIO()
    handler = make_handler(stream)
    logger = logging.getLogger("dondoc.reports")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        await h.text(contact, group, "đang thực hiện 40%", reply_to=notice["message_id"])
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    [line] = [x for x in stream.getvalue().splitlines() if "event=report " in x]
    [r] = await reports_of(h, a.id)
    for field in (f"chat_id={group.id}", f"user_id={contact.id}", f"duty={a.duty_id}", f"assignment={a.id}",
                  f"report_id={r.id}", "kind=progress", "update_id="):  # fmt: skip
        assert field in line
