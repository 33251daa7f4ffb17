"""The sample directory the README points offices to is a valid import file."""

from __future__ import annotations

from pathlib import Path

from bot.services.units_csv import parse_units_csv

REPO = Path(__file__).resolve().parents[2]


def test_the_shipped_sample_csv_parses() -> None:
    rows = parse_units_csv((REPO / "docs" / "units_sample.csv").read_text(encoding="utf-8"))
    assert len(rows) >= 5
    assert "docs/units_sample.csv" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_sample_imports_into_an_office_without_the_shipped_directory(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "config.yaml").write_text("units: []\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    run = [sys.executable, "-m", "bot", "units"]
    sample = str(REPO / "docs" / "units_sample.csv")
    kw = {"cwd": tmp_path, "env": {**env, "PYTHONPATH": str(REPO)}, "capture_output": True, "text": True}
    imported = subprocess.run([*run, "import", sample], check=False, timeout=120, **kw)  # type: ignore[call-overload]
    assert imported.returncode == 0, imported.stderr
    listed = subprocess.run([*run, "list"], check=True, timeout=120, **kw)  # type: ignore[call-overload]
    assert "bcd_covid_ct — Ban Chỉ đạo phòng, chống dịch COVID-19 thành phố" in listed.stdout
