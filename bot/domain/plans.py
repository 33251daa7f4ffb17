"""Reminder plan presets a secretary picks when saving a directive.

A plan is stored as JSON on the directive (and may be overridden per duty); the reminder
dispatcher turns it into APScheduler triggers. Times are local to the configured zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PlanPreset:
    key: str
    cron: dict[str, Any] | None  # APScheduler CronTrigger fields, or None for no routine cadence
    before_days: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {"preset": self.key, "cron": self.cron, "before_days": list(self.before_days)}


PRESETS: dict[str, PlanPreset] = {
    p.key: p
    for p in (
        PlanPreset("weekly", {"day_of_week": "mon", "hour": 8, "minute": 0}, (3, 1)),
        PlanPreset("deadline", None, (7, 3, 1, 0)),
        PlanPreset("daily", {"day_of_week": "mon-fri", "hour": 8, "minute": 0}, (1, 0)),
        PlanPreset("monthly", {"day": 1, "hour": 8, "minute": 0}, (7, 1)),
    )
}
DEFAULT_PLAN = "weekly"
