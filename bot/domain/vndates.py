"""Vietnamese deadline and reporting-period phrases turned into calendar days.

Pure: `today` (a local calendar day) is always passed in, never read from a clock.
Phrases are matched on the accent-folded, lower-cased text, so "Thứ Sáu", "thu sau" and
"THỨ SÁU" are the same. Conventions, where Vietnamese usage leaves a choice:

- A day/month without a year is the next occurrence on or after `today` (30/6 in July is
  next year's); the same for a month/quarter end ("cuối tháng 6") and a bare weekday ("thứ 6").
- "tuần sau" as a deadline is Friday of next week (the last working day); "tuần này" and
  "cuối tuần" are Friday of this week, even when that has passed (the phrase says so).
- Weeks run Monday to Sunday.
- As a reporting period, a month or quarter without a year is the latest one that has begun
  (in January, "tháng 12" is last December); half-years and "năm nay" are this year.
- Anything else, or an impossible date (31/2), gives None: the caller asks the user again.
- So does a year outside 1900..2999: a typo, not a plan ("năm 9999" would also overflow the
  day-after and week-before arithmetic every caller does near date.max / date.min).
"""

from __future__ import annotations

import calendar
import enum
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Final

from bot.domain.textnorm import fold, nfc


class Ongoing(enum.Enum):
    """'thường xuyên': a duty with no deadline."""

    ONGOING = "ongoing"

    def __repr__(self) -> str:
        return "ONGOING"


ONGOING: Final = Ongoing.ONGOING

Deadline = date | Ongoing

# Longer inputs are sentences, not phrases; refusing them keeps the regexes cheap.
_MAX_LEN = 120
_MAX_DAYS = 3660
_MIN_YEAR, _MAX_YEAR = 1900, 2999

_WORD_NUMBERS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5,
    "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
}  # fmt: skip
_WEEKDAYS = {
    "hai": 0, "2": 0, "ba": 1, "3": 1, "tu": 2, "4": 2, "nam": 3, "5": 3,
    "sau": 4, "6": 4, "bay": 5, "7": 5, "cn": 6, "chu nhat": 6,
}  # fmt: skip
QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}
_FRIDAY = 4


# --- small date helpers ------------------------------------------------------------------------
def format_date(d: date) -> str:
    """30/06/2026: the form used in Vietnamese administrative documents."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def mk(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def shift(d: date, days: int) -> date | None:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return None


def month_end(year: int, month: int) -> date | None:
    if not (1 <= month <= 12 and date.min.year <= year <= date.max.year):
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, months: int) -> date | None:
    index = d.year * 12 + d.month - 1 + months
    end = month_end(index // 12, index % 12 + 1)
    return None if end is None else end.replace(day=min(d.day, end.day))


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def year(raw: str | None) -> int | None:
    if raw is None:
        return None
    return 2000 + int(raw) if len(raw) == 2 else int(raw)


def match_year(m: re.Match[str]) -> int | None:
    """The optional year of a phrase: '/2026', '-26', ' năm 2026' or ', 2026'."""
    return year(m.group("y1") or m.group("y2"))


def _next_day_month(today: date, day: int, month: int) -> date | None:
    """The next day/month on or after today; 29/2 waits for a leap year, 31/2 never comes."""
    for year in range(today.year, today.year + 9):
        cand = mk(year, month, day)
        if cand is not None and cand >= today:
            return cand
    return None


def plausible(d: date) -> bool:
    return _MIN_YEAR <= d.year <= _MAX_YEAR


def number(raw: str) -> int:
    return _WORD_NUMBERS[raw] if raw in _WORD_NUMBERS else int(raw)


# --- text cleaning ------------------------------------------------------------------------------
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-"})
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_EDGES = re.compile(r"^[\s.,;:!?\"'“”]+|[\s.,;:!?\"'“”]+$")
_DEADLINE_PREFIX = re.compile(
    r"^(?:(?:thoi han|han chot|han|hoan thanh|xong|cham nhat(?: la)?|truoc|den het|den|toi|vao|trong)"
    r"(?![a-z0-9])[\s:,]*)+"
)
PERIOD_PREFIX = re.compile(r"^(?:(?:ky bao cao|bao cao|ky|trong|cua)(?![a-z0-9])[\s:,]*)+")


def clean(text: str) -> str:
    if len(text) > _MAX_LEN * 4:
        return ""
    s = fold(nfc(text)).translate(_DASHES)
    s = _TRAILING_PAREN.sub("", s)  # "30/6/2026 (thứ Ba)"
    s = _EDGES.sub("", s)
    return s if len(s) <= _MAX_LEN else ""


# --- deadlines ----------------------------------------------------------------------------------
Y = r"(?:\s*[/.-]\s*(?P<y1>\d{4}|\d{2})|\s*,?\s+(?:nam\s+)?(?P<y2>\d{4}))?"
Q = r"(?P<q>[1-4]|iv|iii|ii|i)"
N = r"(?P<n>\d{1,4}|" + "|".join(_WORD_NUMBERS) + ")"
_WD = r"(?P<wd>thu\s+(?:hai|ba|tu|nam|sau|bay|[2-7])|t\s?[2-7]|chu nhat|cn)"
_NEXT = r"(?:sau|toi|ke tiep|ke)"

DeadlineRule = Callable[[re.Match[str], date], Deadline | None]


def _dl_day_month(m: re.Match[str], today: date) -> date | None:
    day, month, year = int(m.group("d")), int(m.group("m")), match_year(m)
    if year is None:
        return _next_day_month(today, day, month)
    return mk(year, month, day)


def _dl_iso(m: re.Match[str], today: date) -> date | None:
    return mk(int(m.group("y")), int(m.group("m")), int(m.group("d")))


def _dl_day_only(m: re.Match[str], today: date) -> date | None:
    """'ngày 20': the next 20th on or after today."""
    day = int(m.group("d"))
    for ahead in range(0, 3):
        first = add_months(today.replace(day=1), ahead)
        cand = None if first is None else mk(first.year, first.month, day)
        if cand is not None and cand >= today:
            return cand
    return None


def _dl_month_end(m: re.Match[str], today: date) -> date | None:
    month, year = int(m.group("m")), match_year(m)
    if year is not None:
        return month_end(year, month)
    end = month_end(today.year, month)
    if end is not None and end < today:
        end = month_end(today.year + 1, month)
    return end


def _dl_this_month_end(m: re.Match[str], today: date) -> date | None:
    first = add_months(today.replace(day=1), 1 if m.group("next") else 0)
    return None if first is None else month_end(first.year, first.month)


def quarter_end(year: int, quarter: int) -> date | None:
    return month_end(year, quarter * 3)


def _dl_quarter_end(m: re.Match[str], today: date) -> date | None:
    quarter, year = QUARTERS[m.group("q")], match_year(m)
    if year is not None:
        return quarter_end(year, quarter)
    end = quarter_end(today.year, quarter)
    if end is not None and end < today:
        end = quarter_end(today.year + 1, quarter)
    return end


def _dl_this_quarter_end(m: re.Match[str], today: date) -> date | None:
    index = today.year * 4 + quarter_of(today) - 1 + (1 if m.group("next") else 0)
    return quarter_end(index // 4, index % 4 + 1)


def _dl_year_end(m: re.Match[str], today: date) -> date | None:
    groups = m.groupdict()
    if groups.get("y"):
        return mk(int(groups["y"]), 12, 31)
    return mk(today.year + (1 if groups.get("next") else 0), 12, 31)


def _weekday_index(raw: str) -> int:
    # "thu sau" / "t6" / "t 6" -> "sau" / "6"; "cn" and "chu nhat" are keys as they are.
    key = re.sub(r"^(?:thu|t)\s*", "", raw) if raw.startswith("t") else raw
    return _WEEKDAYS[key]


def _dl_weekday(m: re.Match[str], today: date) -> date | None:
    wd = _weekday_index(m.group("wd"))
    week = m.group("wk")
    if week is None:
        return shift(today, (wd - today.weekday()) % 7)  # next occurrence, today included
    offset = {"nay": 0, "truoc": -1}.get(week, 1)
    return shift(monday(today), 7 * offset + wd)


def _dl_week(m: re.Match[str], today: date) -> date | None:
    return shift(monday(today), (7 if m.group("next") else 0) + _FRIDAY)


def _dl_relative(days: int) -> DeadlineRule:
    return lambda m, today: shift(today, days)


def _dl_in_days(m: re.Match[str], today: date) -> date | None:
    days = number(m.group("n")) * {"ngay": 1, "tuan": 7}[m.group("unit")]
    return shift(today, days) if days <= _MAX_DAYS else None


def _dl_in_months(m: re.Match[str], today: date) -> date | None:
    months = number(m.group("n"))
    return add_months(today, months) if months <= 120 else None


def _dl_ongoing(m: re.Match[str], today: date) -> Ongoing:
    return ONGOING


_DEADLINE_RULES: list[tuple[re.Pattern[str], DeadlineRule]] = [
    (re.compile(r"thuong xuyen|lien tuc|hang ngay"), _dl_ongoing),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"), _dl_iso),
    (re.compile(r"(?:ngay\s+)?(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})" + Y), _dl_day_month),
    (re.compile(r"(?:ngay\s+)?(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})" + Y), _dl_day_month),
    (re.compile(r"ngay\s+(?P<d>\d{1,2})"), _dl_day_only),
    (re.compile(r"(?:cuoi\s+)?thang\s+(?P<m>\d{1,2})" + Y), _dl_month_end),
    (re.compile(r"(?:cuoi\s+thang|thang)(?:\s+nay|\s+(?P<next>" + _NEXT + "))?"), _dl_this_month_end),
    (re.compile(r"(?:cuoi\s+)?quy\s+" + Q + Y), _dl_quarter_end),
    (re.compile(r"(?:cuoi\s+quy|quy)(?:\s+nay|\s+(?P<next>" + _NEXT + "))?"), _dl_this_quarter_end),
    (re.compile(r"(?:cuoi\s+)?nam\s+(?P<y>\d{4})"), _dl_year_end),
    (re.compile(r"(?:cuoi\s+nam|nam)(?:\s+nay|\s+(?P<next>" + _NEXT + "))?"), _dl_year_end),
    (re.compile(_WD + r"(?:\s+(?:tuan\s+(?P<wk>nay|truoc|" + _NEXT + r")|nay|toi))?"), _dl_weekday),
    (re.compile(r"(?:cuoi\s+)?tuan(?:\s+nay|\s+(?P<next>" + _NEXT + "))?"), _dl_week),
    (re.compile(r"ngay\s+mai|mai"), _dl_relative(1)),
    (re.compile(r"ngay\s+kia|ngay\s+mot"), _dl_relative(2)),
    (re.compile(r"(?:ngay\s+)?hom\s+nay|ngay|ngay\s+lap\s+tuc"), _dl_relative(0)),
    (re.compile(r"(?:sau\s+)?" + N + r"\s+(?P<unit>ngay|tuan)(?:\s+(?:nua|toi))?"), _dl_in_days),
    (re.compile(r"(?:sau\s+)?" + N + r"\s+thang(?:\s+(?:nua|toi))?"), _dl_in_months),
]


def parse_deadline(text: str, today: date) -> Deadline | None:
    """A deadline phrase ("30/6", "thứ Sáu tuần sau", "cuối quý 3", "thường xuyên") as a day.

    Returns ONGOING for "thường xuyên", None when the phrase is not understood or impossible.
    """
    s = _DEADLINE_PREFIX.sub("", clean(text))
    for pattern, rule in _DEADLINE_RULES:
        if m := pattern.fullmatch(s):
            found = rule(m, today)
            return None if isinstance(found, date) and not plausible(found) else found
    return None
