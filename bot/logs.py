"""Logging: one line per event, key=value, so an operator can grep a lost report.

Every record carries the fields of the current `log_context` (update_id, chat_id, user_id while an
update is handled; duty and assignment where a service adds them), after `logger=`:

    2026-11-23 09:00:01,234 level=INFO logger=dondoc.app update_id=500000001 chat_id=-4100000001 update ...
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import TextIO

from telegram import Update

FORMAT = "%(asctime)s level=%(levelname)s logger=%(name)s%(context)s %(message)s"

_NONE: Mapping[str, object] = MappingProxyType({})
_fields: ContextVar[Mapping[str, object]] = ContextVar("dondoc_log_fields", default=_NONE)


@contextmanager
def log_context(*, duty: int | None = None, assignment: int | None = None, **fields: object) -> Iterator[None]:
    """Add key=value fields to every log record emitted inside the block (this task and the tasks it starts).

    Nested blocks add to the outer fields; a None value is left out.
    """
    with bound({"duty": duty, "assignment": assignment, **fields}):
        yield


@contextmanager
def bound(fields: Mapping[str, object]) -> Iterator[None]:
    """`log_context` with the fields in a mapping."""
    merged = {**_fields.get(), **{k: v for k, v in fields.items() if v is not None}}
    token = _fields.set(merged)
    try:
        yield
    finally:
        _fields.reset(token)


def current_context() -> Mapping[str, object]:
    return _fields.get()


def update_fields(update: Update) -> dict[str, object]:
    fields: dict[str, object] = {"update_id": update.update_id}
    if update.effective_chat is not None:
        fields["chat_id"] = update.effective_chat.id
    if update.effective_user is not None:
        fields["user_id"] = update.effective_user.id
    return fields


def _clean(value: object) -> str:
    # A value with a space or quote would break key=value parsing; such values are quoted.
    text = str(value)
    if not text or any(c in text for c in ' "=\n\r\t'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


class ContextFilter(logging.Filter):
    """Puts the `log_context` fields on the record: `record.context` (" k=v ...") and one attribute each."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = _fields.get()
        for key, value in fields.items():
            if not hasattr(record, key):
                setattr(record, key, value)
        record.context = "".join(f" {k}={_clean(v)}" for k, v in fields.items())
        return True


class OneLineFormatter(logging.Formatter):
    """Tracebacks and multi-line messages stay on their event's line (newlines escaped), so
    one line is one event and user text cannot forge a log line."""

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "context"):
            record.context = ""
        text = super().format(record)
        return text.replace("\r", "\\r").replace("\n", "\\n")


def make_handler(stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(OneLineFormatter(FORMAT))
    handler.addFilter(ContextFilter())
    return handler


def setup_logging(*, verbose: bool = False) -> None:
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_dondoc", False)]:
        root.removeHandler(old)
    handler = make_handler()
    handler._dondoc = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # httpx logs every long-poll request at INFO; that is noise, not an event.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # PTB's webhook server (tornado) would log every request, and every health probe.
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
