"""Vietnamese deadline and period phrases, against a fixed today (Wednesday 10/06/2026)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.vndates import ONGOING, format_date, parse_deadline
from bot.domain.vnperiods import parse_period
from bot.views.common import weekday_name

TODAY = date(2026, 6, 10)  # a Wednesday; the week runs Mon 08/06 .. Sun 14/06
LATE_JULY = date(2026, 7, 20)  # a Monday, after 30/6 has passed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30/6", date(2026, 6, 30)),
        ("30/6/2026", date(2026, 6, 30)),
        ("30-6-2026", date(2026, 6, 30)),
        ("30.6.2026", date(2026, 6, 30)),
        ("30/06/26", date(2026, 6, 30)),
        ("2026-06-30", date(2026, 6, 30)),
        ("ngày 30 tháng 6 năm 2026", date(2026, 6, 30)),
        ("Ngày 30 tháng 6 năm 2026.", date(2026, 6, 30)),
        ("ngay 30 thang 6 nam 2026", date(2026, 6, 30)),
        ("30 tháng 6", date(2026, 6, 30)),
        ("cuối tháng", date(2026, 6, 30)),
        ("cuối tháng này", date(2026, 6, 30)),
        ("cuối tháng sau", date(2026, 7, 31)),
        ("cuối tháng 6", date(2026, 6, 30)),
        ("cuối tháng 2/2028", date(2028, 2, 29)),
        ("trong tháng 8", date(2026, 8, 31)),
        ("cuối quý", date(2026, 6, 30)),
        ("cuối quý 3", date(2026, 9, 30)),
        ("cuối quý III", date(2026, 9, 30)),
        ("cuối quý 1", date(2027, 3, 31)),
        ("cuối năm", date(2026, 12, 31)),
        ("CUỐI NĂM 2027", date(2027, 12, 31)),
        ("thứ Sáu tuần sau", date(2026, 6, 19)),
        ("thu sau tuan sau", date(2026, 6, 19)),
        ("thứ 6 tuần sau", date(2026, 6, 19)),
        ("T6 tuần này", date(2026, 6, 12)),
        ("t2 tuần tới", date(2026, 6, 15)),
        ("thứ Năm tuần sau", date(2026, 6, 18)),
        ("thứ bảy tuần này", date(2026, 6, 13)),
        ("chủ nhật tuần sau", date(2026, 6, 21)),
        ("CN tuần này", date(2026, 6, 14)),
        ("thứ 6", date(2026, 6, 12)),
        ("thứ tư", date(2026, 6, 10)),
        ("thứ hai", date(2026, 6, 15)),
        ("tuần sau", date(2026, 6, 19)),
        ("tuần này", date(2026, 6, 12)),
        ("ngày mai", date(2026, 6, 11)),
        ("mai", date(2026, 6, 11)),
        ("ngày kia", date(2026, 6, 12)),
        ("hôm nay", date(2026, 6, 10)),
        ("3 ngày nữa", date(2026, 6, 13)),
        ("sau 3 ngày", date(2026, 6, 13)),
        ("2 tuần nữa", date(2026, 6, 24)),
        ("hai tuần nữa", date(2026, 6, 24)),
        ("1 tháng nữa", date(2026, 7, 10)),
        ("ngày 20", date(2026, 6, 20)),
        ("ngày 5", date(2026, 7, 5)),
        ("trước 15/7", date(2026, 7, 15)),
        ("hạn: 15/7", date(2026, 7, 15)),
        ("đến ngày 15/7", date(2026, 7, 15)),
        ("Hạn chót: trước ngày 15/7/2026", date(2026, 7, 15)),
        ("30/6/2026 (thứ Ba)", date(2026, 6, 30)),
        ("  30 / 6  ", date(2026, 6, 30)),
        ("29/2", date(2028, 2, 29)),
        ("thường xuyên", ONGOING),
        ("Thường xuyên", ONGOING),
        ("thuong xuyen", ONGOING),
        # Different Unicode forms of the same letters (NFD input, old/new tone placement).
        ("th\u01b0\u01a1\u0300ng xuye\u0302n", ONGOING),
        # Impossible or not understood: the caller asks again.
        ("31/2", None),
        ("31/2/2026", None),
        ("0/6", None),
        ("30/13", None),
        ("", None),
        ("không rõ", None),
        ("tuần trước nữa", None),
        ("30/6 hoặc 15/7", None),
    ],
)
def test_parse_deadline(text: str, expected: object) -> None:
    assert parse_deadline(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30/6", date(2027, 6, 30)),  # passed this year: next year's
        ("20/7", date(2026, 7, 20)),  # today counts
        ("cuối tháng 6", date(2027, 6, 30)),
        ("cuối quý 2", date(2027, 6, 30)),
        ("thứ 2", date(2026, 7, 20)),
        ("chủ nhật", date(2026, 7, 26)),
        ("tuần sau", date(2026, 7, 31)),
    ],
)
def test_parse_deadline_rolls_forward_after_the_date_has_passed(text: str, expected: date) -> None:
    assert parse_deadline(text, LATE_JULY) == expected


def test_ongoing_is_a_singleton_not_a_date() -> None:
    result = parse_deadline("thường xuyên", TODAY)
    assert result is ONGOING and not isinstance(result, date)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("tuần này", date(2026, 6, 8), date(2026, 6, 14)),
        ("tuần trước", date(2026, 6, 1), date(2026, 6, 7)),
        ("tuần sau", date(2026, 6, 15), date(2026, 6, 21)),
        ("tháng này", date(2026, 6, 1), date(2026, 6, 30)),
        ("tháng trước", date(2026, 5, 1), date(2026, 5, 31)),
        ("tháng 6", date(2026, 6, 1), date(2026, 6, 30)),
        ("tháng 2", date(2026, 2, 1), date(2026, 2, 28)),
        ("tháng 12", date(2025, 12, 1), date(2025, 12, 31)),  # the latest December that has begun
        ("tháng 6/2026", date(2026, 6, 1), date(2026, 6, 30)),
        ("tháng 02 năm 2028", date(2028, 2, 1), date(2028, 2, 29)),
        ("quý 2", date(2026, 4, 1), date(2026, 6, 30)),
        ("quý II", date(2026, 4, 1), date(2026, 6, 30)),
        ("Quý IV", date(2025, 10, 1), date(2025, 12, 31)),
        ("quý 2/2026", date(2026, 4, 1), date(2026, 6, 30)),
        ("quý I năm 2027", date(2027, 1, 1), date(2027, 3, 31)),
        ("quý này", date(2026, 4, 1), date(2026, 6, 30)),
        ("quý trước", date(2026, 1, 1), date(2026, 3, 31)),
        ("6 tháng đầu năm", date(2026, 1, 1), date(2026, 6, 30)),
        ("6 tháng cuối năm", date(2026, 7, 1), date(2026, 12, 31)),
        ("sáu tháng đầu năm 2025", date(2025, 1, 1), date(2025, 6, 30)),
        ("9 tháng đầu năm", date(2026, 1, 1), date(2026, 9, 30)),
        ("nửa cuối năm nay", date(2026, 7, 1), date(2026, 12, 31)),
        ("năm nay", date(2026, 1, 1), date(2026, 12, 31)),
        ("năm ngoái", date(2025, 1, 1), date(2025, 12, 31)),
        ("năm 2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("01/06-30/06", date(2026, 6, 1), date(2026, 6, 30)),
        ("1/6 - 30/6/2026", date(2026, 6, 1), date(2026, 6, 30)),
        ("từ 1/6 đến 30/6", date(2026, 6, 1), date(2026, 6, 30)),
        ("15/12 – 15/1/2027", date(2026, 12, 15), date(2027, 1, 15)),
        ("kỳ báo cáo: tháng 5", date(2026, 5, 1), date(2026, 5, 31)),
    ],
)
def test_parse_period(text: str, start: date, end: date) -> None:
    assert parse_period(text, TODAY) == (start, end)


@pytest.mark.parametrize("text", ["", "tháng 13", "quý 5", "30/6-1/6", "31/2-1/3", "13 tháng đầu năm", "hôm kia"])
def test_parse_period_refuses_nonsense(text: str) -> None:
    assert parse_period(text, TODAY) is None


def test_format_date_and_weekday_name() -> None:
    assert format_date(date(2026, 6, 30)) == "30/06/2026"
    assert format_date(date(2026, 1, 5)) == "05/01/2026"
    names = [weekday_name(date(2026, 6, 8 + i)) for i in range(7)]
    assert names == ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


_WORDS = st.sampled_from(
    ["ngày", "tháng", "năm", "quý", "tuần", "thứ", "sau", "này", "trước", "cuối", "đầu", "nữa", "hạn", "đến",
     "/", "-", ".", " ", "0", "9", "31", "99", "9999", "00", "ii", "iv", "t6", "cn", "mai", "nửa", "từ"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(_WORDS, max_size=12).map(" ".join)))
def test_no_string_makes_the_parsers_raise(text: str) -> None:
    for today in (TODAY, date(1, 1, 1), date(9999, 12, 31)):
        deadline = parse_deadline(text, today)
        assert deadline is None or deadline is ONGOING or isinstance(deadline, date)
        period = parse_period(text, today)
        assert period is None or period[0] <= period[1]
