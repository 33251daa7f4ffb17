"""Inline-button data ("prefix|field|...") decoded strictly: anything forged or garbled gives None.

A client can send any 64 bytes as callback data, so nothing here is trusted: `int()` would accept
" 1", "+1", "1_0", "١" and numbers no database column holds. Ids are plain ASCII digits that fit
a 32-bit INTEGER, indexes are small and never negative, dates are written exactly as the bot
writes them. Pure; the handlers answer "this button is stale" on None.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

MAX_DATA_BYTES: Final = 64  # Telegram's limit on callback_data
_ID = re.compile(r"[1-9][0-9]{0,8}")  # < 2**31 - 1: fits INTEGER on SQLite and PostgreSQL
_INDEX = re.compile(r"0|[1-9][0-9]{0,3}")
_COMPACT_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
# The years vndates accepts: a forged period must not reach date arithmetic near date.max.
_MIN_YEAR, _MAX_YEAR = 1900, 2999


def fields(data: str | None, prefix: str, count: int) -> tuple[str, ...] | None:
    """The `count` fields after `prefix`, or None unless the data has exactly that shape."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_DATA_BYTES:
        return None
    parts = data.split("|")
    if len(parts) != count + 1 or parts[0] != prefix:
        return None
    return tuple(parts[1:])


def row_id(raw: str) -> int | None:
    """A database id: 1..999,999,999 written in ASCII digits without sign, spaces or leading zeros."""
    return int(raw) if _ID.fullmatch(raw) else None


def index(raw: str, size: int) -> int | None:
    """A position in a list of `size` items: 0..size-1, ASCII digits only."""
    if not _INDEX.fullmatch(raw):
        return None
    value = int(raw)
    return value if value < size else None


def compact_date(raw: str) -> date | None:
    """A day written YYYYMMDD (how the bot puts periods into buttons); None if impossible or implausible."""
    m = _COMPACT_DATE.fullmatch(raw)
    if m is None or not _MIN_YEAR <= int(m.group(1)) <= _MAX_YEAR:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
