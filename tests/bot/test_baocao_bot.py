"""/baocao and `dondoc report`: the drafted báo cáo opened with python-docx and checked against the
database (header blocks, title, sections, every duty, every unit's status, difficulties, annex rows);
converted to PDF with LibreOffice where it is installed."""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from sqlalchemy import select

from bot.cli.main import main as cli_main
from bot.config import Config
from bot.texts import baocao as T
from db.models import Assignment, Duty, StatusReport, Unit
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.directives import DutySpec, assignment_of, bind, notice_of, register

PDF = b"%PDF-1.4\n" + b"0" * 3000


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units())


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Văn phòng")
    world.private(user)
    assert user.id == ADMIN_ID
    return user


async def _scenario(
    h: Harness, admin: FakeUser, *, number: str = "1046-CV/TU", issuer: str = "Ban Thường vụ Tỉnh ủy"
) -> int:
    groups = {c: await bind(h, c) for c in ("so_yte", "so_taichinh", "so_gddt")}
    duties = [
        DutySpec("Rà soát, đánh giá kết quả triển khai.", ["so_yte"], date(2027, 3, 31), ["so_taichinh"]),
        DutySpec("Bố trí kinh phí thực hiện.", ["so_taichinh"]),
        DutySpec("Tổ chức tập huấn cho giáo viên.", ["so_gddt"], date(2026, 12, 15)),
    ]
    directive_id = await register(h, duties, actor=admin.id, number=number, issuer=issuer, issued_on=date(2026, 11, 10))
    await h.tick()
    member = h.world.user("Hoa")
    notice = notice_of(h, groups["so_yte"])["message_id"]
    await h.text(member, groups["so_yte"], "đang triển khai 60%", reply_to=notice)
    await h.document(member, groups["so_yte"], PDF, "BC-YT-12.pdf", "application/pdf", reply_to=notice)
    funds = await assignment_of(h, "so_taichinh", 2)
    await h.text(member, groups["so_taichinh"], f"/report {funds.id} vướng: thiếu kinh phí")
    training = await assignment_of(h, "so_gddt", 3)
    await h.text(member, groups["so_gddt"], f"/report {training.id} xin gia hạn đến 30/12/2026 do chờ kinh phí")
    return directive_id


async def _baocao(h: Harness, admin: FakeUser, words: str) -> Any:
    private = h.world.private(admin)
    calls = await h.text(admin, private, f"/baocao {words}")
    [sent] = [c for c in calls if c.method == "sendDocument"]
    document = sent.result["document"]
    assert document["file_name"].endswith(".docx")
    return Document(io.BytesIO(h.world.files[document["file_id"]].content))


def _texts(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs]


async def _db_rows(h: Harness, directive_id: int) -> list[tuple[str, str, str, Assignment]]:
    async with h.app.bot_data.sessions() as s:
        rows = await s.execute(
            select(Duty.label, Duty.text, Unit.name, Assignment)
            .join(Assignment, Assignment.duty_id == Duty.id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(Duty.directive_id == directive_id)
            .order_by(Duty.position, Assignment.role, Assignment.id)
        )
        return [(label, text, name, a) for label, text, name, a in rows]


def _status(a: Assignment, reported: bool) -> str:
    words = {"in_progress": "đang thực hiện", "reported_done": T.STATUS["reported_done"]}.get(a.status.value)
    if words is None:
        words = T.STATUS["noted"] if reported else T.STATUS["no_report"]
    if a.status.value == "in_progress" and a.percent is not None:
        words += f" {a.percent}%"
    return words + (T.STATUS_BLOCKED if a.blocked else "")


async def test_baocao_matches_the_database(harness: Harness, admin: FakeUser) -> None:
    h = harness
    directive_id = await _scenario(h, admin)
    doc = await _baocao(h, admin, str(directive_id))
    section = doc.sections[0]
    measures = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin)  # fmt: skip
    assert [round(m.mm) for m in measures] == [210, 297, 20, 20, 30, 15]  # A4; both standards' margins
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 14
    header = doc.tables[0]
    assert [p.text for p in header.cell(0, 0).paragraphs] == ["TỈNH ỦY KIÊN GIANG", "VĂN PHÒNG", "*"]
    assert header.cell(0, 1).text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert header.cell(1, 0).text == "Số      -BC/VPTU"
    assert header.cell(1, 1).text == "Kiên Giang, ngày 23 tháng 11 năm 2026"
    texts = _texts(doc)
    assert "BÁO CÁO" in texts
    assert (
        "Kết quả thực hiện Công văn số 1046-CV/TU ngày 10/11/2026 của Ban Thường vụ Tỉnh ủy về việc thử nghiệm" in texts
    )
    at = [texts.index(h) for h in T.HEADINGS]
    assert at == sorted(at)
    body2 = texts[at[1] : at[2]]
    rows = await _db_rows(h, directive_id)
    async with h.app.bot_data.sessions() as s:
        reported = set(await s.scalars(select(StatusReport.assignment_id)))
    for label, text, unit, a in rows:
        start = body2.index(f"{label}. {text}")
        block = body2[start:]
        block = block[: next((i for i, t in enumerate(block[1:], 1) if t[:2].rstrip(".").isdigit()), len(block))]
        role = "chủ trì" if a.role.value == "lead" else "phối hợp"
        if a.id in reported:
            assert any(t.startswith(f"- {unit} ({role}): {_status(a, True)}") for t in block), (unit, block)
        else:
            assert any(t.startswith("- Chưa có báo cáo:") and f"{unit} ({role})" in t for t in block), (unit, block)
    yte = next(t for t in body2 if t.startswith("- Sở Y tế"))
    assert "“đang triển khai 60%”" in yte or "Nội dung: “đã gửi báo cáo”" in yte
    assert "Tệp báo cáo: BC-YT-12.pdf" in yte
    body3 = texts[at[2] : at[3]]
    assert any("Sở Tài chính (nhiệm vụ 2" in t and "thiếu kinh phí" in t for t in body3)
    body4 = texts[at[3] : at[4]]
    assert "- Sở Tài chính: nhiệm vụ 1." in body4
    body5 = texts[at[4] :]
    assert any(t.startswith("- Sở Giáo dục và Đào tạo đề nghị gia hạn nhiệm vụ 3 đến ngày 30/12/2026") and
               t.endswith("chưa xem xét.") for t in body5)  # fmt: skip
    assert T.PROPOSAL_PLACEHOLDER in body5 and T.ANNEX in texts
    signature = doc.tables[1]
    assert signature.cell(0, 0).paragraphs[0].text == T.RECIPIENTS
    assert signature.cell(0, 1).paragraphs[0].text == "CHÁNH VĂN PHÒNG"
    annex = doc.tables[2]
    assert [c.text for c in annex.rows[0].cells] == list(T.ANNEX_HEADER)
    got = [[c.text for c in r.cells] for r in annex.rows[1:]]
    assert len(got) == len(rows)
    for (label, _text, unit, a), row in zip(rows, got, strict=True):
        assert row[1] == label and row[2].startswith(unit)
        assert row[3] == _status(a, a.id in reported)
        assert (row[4] == T.ANNEX_NONE) == (a.id not in reported)


async def test_government_directive_gets_the_government_format(harness: Harness, admin: FakeUser) -> None:
    h = harness
    directive_id = await _scenario(h, admin, number="554/UBND-KT", issuer="UBND tỉnh Kiên Giang")
    doc = await _baocao(h, admin, f"{directive_id} tháng 11/2026")
    header = doc.tables[0]
    assert [p.text for p in header.cell(0, 1).paragraphs][:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                                  "Độc lập - Tự do - Hạnh phúc"]  # fmt: skip
    assert header.cell(0, 0).paragraphs[0].text == "UBND TỈNH KIÊN GIANG"
    assert header.cell(1, 0).text == "Số:      /BC-VP"
    assert "(Kỳ báo cáo: từ ngày 01/11/2026 đến ngày 30/11/2026)" in _texts(doc)


async def test_baocao_refusals(harness: Harness, admin: FakeUser) -> None:
    h = harness
    private = h.world.private(admin)
    await h.text(admin, private, "/baocao")
    assert "Cách dùng: /baocao" in h.last_text(private)
    await h.text(admin, private, "/baocao 99")
    assert "99" in h.last_text(private)
    member = h.world.user("Khách")
    await h.text(member, h.world.private(member), "/baocao 1")
    assert "dành cho" in h.last_text(h.world.private(member))


async def test_dondoc_report_writes_the_docx(harness: Harness, admin: FakeUser, config: Config, tmp_path: Path) -> None:
    directive_id = await _scenario(harness, admin)
    path = tmp_path / "office.yaml"
    path.write_text(yaml.safe_dump({"database_url": config.db_url(), "units": []}), encoding="utf-8")
    out = tmp_path / "bc.docx"
    code = await asyncio.to_thread(cli_main, ["report", str(directive_id), "--out", str(out), "--config", str(path)])
    assert code == 0
    assert "BÁO CÁO" in _texts(Document(str(out)))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
async def test_libreoffice_opens_it_as_a_few_a4_pages(harness: Harness, admin: FakeUser, tmp_path: Path) -> None:
    from pypdf import PdfReader

    directive_id = await _scenario(harness, admin)
    doc = await _baocao(harness, admin, str(directive_id))
    source = tmp_path / "bc.docx"
    doc.save(str(source))
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: parallel runs do not share a lock
    await asyncio.to_thread(
        subprocess.run,
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    reader = PdfReader(str(tmp_path / "bc.pdf"))
    assert 2 <= len(reader.pages) <= 6  # the body, then the annex on its own page
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    if shutil.which("pdftotext"):  # poppler keeps Vietnamese glyphs whole; pypdf's extraction splits them
        pdftotext = ["pdftotext", "-l", "1", str(tmp_path / "bc.pdf"), "-"]
        done = await asyncio.to_thread(subprocess.run, pdftotext, capture_output=True, check=True)
        first = done.stdout.decode()
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first and "BÁO CÁO" in first and re.search(r"Số\s+-BC/VPTU", first)
