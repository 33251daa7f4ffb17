"""Bad input, systematically: properties of every parser that reads what people type or send.

Arbitrary text (NFD, zero-width and bidi marks, emoji, huge strings) never makes the directive
parser, the reply parser, the date parsers, the document reader or the button-data decoders raise,
and what they return keeps its contract. Unicode form and invisible characters never change a result.
Example counts are fixed and derandomised, so the whole file runs in well under a minute.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from telegram import CallbackQuery, Chat, Message, Update, User

from bot.config import load_config
from bot.domain import callbacks
from bot.domain.draft import Draft, DraftDuty, EditError, apply_edit
from bot.domain.enums import ReportKind
from bot.domain.extract import ExtractError, extract_text
from bot.domain.parser import normalise_text, parse_strict
from bot.domain.replies import parse_reply
from bot.domain.textnorm import fold, nfc
from bot.domain.units import UnitDirectory
from bot.domain.vndates import ONGOING, parse_deadline
from bot.domain.vnperiods import parse_period
from bot.handlers.reports import _tap
from bot.services.summary import period_label, week_of

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = UnitDirectory.from_config(load_config(ROOT / "config.yaml").units)
CODES = {u.code for u in DIRECTORY.all()}
TODAY = date(2026, 11, 23)
PLAUSIBLE = (date(1900, 1, 1), date(2999, 12, 31))


def _settings(n: int) -> settings:
    return settings(
        max_examples=n, deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )  # fmt: skip


# --- strategies ---------------------------------------------------------------------------------

INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202a", "\u202e",
             "\u202c", "\u2066", "\u2069")  # fmt: skip
ODD = (
    *INVISIBLE, "👍", "👨‍👩‍👧‍👦", "🇻🇳", "🏳️‍🌈", "\u0301", "\u0323", "\u0309", "\u2028", "\u0085", "\x00", "\t",
    "\r\n", "\f",
    "\u00a0", "\u3000", "مرحبا", "שלום", "测试", "𝕏", "ǅ", "ß", "İ", "ﬁ", "²", "٣", "１", "%", "/", "|", "&", "<", ">",
)  # fmt: skip
VOCAB = (
    # replies
    "đã", "xong", "chưa", "hoàn thành", "hoàn tất", "đang", "thực hiện", "triển khai", "vướng", "vướng mắc",
    "khó khăn", "thiếu kinh phí", "không", "ko", "được", "xin", "gia hạn", "lùi", "đến", "ngày", "tháng", "năm",
    "quý", "tuần", "sau", "này", "cơ bản", "một phần", "đạt", "do", "vì", "?", "!", ".", ",", "%", "100%", "50%",
    "3/5", "30/6", "31/2", "1/1/0001", "31/12/9999", "thứ 6", "cuối quý", "II", "thường xuyên", "ạ", "rồi",
    # directives
    "1.", "2.", "2.1.", "II.", "III.", "- ", "a)", "Kính gửi:", "Nơi nhận:", "T/M BAN THƯỜNG VỤ", "Số 1-CV/TU",
    "Kiên Giang, ngày 31 tháng 12 năm 0001", "Sở Y tế", "Công an tỉnh", "phối hợp với", "Giao", "Đề nghị",
    "Văn phòng Tỉnh ủy theo dõi", "các đoàn thể", "**", "|", "\n", "\n\n", "./.", "BÍ THƯ", "Mai Văn Huỳnh",
    # edits and periods
    "hạn", "hạn 1", "xoá", "chủ trì", "phối hợp", "theo dõi", "chủ trì 1:", "năm 9999", "tuần trước", "tháng 13",
)  # fmt: skip
_pieces = st.one_of(st.sampled_from(VOCAB), st.sampled_from(ODD), st.text(max_size=6))
SALAD = st.lists(_pieces, max_size=40).map(" ".join)
HUGE = st.builds(lambda p, n: p * n, st.sampled_from(VOCAB + ODD), st.integers(500, 6000))
_UNITS = ("Sở Y tế", "Công an tỉnh", "Sở Nội vụ", "các đoàn thể", "Ban Tuyên giáo Tỉnh ủy", "Sở Không Có", "Ủy ban")


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Directive-shaped text: header, date, recipients, numbered items and bullets, signature, odd bits."""
    words = st.lists(st.one_of(st.sampled_from(VOCAB + _UNITS), st.sampled_from(ODD)), max_size=12).map(" ".join)
    year = draw(st.sampled_from(("0001", "1899", "2026", "2999", "3000", "9999", "٢٠٢٦", "20")))
    lines = [
        draw(st.sampled_from(("TỈNH ỦY KIÊN GIANG", "BAN THƯỜNG VỤ İSTANBUL", "", "ĐẢNG CỘNG SẢN VIỆT NAM"))),
        draw(st.sampled_from(("Số 1-CV/TU", "Số: 12-KL/TU", "Số", "Số " + "9" * 80))),
        f"{draw(st.sampled_from(('Kiên Giang', 'Hà Nội', '')))}, ngày {draw(st.integers(0, 40))} tháng "
        f"{draw(st.integers(0, 14))} năm {year}",
        draw(st.sampled_from(("CÔNG VĂN", "KẾT LUẬN", "THÔNG BÁO", "")))
        + " " + draw(st.sampled_from(("VỀ VIỆC TĂNG CƯỜNG İ", "về việc", ""))),
        "Kính gửi: " + ", ".join(draw(st.lists(st.sampled_from(_UNITS), max_size=4))),
    ]  # fmt: skip
    labels = st.sampled_from(("1.", "2.", "3.", "2.1.", "2.2.", "1.1.1.", "I.", "II.", "- ", "a) ", "99.", "0.", "1)"))
    for _ in range(draw(st.integers(0, 12))):
        lines.append(draw(labels) + " " + draw(words))
    lines += ["Văn phòng Tỉnh ủy theo dõi, đôn đốc, báo cáo.", "T/M BAN THƯỜNG VỤ", "BÍ THƯ", draw(words).upper()]
    lines += ["Nơi nhận:", "- Như trên,", "- Lưu VP."]
    text = "\n".join(draw(st.permutations(lines)) if draw(st.booleans()) else lines)
    return nfd(text) if draw(st.booleans()) else text


TEXT = st.one_of(st.text(max_size=300), SALAD, SALAD.map(lambda t: unicodedata.normalize("NFD", t)), HUGE, documents())
SHORT = st.one_of(st.text(max_size=40), st.lists(_pieces, max_size=8).map(" ".join))


@st.composite
def sprinkled(draw: st.DrawFn, base: st.SearchStrategy[str]) -> tuple[str, str]:
    """(text, the same text with invisible characters put anywhere, even between a letter and its accent)."""
    text = draw(base)
    out = list(text)
    for _ in range(draw(st.integers(1, 6))):
        out.insert(draw(st.integers(0, len(out))), draw(st.sampled_from(INVISIBLE)))
    return text, "".join(out)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def plausible(d: date) -> bool:
    return PLAUSIBLE[0] <= d <= PLAUSIBLE[1]


# --- text normalisation -------------------------------------------------------------------------


@_settings(400)
@given(sprinkled(TEXT))
def test_nfc_is_normal_idempotent_and_blind_to_form_and_invisibles(pair: tuple[str, str]) -> None:
    text, noisy = pair
    clean = nfc(text)
    assert unicodedata.is_normalized("NFC", clean)
    assert not any(ch in clean for ch in INVISIBLE)
    assert nfc(clean) == clean
    assert nfc(nfd(text)) == clean
    assert nfc(noisy) == clean  # "a\u200b\u0301" is "á", not "a" and a loose accent
    assert fold(nfd(text)) == fold(text)


# --- the directive parser -----------------------------------------------------------------------

LABEL = re.compile(r"(?:[IVX]{1,5}\.)?[1-9][0-9]?(?:\.[1-9][0-9]?){0,3}|[IVX]{1,5}")


def _clean_text(value: str | None) -> bool:
    return value is None or (unicodedata.is_normalized("NFC", value) and not any(ch in value for ch in INVISIBLE))


@_settings(250)
@given(TEXT)
def test_the_directive_parser_never_raises_and_keeps_its_contract(text: str) -> None:
    result = parse_strict(text, DIRECTORY)  # not parse_directive: its safety net would hide a bug
    json.dumps(result.to_json(), ensure_ascii=False)
    assert result.date is None or plausible(result.date), result.date
    for value in (result.number, result.kind, result.title, result.place, result.issuer):
        assert _clean_text(value), value
    seen: set[str] = set()
    for duty in result.duties:
        assert LABEL.fullmatch(duty.label), duty.label
        assert duty.label not in seen, duty.label
        assert duty.parent is None or duty.parent in seen, (duty.label, duty.parent)
        seen.add(duty.label)
        assert _clean_text(duty.text), duty.text
        codes = [u.code for u in duty.units]
        assert len(codes) == len(set(codes)) and set(codes) <= CODES
        assert all(u.role in ("lead", "support") for u in duty.units)
        assert all(set(u.suggestions) <= CODES for u in duty.unresolved)


@_settings(150)
@given(sprinkled(SALAD))
def test_the_directive_parser_ignores_unicode_form_and_invisibles(pair: tuple[str, str]) -> None:
    text, noisy = pair
    expected = parse_strict(text, DIRECTORY).to_json()
    assert parse_strict(nfd(text), DIRECTORY).to_json() == expected
    assert parse_strict(noisy, DIRECTORY).to_json() == expected


@_settings(250)
@given(TEXT)
def test_normalised_text_is_clean_text(text: str) -> None:
    out = normalise_text(text)
    assert _clean_text(out) and "\r" not in out and "\n\n\n" not in out


def _draft() -> Draft:
    draft = Draft(source_text="x", number="1-CV/TU")
    draft.duties = [
        DraftDuty("1", None, "Sở Y tế rà soát.", False, leads=["so_yte"]),
        DraftDuty("2", None, "Khác.", True),
    ]
    draft.duties.append(DraftDuty("2.1", "2", "Con.", True))
    return draft


EDIT = st.one_of(
    SHORT,
    st.tuples(st.sampled_from(("hạn", "hạn 1", "hạn 2.1", "xoá", "xoá 2", "chủ trì 1", "phối hợp 2:", "thêm chủ trì 1:",
                               "theo dõi:", "hạn 99", "bỏ 1.1.1.1")), SHORT).map(" ".join),
)  # fmt: skip


@_settings(300)
@given(EDIT)
def test_an_edit_line_is_applied_or_refused_with_a_known_reason(line: str) -> None:
    draft = _draft()
    refused: EditError | None = None
    try:
        apply_edit(draft, line, DIRECTORY, TODAY)
    except EditError as exc:
        refused = exc
    assert refused is None or refused.key in ("bad_date", "no_such_duty", "unknown_unit", "no_units", "not_understood")
    for duty in draft.duties:
        assert (
            duty.deadline is None
            or duty.deadline is ONGOING
            or (isinstance(duty.deadline, date) and plausible(duty.deadline))
        )
        assert set(duty.leads + duty.supports) <= CODES
    assert draft.monitor_code is None or draft.monitor_code in CODES


# --- documents ----------------------------------------------------------------------------------

NAMES = st.sampled_from(("a.docx", "a.pdf", "a.txt", "a.md", "a.DOCX", "a", "", "a.exe", "a.png", "a.pdf.exe"))
MAGIC = st.sampled_from((b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"MZ"))


@_settings(150)
@given(MAGIC, st.binary(max_size=2000), NAMES, st.sampled_from((None, "application/pdf", "text/plain", "x/y")))
def test_any_file_gives_text_or_a_known_refusal(magic: bytes, body: bytes, name: str, mime: str | None) -> None:
    try:
        text = extract_text(magic + body, name, mime, max_bytes=1500)
    except ExtractError as exc:
        refused: str = exc.kind
    else:
        assert text.strip() == text and text and _clean_text(text)
        return
    assert refused in ("unsupported", "too_large", "no_text", "corrupt")


# --- the reply parser ---------------------------------------------------------------------------


@_settings(500)
@given(TEXT)
def test_a_reply_is_always_classified_within_its_contract(text: str) -> None:
    reply = parse_reply(text, today=TODAY)
    assert reply.kind in (
        ReportKind.DONE,
        ReportKind.PROGRESS,
        ReportKind.BLOCKED,
        ReportKind.EXTENSION,
        ReportKind.NOTE,
    )
    assert reply.percent is None or 0 <= reply.percent <= 100
    assert reply.text == nfc(text).strip() and _clean_text(reply.text)
    assert reply.reason is None or (
        reply.reason in reply.text and reply.kind in (ReportKind.BLOCKED, ReportKind.EXTENSION)
    )
    assert reply.requested_deadline is None or (
        reply.kind is ReportKind.EXTENSION and plausible(reply.requested_deadline)
    )
    assert not reply.ambiguous or reply.kind is ReportKind.NOTE


@_settings(300)
@given(sprinkled(SALAD))
def test_a_reply_ignores_unicode_form_and_invisibles(pair: tuple[str, str]) -> None:
    text, noisy = pair
    expected = parse_reply(text, today=TODAY)
    assert parse_reply(nfd(text), today=TODAY) == expected
    assert parse_reply(noisy, today=TODAY) == expected


_BEFORE = st.lists(st.sampled_from(VOCAB + ODD), max_size=8).map(lambda w: " ".join(w) + " ")
_AFTER = st.lists(st.sampled_from(tuple(v for v in VOCAB if "?" not in v) + ODD), max_size=8).map(
    lambda w: " " + " ".join(w)
)


@_settings(400)
@given(_BEFORE, st.sampled_from(("chưa xong", "Chưa xong", "CHƯA XONG", "chưa hoàn thành", "chua xong")), _AFTER)
def test_not_yet_done_is_never_done(before: str, phrase: str, after: str) -> None:
    text = before + phrase + after
    assume("?" not in after)  # "... chưa xong?" asks; it states nothing
    assert parse_reply(text, today=TODAY).kind is not ReportKind.DONE, text


# --- dates and periods --------------------------------------------------------------------------

TODAYS = st.one_of(st.just(TODAY), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
DATE_WORDS = st.lists(
    st.one_of(st.sampled_from(VOCAB), st.integers(-1, 100_000).map(str), st.sampled_from(("/", "-", ".", " "))),
    max_size=8,
).map("".join)


@_settings(500)
@given(st.one_of(SHORT, DATE_WORDS, DATE_WORDS.map(nfd)), TODAYS)
def test_dates_and_periods_are_real_plausible_days_or_none(text: str, today: date) -> None:
    deadline = parse_deadline(text, today)
    assert deadline is None or deadline is ONGOING or (isinstance(deadline, date) and plausible(deadline))
    period = parse_period(text, today)
    if period is not None:
        start, end = period
        assert plausible(start) and plausible(end) and start <= end
        # What /summary does with it next must not fail either.
        assert period_label(start, end)
        assert week_of(start).label


@_settings(300)
@given(st.dates(min_value=PLAUSIBLE[0], max_value=PLAUSIBLE[1]))
def test_written_dates_read_back(day: date) -> None:
    for text in (
        f"{day.day}/{day.month}/{day.year}",
        f"ngày {day.day} tháng {day.month} năm {day.year}",
        day.isoformat(),
    ):
        assert parse_deadline(text, TODAY) == day, text
        assert parse_deadline(nfd(text.replace("ngày", "Ngày")), TODAY) == day, text
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    assert parse_period(f"tháng {day.month}/{day.year}", TODAY) == (first, last)


@_settings(200)
@given(st.one_of(st.integers(-5, 12_000), st.just(9999), st.just(1)).map(str), TODAYS)
def test_years_out_of_range_are_refused_not_overflowed(year: str, today: date) -> None:
    for text in (f"năm {year}", f"quý 4/{year}", f"tháng 12/{year}", f"1/1/{year} - 31/12/{year}"):
        period = parse_period(text, today)
        assert period is None or (plausible(period[0]) and plausible(period[1])), text
        deadline = parse_deadline(f"31/12/{year}", today)
        assert deadline is None or (isinstance(deadline, date) and plausible(deadline)), year


# --- button data --------------------------------------------------------------------------------

DATA = st.one_of(
    st.text(max_size=70),
    st.lists(st.one_of(st.sampled_from(("dir", "sum", "r", "w", "k", "x", "nd", "")), SHORT,
                       st.integers().map(str), st.sampled_from(("٣", "１", "+1", " 1", "1_0", "²", "0", "007"))),
             max_size=5).map("|".join),
)  # fmt: skip


@_settings(500)
@given(DATA, st.sampled_from(("dir", "sum", "r", "nd")), st.integers(0, 4))
def test_button_fields_are_exact_or_none(data: str, prefix: str, count: int) -> None:
    found = callbacks.fields(data, prefix, count)
    if found is not None:
        assert len(found) == count and all("|" not in f for f in found)
        assert "|".join((prefix, *found)) == data and len(data.encode()) <= callbacks.MAX_DATA_BYTES


@_settings(500)
@given(
    st.one_of(SHORT, st.integers().map(str), st.sampled_from(("٣", "１", "+1", " 1", "1_0", "²", "0", "007", "1\n")))
)
def test_ids_indexes_and_dates_from_buttons_are_canonical_or_none(raw: str) -> None:
    row = callbacks.row_id(raw)
    assert row is None or (1 <= row < 2**31 - 1 and str(row) == raw)
    index = callbacks.index(raw, 7)
    assert index is None or (0 <= index < 7 and str(index) == raw)
    day = callbacks.compact_date(raw)
    assert day is None or (plausible(day) and f"{day:%Y%m%d}" == raw)


@_settings(200)
@given(st.integers(1, 999_999_999), st.dates(min_value=PLAUSIBLE[0], max_value=PLAUSIBLE[1]))
def test_what_the_bot_writes_into_buttons_reads_back(row: int, day: date) -> None:
    assert callbacks.fields(f"dir|{row}|closed", "dir", 2) == (str(row), "closed")
    assert callbacks.row_id(str(row)) == row
    assert callbacks.compact_date(f"{day:%Y%m%d}") == day


_USER = User(1, "A", False)
_CHAT = Chat(-1, "group")
_MESSAGE = Message(1, datetime(2026, 1, 1, tzinfo=UTC), _CHAT, from_user=_USER)


@_settings(400)
@given(DATA, st.sampled_from(("r", "w", "k", "x")))
def test_answer_and_decision_buttons_decode_strictly(data: str, expected: str) -> None:
    """reports._tap, which every answer/decision button goes through: a tap names a plain id or nothing."""
    update = Update(1, callback_query=CallbackQuery("q", _USER, "c", message=_MESSAGE, data=data))
    tap = _tap(update, expected)
    if tap is not None:
        parts = data.split("|")
        assert len(parts) == 3 and parts[0] == expected and tap.action == parts[2]
        assert 0 <= tap.assignment_id < 10**9
