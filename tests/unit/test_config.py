from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config.yaml"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = ("DONDOC_BOT_TOKEN", "DATABASE_URL", "DONDOC_DATABASE_URL", "DONDOC_CONFIG", "DONDOC_TIMEZONE")
    for key in keys:
        monkeypatch.delenv(key, raising=False)


def test_shipped_config_is_valid() -> None:
    cfg = load_config(REPO_CONFIG)
    assert cfg.timezone == "Asia/Ho_Chi_Minh"
    assert cfg.reminders.at == time(8, 0)
    assert cfg.summary.day_of_week == "fri"


def test_default_database_is_sqlite_next_to_the_config(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, "admins: [1]\n"))
    assert cfg.db_url() == f"sqlite+aiosqlite:///{tmp_path / 'data' / 'dondoc.sqlite3'}"
    assert (tmp_path / "data").is_dir()


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u:p@h/db")
    monkeypatch.setenv("DONDOC_SUMMARY__CHANNEL_ID", "-1001")
    monkeypatch.setenv("DONDOC_TIMEZONE", "Asia/Bangkok")
    cfg = load_config(_write(tmp_path, "timezone: Asia/Ho_Chi_Minh\nsummary:\n  channel_id: 5\n"))
    assert cfg.db_url() == "postgresql+asyncpg://u:p@h/db"
    assert cfg.summary.channel_id == -1001
    assert cfg.timezone == "Asia/Bangkok"


def test_token_comes_from_the_environment_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = load_config(_write(tmp_path, ""))
    with pytest.raises(ConfigError, match="DONDOC_BOT_TOKEN"):
        cfg.token()
    monkeypatch.setenv("DONDOC_BOT_TOKEN", "123:abc")
    assert load_config(_write(tmp_path, "")).token() == "123:abc"
    with pytest.raises(ConfigError, match="bot_token"):
        load_config(_write(tmp_path, "bot_token: '1:x'\n"))


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_CONFIG", str(_write(tmp_path, "admins: [42]\n")))
    assert load_config().admins == [42]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("summary:\n  at: 16:00\n", "summary.at"),
        ("summary:\n  at: '25:00'\n", "summary.at"),
        ("reminders:\n  quiet_hours:\n    start: 21:30\n", "reminders.quiet_hours.start"),
        ("timezone: Mars/Olympus\n", "timezone"),
        ("admins: [abc]\n", "admins.0"),
        ("unknown_key: 1\n", "unknown_key"),
        ("summary: [\n", "YAML"),
        ("- a\n- b\n", "bảng"),
        ("units:\n  - {code: a, name: A}\n  - {code: a, name: B}\n", "units"),
        ("units:\n  - {code: 'Bad Code', name: A}\n", "units.0.code"),
    ],
)
def test_bad_config_gives_one_line_naming_the_key(tmp_path: Path, body: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, body))
    message = str(info.value)
    assert needle in message
    assert "\n" not in message
    assert "Traceback" not in message


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="không tìm thấy"):
        load_config(tmp_path / "absent.yaml")
