"""`dondoc units import|export|list`, run as a user would, and the CSV parser behind it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.services.units_csv import BOM, CsvUnitRow, UnitCsvError, parse_units_csv

REPO = Path(__file__).resolve().parents[2]
HEADER = "code,name,kind,aliases,members,active\n"
CONFIG = """\
timezone: "Asia/Ho_Chi_Minh"
data_dir: "data"
units:
  - code: so_tttt
    name: "Sở Thông tin và Truyền thông"
    kind: so
    aliases: ["STTTT"]
  - code: cong_an
    name: "Công an tỉnh"
    kind: llvt
"""


def _dondoc(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--config", "config.yaml", "units", *args],
        cwd=cwd, env=env, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    # Decoded by hand: text mode would turn the CSV's CRLF line ends into LF.
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


# --- the command line ---------------------------------------------------------------------------
def test_list_on_a_fresh_database_shows_the_configured_directory(workdir: Path) -> None:
    proc = _dondoc(workdir, "list")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "cong_an — Công an tỉnh [llvt]",
        "so_tttt — Sở Thông tin và Truyền thông [so]",
        "Tổng: 2 đơn vị, trong đó 0 ngừng hoạt động.",
    ]
    assert (workdir / "data" / "dondoc.sqlite3").exists()


def test_export_edit_import_round_trip(workdir: Path) -> None:
    to_stdout = _dondoc(workdir, "export")
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout.startswith(BOM + HEADER.rstrip("\n") + "\r\n")

    done = _dondoc(workdir, "export", "--out", "units.csv")
    assert done.returncode == 0, done.stderr
    assert "Đã xuất 2 đơn vị" in done.stderr
    raw = (workdir / "units.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    text = raw.decode("utf-8-sig")
    assert text == to_stdout.stdout.removeprefix(BOM)

    edited = (
        text.replace("Công an tỉnh,llvt,,,1", "Công an tỉnh Quảng Trị,llvt,CA tỉnh,,1").replace(
            "so_tttt,Sở Thông tin và Truyền thông,so,STTTT,,1", "so_tttt,Sở Thông tin và Truyền thông,so,,,0"
        )
        + 'so_yte,Sở Y tế,so,"SYT|Y tế, dân số",,1\r\n'
    )
    (workdir / "units.csv").write_text(edited, encoding="utf-8-sig", newline="")
    imported = _dondoc(workdir, "import", "units.csv")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == (
        "Đã nhập danh mục đơn vị: thêm mới 1, đổi tên 1, thêm tên gọi khác 1, cập nhật 0, "
        "ngừng hoạt động 1, hoạt động lại 0, không đổi 0."
    )

    listed = _dondoc(workdir, "list").stdout.splitlines()
    assert listed == [
        "cong_an — Công an tỉnh Quảng Trị [llvt]",
        "so_tttt — Sở Thông tin và Truyền thông [so] (ngừng hoạt động)",
        "so_yte — Sở Y tế [so]",
        "Tổng: 3 đơn vị, trong đó 1 ngừng hoạt động.",
    ]
    again = _dondoc(workdir, "export").stdout
    assert "cong_an,Công an tỉnh Quảng Trị,llvt,Công an tỉnh|CA tỉnh,,1" in again  # the old name kept
    assert '"SYT|Y tế, dân số"' in again

    # Importing the same file twice changes nothing.
    twice = _dondoc(workdir, "import", "units.csv")
    assert "không đổi 3." in twice.stdout


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("so_yte,Sở Y tế,so,,,1\ncong_an,,llvt,,,1\n", "Dòng 3: thiếu tên đơn vị"),
        ("so_yte,Sở Y tế,so,,,1\n,Sở Tài chính,so,,,1\n", "Dòng 3: thiếu mã đơn vị"),
        ("so_yte,Sở Y tế,so,,,1\nSở-TC,Sở Tài chính,so,,,1\n", "Dòng 3: Mã đơn vị “Sở-TC” không hợp lệ"),
        ("so_yte,Sở Y tế,so,,,1\nso_tc,Công an tỉnh,so,,,1\n", "Dòng 3: “Công an tỉnh” đã là tên"),
    ],
)
def test_a_bad_csv_leaves_the_database_unchanged(workdir: Path, body: str, line: str) -> None:
    before = _dondoc(workdir, "export").stdout
    (workdir / "bad.csv").write_text(HEADER + body, encoding="utf-8")
    proc = _dondoc(workdir, "import", "bad.csv")
    assert proc.returncode == 1
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Lỗi nhập danh mục đơn vị: " + line), proc.stderr
    assert lines[0].endswith("Không có thay đổi nào được ghi.") and ".." not in lines[0]
    assert _dondoc(workdir, "export").stdout == before


def test_unreadable_files_are_one_clear_line(workdir: Path) -> None:
    missing = _dondoc(workdir, "import", "missing.csv")
    assert missing.returncode == 1 and "không tìm thấy tệp missing.csv" in missing.stderr
    (workdir / "latin.csv").write_bytes(HEADER.encode() + "so_yte,Đà Nẵng\n".encode("cp1258", errors="replace"))
    latin = _dondoc(workdir, "import", "latin.csv")
    assert latin.returncode == 1 and "không phải UTF-8" in latin.stderr
    (workdir / "folder.csv").mkdir()
    folder = _dondoc(workdir, "import", "folder.csv")
    assert folder.returncode == 1 and "không đọc được tệp folder.csv" in folder.stderr
    assert "Traceback" not in missing.stderr + latin.stderr + folder.stderr
    assert not (workdir / "data" / "dondoc.sqlite3").exists()  # refused before touching the database


# --- the parser ---------------------------------------------------------------------------------
def test_parse_reads_every_column() -> None:
    text = BOM + HEADER + 'llvt,"Lực lượng  vũ trang",collective,LLVT tỉnh | LLVT,cong_an|kind:llvt,0\r\n'
    assert parse_units_csv(text) == [
        CsvUnitRow(
            line=2,
            code="llvt",
            name="Lực lượng vũ trang",
            kind="collective",
            aliases=("LLVT tỉnh", "LLVT"),
            members=("cong_an", "kind:llvt"),
            active=False,
        )
    ]


def test_parse_accepts_semicolons_missing_optional_columns_and_blank_lines() -> None:
    rows = parse_units_csv("Code;Name;Active\n\nso_yte;Sở Y tế;có\n;;\n")
    assert rows == [CsvUnitRow(line=3, code="so_yte", name="Sở Y tế", kind=None, aliases=(), members=None, active=True)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Dòng 1: tệp CSV trống"),
        ("name,kind\n", "Dòng 1: thiếu cột code"),
        ("code,name,ghi_chu\n", "Dòng 1: cột “ghi_chu” không được hỗ trợ"),
        (HEADER + "a,A,,,,1\nb,B,,,,1\na,A2,,,,1\n", "Dòng 4: mã a bị lặp lại \\(đã có ở dòng 2\\)"),
        (HEADER + "a,A,,,,maybe\n", "Dòng 2: giá trị active “maybe”"),
        (HEADER + "a,A,Loại A,,,1\n", "Dòng 2: Loại đơn vị “Loại A”"),
        (HEADER + "a,A,,,Sở Y tế,1\n", "Dòng 2: Thành viên “Sở Y tế”"),
    ],
)
def test_parse_names_the_bad_line(text: str, message: str) -> None:
    with pytest.raises(UnitCsvError, match=f"^{message}"):
        parse_units_csv(text)
