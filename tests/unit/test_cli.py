"""The command line, run as a user would: a subprocess in a fresh directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _dondoc(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    base["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copy(REPO / "config.yaml", tmp_path / "config.yaml")
    return tmp_path


def test_run_without_token_exits_with_one_clear_line(workdir: Path) -> None:
    proc = _dondoc(workdir, "run")
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines == ["Lỗi cấu hình: thiếu mã bot; hãy đặt biến môi trường DONDOC_BOT_TOKEN."]
    assert not (workdir / "data" / "dondoc.sqlite3").exists()


def test_run_with_bad_config_names_the_key(workdir: Path) -> None:
    (workdir / "bad.yaml").write_text("summary:\n  at: 16:00\n", encoding="utf-8")
    proc = _dondoc(workdir, "--config", "bad.yaml", "run", env={"DONDOC_BOT_TOKEN": "1:x"})
    assert proc.returncode == 2
    assert "summary.at" in proc.stderr and "Traceback" not in proc.stderr


def test_db_upgrade_then_check(workdir: Path) -> None:
    before = _dondoc(workdir, "check")
    assert before.returncode == 1 and "dondoc db upgrade" in before.stdout
    up = _dondoc(workdir, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    assert (workdir / "data" / "dondoc.sqlite3").exists()
    cur = _dondoc(workdir, "db", "current")
    from db.migrate import head_revision

    assert head_revision() in cur.stdout
    after = _dondoc(workdir, "check", env={"DONDOC_BOT_TOKEN": "1:x"})
    assert after.returncode == 0, after.stdout
    assert "0 lỗi" in after.stdout


def test_config_from_environment_variable(workdir: Path) -> None:
    proc = _dondoc(workdir.parent, "check", env={"DONDOC_CONFIG": str(workdir / "missing.yaml")})
    assert proc.returncode == 2
    assert "missing.yaml" in proc.stderr


def test_unreachable_database_is_one_line(workdir: Path) -> None:
    proc = _dondoc(workdir, "db", "upgrade", env={"DATABASE_URL": "postgresql+asyncpg://u@127.0.0.1:1/x"})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "Lỗi cơ sở dữ liệu" in proc.stderr
