from __future__ import annotations

import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from bot import texts
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
        ("reminders:\n  day_of_week: xyz\n", "reminders.day_of_week"),
        ("reminders:\n  day_of_week: '1'\n", "reminders.day_of_week"),  # APScheduler's 0 is Monday
        ("reminders:\n  day_of_week: ''\n", "reminders.day_of_week"),
        ("summary:\n  day_of_week: abc\n", "summary.day_of_week"),
        ("summary:\n  day_of_week: mon-fri\n", "summary.day_of_week"),
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


def test_webhook_is_off_by_default_with_local_listeners(tmp_path: Path) -> None:
    wh = load_config(_write(tmp_path, "")).telegram.webhook
    assert (wh.enabled, wh.listen, wh.port, wh.url_path, wh.webhook_url) == (False, "127.0.0.1", 8080, "telegram", None)
    assert (wh.health_listen, wh.health_port) == ("127.0.0.1", 8088)


def test_shipped_config_keeps_polling() -> None:
    assert load_config(REPO_CONFIG).telegram.webhook.enabled is False


def test_webhook_switch_from_the_environment_keeps_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_TELEGRAM__WEBHOOK__ENABLED", "true")
    cfg = load_config(
        _write(tmp_path, "telegram:\n  poll_timeout: 20\n  webhook:\n    url_path: /in/tg/\n    port: 9000\n")
    )
    wh = cfg.telegram.webhook
    assert wh.enabled and wh.port == 9000 and wh.url_path == "in/tg" and cfg.telegram.poll_timeout == 20


def test_webhook_secret_comes_from_the_environment_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DONDOC_WEBHOOK_SECRET", raising=False)
    cfg = load_config(_write(tmp_path, ""))
    with pytest.raises(ConfigError, match="DONDOC_WEBHOOK_SECRET") as info:
        cfg.webhook_secret_token()
    assert "\n" not in str(info.value)
    with pytest.raises(ConfigError, match="webhook_secret"):
        load_config(_write(tmp_path, "webhook_secret: abc\n"))
    with pytest.raises(ConfigError, match=r"telegram\.webhook\.secret_token"):
        load_config(_write(tmp_path, "telegram:\n  webhook:\n    secret_token: abc\n"))
    monkeypatch.setenv("DONDOC_WEBHOOK_SECRET", " Abc-123_xyz ")
    assert load_config(_write(tmp_path, "")).webhook_secret_token() == "Abc-123_xyz"
    monkeypatch.setenv("DONDOC_WEBHOOK_SECRET", "has space")
    with pytest.raises(ConfigError, match="A-Z"):
        load_config(_write(tmp_path, "")).webhook_secret_token()


def test_webhook_needs_a_public_url(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="webhook_url"):
        load_config(_write(tmp_path, "")).webhook_public_url()
    cfg = load_config(_write(tmp_path, "telegram:\n  webhook:\n    webhook_url: https://bot.example.vn/tg\n"))
    assert cfg.webhook_public_url() == "https://bot.example.vn/tg"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("telegram:\n  webhook:\n    url_path: 'a b?c'\n", "telegram.webhook.url_path"),
        ("telegram:\n  webhook:\n    port: 70000\n", "telegram.webhook.port"),
        ("telegram:\n  webhook:\n    max_connections: 0\n", "telegram.webhook.max_connections"),
    ],
)
def test_bad_webhook_settings_name_the_key(tmp_path: Path, body: str, needle: str) -> None:
    with pytest.raises(ConfigError, match=needle.replace(".", r"\.")):
        load_config(_write(tmp_path, body))


def test_day_names_that_run_time_accepts(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, "reminders:\n  day_of_week: 'mon,thu'\nsummary:\n  day_of_week: ' Friday '\n"))
    assert cfg.reminders.day_of_week == "mon,thu"
    assert cfg.summary.day_of_week == "fri"


@pytest.mark.parametrize(
    ("env", "value", "needles"),
    [
        ("DONDOC_ADMINS", "notalist", ("DONDOC_ADMINS", "123456789,987654321")),  # neither ids nor JSON
        ("DONDOC_REMINDERS__BEFORE_DEADLINE_DAYS", "7;3", ("DONDOC_REMINDERS__BEFORE_DEADLINE_DAYS", "JSON")),
        ("DONDOC_REMINDERS__QUIET_HOURS", "zz", ("DONDOC_REMINDERS__QUIET_HOURS", "reminders.quiet_hours")),
        ("DONDOC_ADMINS", '["abc"]', ("admins.0", "DONDOC_ADMINS")),  # decoded, then fails validation
        ("DONDOC_SUMMARY__DAY_OF_WEEK", "abc", ("summary.day_of_week", "DONDOC_SUMMARY__DAY_OF_WEEK")),
    ],
)
def test_bad_environment_value_gives_one_line_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str, value: str, needles: tuple[str, ...]
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, "admins: [1]\n"))
    message = str(info.value)
    assert message.startswith("Lỗi cấu hình")
    for needle in needles:
        assert needle in message
    assert "\n" not in message
    assert info.value.__suppress_context__  # no chained traceback for the CLI to print


@pytest.mark.parametrize(
    ("value", "admins"),
    [("123,456", [123, 456]), ("123", [123]), (" 123, 456 ", [123, 456]), ("123 456", [123, 456]), ("[7, 8]", [7, 8])],
)
def test_admins_from_the_environment_as_people_write_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, admins: list[int]
) -> None:
    monkeypatch.setenv("DONDOC_ADMINS", value)
    assert load_config(_write(tmp_path, "admins: [1]\n")).admins == admins


def test_admins_as_a_comma_list_through_the_cli(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    env["DONDOC_ADMINS"] = "123,456"
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(REPO_CONFIG), "check"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "Lỗi cấu hình" not in proc.stderr + proc.stdout
    assert texts.CHECK_ADMINS.format(n=2) in proc.stdout + proc.stderr


def test_bad_environment_value_through_the_cli(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_")}
    env["DONDOC_ADMINS"] = "notalist"
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(REPO_CONFIG), "check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert "DONDOC_ADMINS" in proc.stderr


def test_require_confirmation_is_on_by_default_as_the_readme_says(tmp_path: Path) -> None:
    assert load_config(_write(tmp_path, "admins: [1]\n")).require_confirmation is True
    assert load_config(REPO_CONFIG).require_confirmation is True
    assert "With `require_confirmation` (default on)" in (REPO_CONFIG.parent / "README.md").read_text(encoding="utf-8")
