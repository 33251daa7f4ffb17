"""Vietnamese reporting-period phrases ("tuần này", "quý II/2026", "1/6 - 30/6") as inclusive day ranges.

Pure, like bot.domain.vndates (whose conventions it follows): `today` is passed in, never read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from bot.domain.vndates import (
    PERIOD_PREFIX,
    QUARTERS,
    N,
    Q,
    Y,
    add_months,
    clean,
    match_year,
    mk,
    monday,
    month_end,
    number,
    plausible,
    quarter_end,
    quarter_of,
    shift,
    year,
)

Period = tuple[date, date]

PeriodRule = Callable[[re.Match[str], date], Period | None]
_OFFSETS = {"nay": 0, "truoc": -1, "ngoai": -1, "sau": 1, "toi": 1}


def _month_period(year: int, month: int) -> Period | None:
    end = month_end(year, month)
    return None if end is None else (end.replace(day=1), end)


def _pd_week(m: re.Match[str], today: date) -> Period | None:
    start = shift(monday(today), 7 * _OFFSETS[m.group("o")])
    end = None if start is None else shift(start, 6)
    return None if start is None or end is None else (start, end)


def _pd_day(m: re.Match[str], today: date) -> Period | None:
    day = shift(today, -1 if m.group("o") == "qua" else 0)
    return None if day is None else (day, day)


def _pd_this_month(m: re.Match[str], today: date) -> Period | None:
    first = add_months(today.replace(day=1), _OFFSETS[m.group("o")])
    return None if first is None else _month_period(first.year, first.month)


def _pd_month(m: re.Match[str], today: date) -> Period | None:
    month, year = int(m.group("m")), match_year(m)
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    return _month_period(year, month)


def _quarter_period(year: int, quarter: int) -> Period | None:
    start, end = mk(year, quarter * 3 - 2, 1), quarter_end(year, quarter)
    return None if start is None or end is None else (start, end)


def _pd_this_quarter(m: re.Match[str], today: date) -> Period | None:
    index = today.year * 4 + quarter_of(today) - 1 + _OFFSETS[m.group("o")]
    return _quarter_period(index // 4, index % 4 + 1)


def _pd_quarter(m: re.Match[str], today: date) -> Period | None:
    quarter, year = QUARTERS[m.group("q")], match_year(m)
    if year is None:
        year = today.year if quarter <= quarter_of(today) else today.year - 1
    return _quarter_period(year, quarter)


def _pd_part_of_year(m: re.Match[str], today: date) -> Period | None:
    months = 6 if m.group("half") else number(m.group("n"))
    year = int(m.group("y")) if m.group("y") else today.year
    if not 1 <= months <= 12:
        return None
    if m.group("side") == "dau":
        start, end = mk(year, 1, 1), month_end(year, months)
    else:
        start, end = mk(year, 13 - months, 1), mk(year, 12, 31)
    return None if start is None or end is None else (start, end)


def _pd_year(m: re.Match[str], today: date) -> Period | None:
    year = int(m.group("y")) if m.group("y") else today.year + _OFFSETS[m.group("o")]
    start, end = mk(year, 1, 1), mk(year, 12, 31)
    return None if start is None or end is None else (start, end)


def _pd_range(m: re.Match[str], today: date) -> Period | None:
    d1, m1, y1 = int(m.group("d1")), int(m.group("m1")), year(m.group("y1"))
    d2, m2, y2 = int(m.group("d2")), int(m.group("m2")), year(m.group("y2"))
    if y2 is None:
        y2 = y1 if y1 is not None else today.year
    if y1 is None:
        y1 = y2 - 1 if m1 > m2 else y2  # "15/12 - 15/1/2027" crosses the new year
    start, end = mk(y1, m1, d1), mk(y2, m2, d2)
    if start is None or end is None or start > end:
        return None
    return start, end


_D1 = r"(?P<d1>\d{1,2})[/.](?P<m1>\d{1,2})(?:[/.](?P<y1>\d{4}|\d{2}))?"
_D2 = r"(?P<d2>\d{1,2})[/.](?P<m2>\d{1,2})(?:[/.](?P<y2>\d{4}|\d{2}))?"
_O = r"(?P<o>nay|truoc|sau|toi)"

_PERIOD_RULES: list[tuple[re.Pattern[str], PeriodRule]] = [
    (re.compile(r"tuan\s+" + _O), _pd_week),
    (re.compile(r"(?:ngay\s+)?hom\s+(?P<o>nay|qua)"), _pd_day),
    (re.compile(r"thang\s+" + _O), _pd_this_month),
    (re.compile(r"thang\s+(?P<m>\d{1,2})" + Y), _pd_month),
    (re.compile(r"quy\s+" + _O), _pd_this_quarter),
    (re.compile(r"quy\s+" + Q + Y), _pd_quarter),
    (
        re.compile(r"(?:" + N + r"\s+thang|(?P<half>nua))\s+(?P<side>dau|cuoi)\s+nam(?:\s+nay|\s+(?P<y>\d{4}))?"),
        _pd_part_of_year,
    ),
    (re.compile(r"nam\s+(?:(?P<y>\d{4})|(?P<o>nay|truoc|ngoai|sau|toi))"), _pd_year),
    (re.compile(r"(?:tu\s+)?(?:ngay\s+)?" + _D1 + r"\s*(?:-|den|toi)\s*(?:ngay\s+)?" + _D2), _pd_range),
]


def parse_period(text: str, today: date) -> Period | None:
    """A reporting period ("tuần này", "quý II/2026", "1/6 - 30/6/2026") as inclusive (start, end)."""
    s = PERIOD_PREFIX.sub("", clean(text))
    for pattern, rule in _PERIOD_RULES:
        if m := pattern.fullmatch(s):
            found = rule(m, today)
            return found if found is None or (plausible(found[0]) and plausible(found[1])) else None
    return None
