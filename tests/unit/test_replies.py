"""Free-text status replies from units, against a fixed today (Monday 23/11/2026)."""

from __future__ import annotations

import time
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.enums import ReportKind
from bot.domain.replies import ParsedReply, parse_reply
from bot.domain.textnorm import nfc

TODAY = date(2026, 11, 23)

DONE, PROGRESS, BLOCKED = ReportKind.DONE, ReportKind.PROGRESS, ReportKind.BLOCKED
EXTENSION, NOTE = ReportKind.EXTENSION, ReportKind.NOTE
KINDS = {DONE, PROGRESS, BLOCKED, EXTENSION, NOTE}

# (text, kind, percent, requested_deadline, reason, ambiguous)
CASES: list[tuple[str, ReportKind, int | None, date | None, str | None, bool]] = [
    # --- done
    ("Đã hoàn thành", DONE, None, None, None, False),
    ("da hoan thanh", DONE, None, None, None, False),
    ("ĐÃ HOÀN THÀNH.", DONE, None, None, None, False),
    ("Xong", DONE, None, None, None, False),
    ("đã xong ạ", DONE, None, None, None, False),
    ("Hoàn thành 100%", DONE, 100, None, None, False),
    ("Đã triển khai xong.", DONE, None, None, None, False),
    ("hoàn tất", DONE, None, None, None, False),
    ("100%", DONE, 100, None, None, False),
    ("đã thực hiện xong", DONE, None, None, None, False),
    ("ok xong rồi 👍", DONE, None, None, None, False),
    ("Xong rồi nhé!!!", DONE, None, None, None, False),
    ("Đơn vị đã hoàn thành nhiệm vụ, không có vướng mắc.", DONE, None, None, None, False),
    ("không có vướng mắc gì, đơn vị đã hoàn thành", DONE, None, None, None, False),
    ("Đạt 5/5 chỉ tiêu", DONE, 100, None, None, False),
    ("đã hoàn thành 120% kế hoạch", DONE, 100, None, None, False),
    ("Đã hoàn thành, đang chờ nghiệm thu", DONE, None, None, None, False),
    ("Đã hoàn thành tháo gỡ khó khăn cho doanh nghiệp", DONE, None, None, None, False),
    ("Đã xong. Không có khó khăn gì", DONE, None, None, None, False),
    # --- not done, whatever "xong" says
    ("chưa xong", PROGRESS, None, None, None, False),
    ("CHUA XONG!!!", PROGRESS, None, None, None, False),
    ("chưa hoàn thành", PROGRESS, None, None, None, False),
    ("sắp xong", PROGRESS, None, None, None, False),
    ("gần xong rồi", PROGRESS, None, None, None, False),
    ("xong 50%", PROGRESS, 50, None, None, False),
    ("chưa thực hiện xong", PROGRESS, None, None, None, False),
    ("Cơ bản đã hoàn thành", PROGRESS, None, None, None, False),
    ("Sẽ hoàn thành trước 30/6", PROGRESS, None, None, None, False),
    ("chưa hoàn thành 100%", PROGRESS, None, None, None, False),
    ("hoàn thành 99,6%", PROGRESS, 99, None, None, False),
    ("Đã hoàn thành giai đoạn 1, đang triển khai giai đoạn 2", PROGRESS, None, None, None, False),
    ("Đã xong phần thiết kế, đang thi công", PROGRESS, None, None, None, False),
    ("đã hoàn thành một phần", PROGRESS, None, None, None, False),
    # --- progress
    ("đang thực hiện 60%", PROGRESS, 60, None, None, False),
    ("Đang triển khai", PROGRESS, None, None, None, False),
    ("Đạt 3/5 chỉ tiêu", PROGRESS, 60, None, None, False),
    ("dat 3/5 chi tieu", PROGRESS, 60, None, None, False),
    ("Hoàn thành 3/5 nhiệm vụ", PROGRESS, 60, None, None, False),
    ("được 70%", PROGRESS, 70, None, None, False),
    ("đang làm", PROGRESS, None, None, None, False),
    ("dang trien khai 40%", PROGRESS, 40, None, None, False),
    ("đã triển khai một phần", PROGRESS, None, None, None, False),
    ("Tiến độ đạt 60 %", PROGRESS, 60, None, None, False),
    ("tiến độ đạt 60 phần trăm", PROGRESS, 60, None, None, False),
    ("Dạ, đơn vị đang khẩn trương thực hiện ạ 🙏", PROGRESS, None, None, None, False),
    ("Không có khó khăn, vướng mắc; đang triển khai", PROGRESS, None, None, None, False),
    ("Không vướng mắc, đang thực hiện 80%", PROGRESS, 80, None, None, False),
    ("Đã tháo gỡ được vướng mắc, đang thi công", PROGRESS, None, None, None, False),
    ("Chưa đạt 100%, mới được 80%", PROGRESS, 80, None, None, False),
    ("0%", PROGRESS, 0, None, None, False),
    # --- blocked
    ("vướng: thiếu kinh phí", BLOCKED, None, None, "thiếu kinh phí", False),
    ("Vướng mắc về giải phóng mặt bằng", BLOCKED, None, None, "giải phóng mặt bằng", False),
    ("vuong mac ve giai phong mat bang", BLOCKED, None, None, "giai phong mat bang", False),
    ("Khó khăn do thiếu nhân lực", BLOCKED, None, None, "thiếu nhân lực", False),
    ("chưa thực hiện được vì chưa có hướng dẫn", BLOCKED, None, None, "chưa có hướng dẫn", False),
    ("Gặp khó khăn do thiếu kinh phí!", BLOCKED, None, None, "thiếu kinh phí", False),
    ("bị tắc", BLOCKED, None, None, None, False),
    ("không hoàn thành được", BLOCKED, None, None, None, False),
    ("không thể hoàn thành đúng hạn vì mưa bão", BLOCKED, None, None, "mưa bão", False),
    ("chưa tháo gỡ được vướng mắc về mặt bằng", BLOCKED, None, None, "mặt bằng", False),
    ("Tiến độ chậm do thiếu vốn", BLOCKED, None, None, "thiếu vốn", False),
    ("Đang gặp khó khăn trong việc bố trí vốn", BLOCKED, None, None, "bố trí vốn", False),
    ("K xong đc vì thiếu người", BLOCKED, None, None, "thiếu người", False),
    ("Không thực hiện được do chưa có kinh phí", BLOCKED, None, None, "chưa có kinh phí", False),
    ("chưa hoàn thành vì chưa có hướng dẫn của Sở", BLOCKED, None, None, "chưa có hướng dẫn của Sở", False),
    ("thiếu kinh phí 😢", BLOCKED, None, None, "thiếu kinh phí", False),
    ("Đã hoàn thành 80% khối lượng, vướng mắc về mặt bằng", BLOCKED, 80, None, "mặt bằng", False),
    ("Chưa thể báo cáo", BLOCKED, None, None, None, False),
    # --- extension (today 23/11/2026: 30/6 without a year is next year's)
    ("xin gia hạn đến 30/6", EXTENSION, None, date(2027, 6, 30), None, False),
    ("Xin gia han den 30/6.", EXTENSION, None, date(2027, 6, 30), None, False),
    ("gia hạn 30/6", EXTENSION, None, date(2027, 6, 30), None, False),
    (
        "Đề nghị lùi thời hạn đến 15/7 vì chưa có kinh phí",
        EXTENSION,
        None,
        date(2027, 7, 15),
        "chưa có kinh phí",
        False,
    ),
    ("xin thêm thời gian đến cuối tháng", EXTENSION, None, date(2026, 11, 30), None, False),
    ("Xin gia hạn", EXTENSION, None, None, None, False),
    ("xin gia hạn thêm 10 ngày do thiếu nhân lực", EXTENSION, None, date(2026, 12, 3), "thiếu nhân lực", False),
    (
        "Do thiếu kinh phí, đơn vị xin gia hạn đến ngày 30 tháng 6.",
        EXTENSION,
        None,
        date(2027, 6, 30),
        "thiếu kinh phí",
        False,
    ),
    ("xin gia hạn đến 30/6, vướng mặt bằng", EXTENSION, None, date(2027, 6, 30), "mặt bằng", False),
    (
        "Kính đề nghị UBND tỉnh cho gia hạn đến hết ngày 31/12/2026 vì khối lượng công việc lớn.",
        EXTENSION,
        None,
        date(2026, 12, 31),
        "khối lượng công việc lớn",
        False,
    ),
    ("Đề nghị điều chỉnh thời hạn đến quý 1/2027", EXTENSION, None, date(2027, 3, 31), None, False),
    ("xin gia hạn thêm 2 tuần", EXTENSION, None, date(2026, 12, 7), None, False),
    ("Xin lùi đến 15/1", EXTENSION, None, date(2027, 1, 15), None, False),
    ("Xin gia hạn đến 30/6/2025", EXTENSION, None, date(2025, 6, 30), None, False),  # past: kept as read
    ("gia hạn thường xuyên", EXTENSION, None, None, None, False),  # ongoing is no date
    ("xin gia hạn đến ngày", EXTENSION, None, None, None, False),
    (
        "Vướng mặt bằng, xin gia hạn đến 30/6",
        EXTENSION,
        None,
        date(2027, 6, 30),
        "mặt bằng",
        False,
    ),
    ("đạt 60%, xin gia hạn đến 30/6", EXTENSION, 60, date(2027, 6, 30), None, False),
    # --- notes
    ("đã gửi báo cáo qua email", NOTE, None, None, None, False),
    ("đã nhận", NOTE, None, None, None, False),
    ("Cảm ơn!", NOTE, None, None, None, False),
    ("ok", NOTE, None, None, None, False),
    ("đã đăng tải trên cổng thông tin", NOTE, None, None, None, False),
    ("hoàn thành?", NOTE, None, None, None, True),
    ("xong chưa", NOTE, None, None, None, True),
    ("đã xong chưa ạ?", NOTE, None, None, None, True),
    ("Hoàn thành được không ạ", NOTE, None, None, None, True),
    ("thực hiện", NOTE, None, None, None, True),
    ("Đã triển khai", NOTE, None, None, None, True),
    ("Chưa thực hiện", NOTE, None, None, None, True),
    ("Rồi ạ", NOTE, None, None, None, True),
    ("Chưa ạ", NOTE, None, None, None, True),
    ("không vướng mắc", NOTE, None, None, None, True),
    ("không có khó khăn", NOTE, None, None, None, True),
    ("không gặp vướng mắc gì", NOTE, None, None, None, True),
    ("không cần gia hạn", NOTE, None, None, None, True),
    ("đã được gia hạn đến 30/6", NOTE, None, None, None, True),
    ("Khi nào xong sẽ báo cáo", NOTE, None, None, None, True),
    ("Thời hạn hoàn thành 30/6", NOTE, None, None, None, True),
    ("gần 100%", NOTE, None, None, None, True),
    ("", NOTE, None, None, None, False),
    ("   \n\t ", NOTE, None, None, None, False),
]


@pytest.mark.parametrize(("text", "kind", "percent", "deadline", "reason", "ambiguous"), CASES)
def test_table(
    text: str, kind: ReportKind, percent: int | None, deadline: date | None, reason: str | None, ambiguous: bool
) -> None:
    assert parse_reply(text, today=TODAY) == ParsedReply(kind, percent, text.strip(), deadline, reason, ambiguous)


def test_table_is_large_and_covers_every_kind() -> None:
    assert len(CASES) >= 70
    assert {case[1] for case in CASES} == KINDS


@pytest.mark.parametrize(
    ("plain", "marked"),
    [
        ("da hoan thanh", "đã hoàn thành"),
        ("chua xong", "chưa xong"),
        ("dang thuc hien 60%", "đang thực hiện 60%"),
        ("khong vuong mac", "không vướng mắc"),
        ("xin gia han den 30/6", "xin gia hạn đến 30/6"),
    ],
)
def test_accents_do_not_matter(plain: str, marked: str) -> None:
    a, b = parse_reply(plain, today=TODAY), parse_reply(marked, today=TODAY)
    assert (a.kind, a.percent, a.requested_deadline) == (b.kind, b.percent, b.requested_deadline)
    assert a.ambiguous == b.ambiguous


def test_text_is_nfc_and_trimmed_and_reason_keeps_diacritics() -> None:
    decomposed = unicodedata.normalize("NFD", "  Vướng: thiếu kinh phí  \n")
    reply = parse_reply(decomposed, today=TODAY)
    assert reply.text == "Vướng: thiếu kinh phí"
    assert reply.reason == "thiếu kinh phí"
    assert unicodedata.is_normalized("NFC", reply.reason)


def test_long_text_is_fast() -> None:
    text = ("Đơn vị đã triển khai nhiều nội dung, đang thực hiện 60% khối lượng, vướng mắc về mặt bằng. " * 25)[:2000]
    parse_reply(text, today=TODAY)  # warm the fold cache
    runs = 50
    start = time.perf_counter()
    for _ in range(runs):
        reply = parse_reply(text, today=TODAY)
    assert reply.kind is BLOCKED
    assert (time.perf_counter() - start) / runs < 0.01  # ~0.3 ms here; generous for slow CI


_WORDS = st.sampled_from(
    [
        "đã", "chưa", "không", "xong", "hoàn thành", "đang", "thực hiện", "triển khai", "vướng", "mắc",
        "khó khăn", "xin", "gia hạn", "đến", "30/6", "ngày", "tháng", "cuối", "vì", "do", "đạt", "3/5",
        "60%", "100%", "được", "một phần", "?", ",", ".", "thiếu", "kinh phí", "sắp", "gần", "lùi",
        "thời hạn", "thêm", "thời gian", "chỉ tiêu", "rồi", "ạ", "🙏", "đơn vị", "tiến độ", "0", "/",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.lists(_WORDS, max_size=16).map(" ".join)))
def test_never_raises_and_keeps_invariants(text: str) -> None:
    reply = parse_reply(text, today=TODAY)
    assert reply.kind in KINDS
    assert reply.percent is None or 0 <= reply.percent <= 100
    assert reply.text == nfc(text).strip()
    assert reply.requested_deadline is None or reply.kind is EXTENSION
    assert reply.reason is None or (reply.kind in (BLOCKED, EXTENSION) and reply.reason in reply.text)
    assert not reply.ambiguous or reply.kind is NOTE
