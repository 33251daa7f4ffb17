"""Units' files as reports, end to end: replies with a PDF, a photo and a captioned file; refusals
(type, size, another unit's duty); redelivery; a secretary gets a file back through its button."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram import Update

from bot.config import Config
from bot.domain.enums import AssignmentStatus, ReportKind, ReportSource
from bot.texts import files as texts_files
from db.models import ReportAttachment, StatusReport
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.directives import DutySpec, assignment_of, bind, notice_of, register

PDF = b"%PDF-1.4\n" + b"0" * 2000
JPEG = b"\xff\xd8\xff\xe0" + b"1" * 5000


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Văn phòng")
    world.private(user)
    assert user.id == ADMIN_ID
    return user


async def _setup(h: Harness, admin: FakeUser) -> int:
    await bind(h, "so_yte")
    await bind(h, "so_taichinh")
    duties = [
        DutySpec("Rà soát, báo cáo.", ["so_yte"], date(2027, 3, 31)),
        DutySpec("Bố trí kinh phí.", ["so_taichinh"]),
    ]
    directive_id = await register(h, duties, actor=admin.id)
    await h.tick()
    return directive_id


async def _rows(h: Harness) -> list[tuple[ReportAttachment, StatusReport]]:
    async with h.app.bot_data.sessions() as s:
        rows = await s.execute(
            select(ReportAttachment, StatusReport)
            .join(StatusReport, StatusReport.id == ReportAttachment.report_id)
            .order_by(ReportAttachment.id)
        )
        return [(a, r) for a, r in rows]


async def test_pdf_photo_and_captioned_file_are_stored_as_reports(harness: Harness, admin: FakeUser) -> None:
    h = harness
    await _setup(h, admin)
    group = next(c for c in h.world.chats.values() if c.title == "so_yte")
    contact = h.world.user("Hoa", "Sở Y tế")
    notice = notice_of(h, group)
    a = await assignment_of(h, "so_yte")

    await h.document(contact, group, PDF, "Bao cao so 12.pdf", "application/pdf", reply_to=notice["message_id"])
    assert "Bao cao so 12.pdf" in h.last_text(group) and "Đã nhận tệp" in h.last_text(group)
    await h.photo(contact, group, JPEG, caption="đang triển khai 60%", reply_to=notice["message_id"])
    await h.document(contact, group, PDF, "ket-qua.docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     caption=f"/report {a.id} đã hoàn thành")  # fmt: skip

    rows = await _rows(h)
    assert [(att.file_name, att.kind, r.kind, r.source) for att, r in rows] == [
        ("Bao cao so 12.pdf", "document", ReportKind.NOTE, ReportSource.REPLY),
        (f"anh-bao-cao-{rows[1][0].message_id}.jpg", "photo", ReportKind.PROGRESS, ReportSource.REPLY),
        ("ket-qua.docx", "document", ReportKind.DONE, ReportSource.COMMAND),
    ]
    first, photo = rows[0], rows[1]
    assert first[1].text == texts_files.FILE_NOTE and first[0].file_size == len(PDF)
    assert first[0].user_id == contact.id and first[0].chat_id == group.id
    assert photo[1].percent == 60 and photo[0].file_size == len(JPEG)  # the largest size, not the thumbnail
    assert h.world.files[photo[0].file_id].content == JPEG
    assert (await assignment_of(h, "so_yte")).status == AssignmentStatus.REPORTED_DONE


async def test_a_file_alone_is_never_done(harness: Harness, admin: FakeUser) -> None:
    h = harness
    await _setup(h, admin)
    group = next(c for c in h.world.chats.values() if c.title == "so_yte")
    await h.document(h.world.user("Hoa"), group, PDF, "bc.pdf", "application/pdf",
                     reply_to=notice_of(h, group)["message_id"])  # fmt: skip
    assert (await assignment_of(h, "so_yte")).status == AssignmentStatus.ASSIGNED


@pytest.mark.parametrize(
    ("name", "mime", "size", "expected"),
    [
        ("setup.exe", "application/x-msdownload", 3000, "type"),
        ("hoso.zip", "application/zip", 3000, "type"),
        ("bando.pdf", "application/pdf", 20 * 1024 * 1024 + 1, "size"),
    ],
)
async def test_forbidden_type_and_oversized_file_are_refused(
    harness: Harness, admin: FakeUser, name: str, mime: str, size: int, expected: str
) -> None:
    h = harness
    await _setup(h, admin)
    group = next(c for c in h.world.chats.values() if c.title == "so_yte")
    content = b"%PDF" + b"0" * (size - 4)
    await h.document(h.world.user("Hoa"), group, content, name, mime, reply_to=notice_of(h, group)["message_id"])
    assert await _rows(h) == []
    if expected == "type":
        assert "không nhận loại tệp này" in h.last_text(group)
    else:
        assert "lớn hơn 20 MB" in h.last_text(group)


async def test_forged_file_report_from_another_units_group_is_refused(harness: Harness, admin: FakeUser) -> None:
    h = harness
    await _setup(h, admin)
    other = next(c for c in h.world.chats.values() if c.title == "so_taichinh")
    yte = await assignment_of(h, "so_yte")
    await h.document(h.world.user("Kẻ giả"), other, PDF, "x.pdf", "application/pdf", caption=f"/report {yte.id} xong")
    assert await _rows(h) == []
    assert "không phải của đơn vị này" in h.last_text(other)
    assert (await assignment_of(h, "so_yte")).status == AssignmentStatus.ASSIGNED


async def test_redelivered_file_is_stored_once(harness: Harness, admin: FakeUser) -> None:
    h = harness
    await _setup(h, admin)
    group = next(c for c in h.world.chats.values() if c.title == "so_yte")
    raw = h.world.send_document(h.world.user("Hoa"), group, PDF, "bc.pdf", "application/pdf",
                                reply_to=notice_of(h, group)["message_id"])  # fmt: skip
    h.world.take_pending()
    for _ in range(2):
        await h.app.process_update(Update.de_json(raw, h.app.bot))
    assert len(await _rows(h)) == 1
    acks = [m for m in h.world.bot_messages(group) if "Đã nhận tệp" in str(m.get("text", ""))]
    assert len(acks) == 1


async def test_secretary_gets_a_file_back_through_its_button(harness: Harness, admin: FakeUser) -> None:
    h = harness
    directive_id = await _setup(h, admin)
    group = next(c for c in h.world.chats.values() if c.title == "so_yte")
    contact = h.world.user("Hoa")
    await h.document(contact, group, PDF, "Báo cáo kết quả.pdf", "application/pdf",
                     reply_to=notice_of(h, group)["message_id"])  # fmt: skip
    [(att, _r)] = await _rows(h)
    private = h.world.private(admin)
    await h.text(admin, private, f"/directive {directive_id}")
    listing = h.last_message(private)
    assert "Báo cáo kết quả.pdf" in listing["text"] and "Sở Y tế" in listing["text"]
    [(_label, data)] = Harness.buttons(listing)
    assert data == f"af|{att.id}" and len(data.encode()) <= 64
    calls = await h.press(admin, private, listing["message_id"], data)
    [sent] = [c for c in calls if c.method == "sendDocument"]
    assert sent.params["document"] == att.file_id and sent.params["chat_id"] == private.id
    assert h.last_message(private)["document"]["file_name"] == "Báo cáo kết quả.pdf"
    # A unit member cannot fetch files through a forged button.
    calls = await h.press(contact, group, notice_of(h, group)["message_id"], data)
    assert not [c for c in calls if c.method == "sendDocument"]


async def test_summary_counts_the_files_and_the_workbook_lists_them(harness: Harness, admin: FakeUser) -> None:
    import io

    from openpyxl import load_workbook

    h = harness
    await _setup(h, admin)
    group = next(c for c in h.world.chats.values() if c.title == "so_yte")
    notice = notice_of(h, group)["message_id"]
    await h.document(h.world.user("Hoa"), group, PDF, "BC-01.pdf", "application/pdf", reply_to=notice)
    await h.photo(h.world.user("Hoa"), group, JPEG, reply_to=notice)
    private = h.world.private(admin)
    calls = await h.text(admin, private, "/summary")
    assert any("Tệp báo cáo các đơn vị gửi trong kỳ: 2" in t for t in Harness.sent_texts(calls))
    calls = await h.text(admin, private, "/export")
    [sent] = [c for c in calls if c.method == "sendDocument"]
    book = load_workbook(io.BytesIO(h.world.files[sent.result["document"]["file_id"]].content))
    sheet = book[texts_files.SHEET_FILES]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        ("Sở Y tế", "1046-CV/TU", "1", "BC-01.pdf", "Tệp"),
        ("Sở Y tế", "1046-CV/TU", "1", f"anh-bao-cao-{rows[1][4].split('-')[-1].split('.')[0]}.jpg", "Ảnh"),
    ]
