"""The sections of config.yaml (reminders, summary, Telegram, units): pydantic models bot.config assembles."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    field_validator,
)

from bot import texts

_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _parse_hhmm(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, bool | int):
        # YAML 1.1 reads an unquoted 18:30 as the sexagesimal integer 1110.
        raise ValueError(texts.CONFIG_UNQUOTED_TIME)
    if isinstance(value, str) and (m := _TIME_RE.match(value.strip())):
        return time(int(m.group(1)), int(m.group(2)))
    raise ValueError(texts.CONFIG_BAD_TIME)


TimeOfDay = Annotated[time, BeforeValidator(_parse_hhmm)]


class _Section(BaseModel):
    model_config = {"extra": "forbid"}


class QuietHours(_Section):
    start: TimeOfDay = time(21, 0)
    end: TimeOfDay = time(7, 0)


class ReminderDefaults(_Section):
    # Routine cadence, as APScheduler CronTrigger fields; day names, never numbers.
    day_of_week: str = "mon"
    at: TimeOfDay = time(8, 0)
    before_deadline_days: list[int] = Field(default_factory=lambda: [7, 3, 1, 0])
    overdue_every_days: int = Field(default=2, ge=1)
    escalate_after_days: int = Field(default=5, ge=0)
    # Escalate a unit that has not reported once this many days after the assignment (0: never).
    escalate_silent_after_days: int = Field(default=14, ge=0)
    recent_report_hours: int = Field(default=24, ge=0)
    skip_weekends: bool = True
    skip_holidays: bool = True
    quiet_hours: QuietHours = Field(default_factory=QuietHours)
    tick_seconds: int = Field(default=30, ge=1, le=3600)

    @field_validator("before_deadline_days")
    @classmethod
    def _non_negative(cls, v: list[int]) -> list[int]:
        if any(d < 0 for d in v):
            raise ValueError(texts.CONFIG_NEGATIVE_DAYS)
        return sorted(set(v), reverse=True)

    @field_validator("day_of_week")
    @classmethod
    def _cron_days(cls, v: str) -> str:
        # Imported here: the scheduler module is heavy and only needed when a value is given.
        from bot.domain.schedule import validate_cron

        try:
            validate_cron({"day_of_week": v}, time(0, 0))  # the check every plan goes through at run time
        except ValueError as exc:
            raise ValueError(texts.CONFIG_BAD_CRON_DAYS.format(value=v)) from exc
        return v


_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class SummarySettings(_Section):
    channel_id: int | None = None
    day_of_week: str = "fri"
    at: TimeOfDay = time(16, 0)

    @field_validator("day_of_week")
    @classmethod
    def _one_day(cls, v: str) -> str:
        name = v.strip().lower()
        if name in _FULL_DAY_NAMES:
            name = name[:3]
        if name not in _DAY_NAMES:
            raise ValueError(texts.CONFIG_BAD_DAY.format(value=v))
        return name


_URL_PATH_RE = re.compile(r"^[A-Za-z0-9_./-]*$")
# Telegram's rule for setWebhook's secret_token.
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class WebhookSettings(_Section):
    """Webhook mode: PTB's server listens here, behind a reverse proxy that terminates TLS."""

    enabled: bool = False
    listen: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    url_path: str = "telegram"
    # The public HTTPS address Telegram posts to (setWebhook); the proxy forwards it to listen:port/url_path.
    webhook_url: str | None = None
    max_connections: int = Field(default=1, ge=1, le=100)  # one at a time, in order, as polling
    # GET /health (JSON) on its own port, so the proxy can keep it private; null: no health server.
    health_listen: str = "127.0.0.1"
    health_port: int | None = Field(default=8088, ge=0, le=65535)

    @field_validator("url_path")
    @classmethod
    def _plain_path(cls, v: str) -> str:
        if not _URL_PATH_RE.match(v):
            raise ValueError(texts.CONFIG_BAD_URL_PATH)
        return v.strip("/")


class TelegramSettings(_Section):
    base_url: str | None = None
    base_file_url: str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 10.0
    poll_timeout: int = Field(default=30, ge=0, le=60)
    webhook: WebhookSettings = Field(default_factory=WebhookSettings)


class UnitConfig(_Section):
    """One entry of the unit directory."""

    code: str = Field(pattern=r"^[a-z0-9_]+$", max_length=48)
    name: str
    kind: str = "unit"
    aliases: list[str] = Field(default_factory=list)
    # For collective units: the codes (or "kind:<kind>" selectors) they expand to.
    members: list[str] = Field(default_factory=list)
