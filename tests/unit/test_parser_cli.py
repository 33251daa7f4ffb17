"""`dondoc parse FILE [--json]`, run as a user would: a subprocess in a fresh directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEED_001 = REPO / "tests" / "fixtures" / "seeds" / "001_f94df6a12811f7f6.txt"


def _dondoc(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copy(REPO / "config.yaml", tmp_path / "config.yaml")
    shutil.copy(SEED_001, tmp_path / "cv1046.txt")
    return tmp_path


def test_parse_json_is_the_contract(workdir: Path) -> None:
    proc = _dondoc(workdir, "parse", "cv1046.txt", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["number"], data["kind"], data["date"]) == ("1046-CV/TU", "công văn", "2020-03-10")
    assert data["signer"] == {"name": "Đặng Tuyết Em", "title": "Phó Bí thư Thường trực"}
    assert data["monitor"]["code"] == "btg_tu"
    assert [d["label"] for d in data["duties"]] == ["1", "2", "3", "4", "5"]
    assert "Tăng cường" in proc.stdout  # ensure_ascii=False
    assert proc.stdout.startswith('{\n  "number"')  # indent 2


def test_parse_prints_a_vietnamese_summary(workdir: Path) -> None:
    proc = _dondoc(workdir, "parse", "cv1046.txt")
    assert proc.returncode == 0, proc.stderr
    assert "Số, ký hiệu: 1046-CV/TU" in proc.stdout
    assert "Chủ trì: Ban Tuyên giáo Tỉnh ủy" in proc.stdout
    assert "Đơn vị theo dõi, đôn đốc: Ban Tuyên giáo Tỉnh ủy" in proc.stdout


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("missing.txt", None, "Không tìm thấy tệp"),
        ("photo.jpg", b"\xff\xd8\xff\xe0", "Không hỗ trợ loại tệp"),
        ("scan.pdf", b"%PDF-1.4\n%%EOF\n", "Tệp bị hỏng"),
        ("empty.txt", b"   ", "không có nội dung chữ"),
    ],
)
def test_unusable_files_give_one_clear_line(workdir: Path, name: str, content: bytes | None, needle: str) -> None:
    if content is not None:
        (workdir / name).write_bytes(content)
    proc = _dondoc(workdir, "parse", name)
    assert proc.returncode == 1
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
