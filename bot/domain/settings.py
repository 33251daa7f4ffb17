"""What the domain needs to know of the configuration, as protocols: config.yaml's models fit them.

The domain never imports bot.config (that would tie pure rules to pydantic and the file format);
tests may pass any object with these attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Protocol


class QuietWindow(Protocol):
    @property
    def start(self) -> time: ...
    @property
    def end(self) -> time: ...


class ReminderSettings(Protocol):
    @property
    def day_of_week(self) -> str: ...
    @property
    def at(self) -> time: ...
    @property
    def before_deadline_days(self) -> Sequence[int]: ...
    @property
    def overdue_every_days(self) -> int: ...
    @property
    def escalate_after_days(self) -> int: ...
    @property
    def skip_weekends(self) -> bool: ...
    @property
    def skip_holidays(self) -> bool: ...
    @property
    def quiet_hours(self) -> QuietWindow: ...


class UnitSettings(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...
    @property
    def members(self) -> Sequence[str]: ...
