"""`dondoc demo` prints a readable transcript of the whole scripted scenario."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.demo import packaged_units, run_demo
from bot.config import load_config

ROOT = Path(__file__).resolve().parents[2]


async def test_demo_transcript_shows_every_scene() -> None:
    out = io.StringIO()
    assert await run_demo(out, config_path=str(ROOT / "config.yaml")) == 0
    text = out.getvalue()
    for expected in (
        "Lan Nguyễn Thị: /start",
        "Vai trò của anh/chị: Quản trị viên.",
        "/newdirective — Đăng ký văn bản chỉ đạo mới",
        "Xem trước — kiểm tra trước khi lưu",
        "Số, ký hiệu: 1046-CV/TU",
        "Chủ trì: Ban Tuyên giáo Tỉnh ủy, Sở Thông tin và Truyền thông, Công an tỉnh",
        "Đã lưu văn bản #1",
        "[Ban Tuyên giáo Tỉnh ủy — đầu mối] dondoc: 📌 Giao nhiệm vụ",
        "#1 1046-CV/TU",
        "Nhóm này đã được gắn với Công an tỉnh",
        "Nhóm này đã được gắn với Sở Thông tin và Truyền thông",
        "Lệnh /unbind dành cho: Quản trị viên",
        "dondoc: ⏰ Nhắc việc định kỳ",
        "(toast) Đã ghi nhận: ✅ báo hoàn thành",
        "📝 Trạng thái: báo hoàn thành (chờ Văn phòng xác nhận)",
        "Đã ghi nhận cho nhiệm vụ 4 (1046-CV/TU): ⏳ đang thực hiện, 60%",
        # The demo ends with a unit's signed PDF and the drafted báo cáo.
        "📎 Đã nhận tệp “BC-215-CAT-PA03.pdf”",
        "dondoc: 📎 bao-cao-ket-qua-vb1.docx",
        # The ongoing duty's 60% reaches the leaders' summary (it used to show only as "thường xuyên").
        "• 1046-CV/TU nv 4 — Sở Thông tin và Truyền thông: đã báo cáo ngày 30/11/2026, đạt 60%",
        "[Lan Nguyễn Thị (private)] dondoc: ⚠️ Công an tỉnh báo vướng mắc",
        "“Chưa có kinh phí in tài liệu, đã đề xuất Sở Tài chính”",
        "dondoc: ✔️ Văn phòng đã xác nhận hoàn thành nhiệm vụ 2",
        "Hết kịch bản.",
    ):
        assert expected in text, expected
    assert "(error)" not in text


@pytest.mark.parametrize("where", ["repo", "elsewhere"])
def test_demo_command_needs_no_token(tmp_path: Path, where: str) -> None:
    # "elsewhere": an installed package run from a directory with no config.yaml uses the shipped directory.
    cwd = ROOT if where == "repo" else tmp_path
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "demo"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "Đã lưu văn bản #1" in proc.stdout
    assert "Chủ trì: Ban Tuyên giáo Tỉnh ủy, Sở Thông tin và Truyền thông, Công an tỉnh" in proc.stdout
    assert proc.stderr.strip() == ""
    assert list(tmp_path.iterdir()) == []  # nothing written to the working directory


def test_shipped_demo_units_match_config_yaml() -> None:
    # bot/data/demo_units.yaml is a copy of config.yaml's directory; they must not drift apart.
    assert packaged_units() == load_config(ROOT / "config.yaml").units
