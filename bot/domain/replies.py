"""Free-text status replies from units ("đã xong", "vướng: thiếu kinh phí") classified for reminders.

Pure: `today` is passed in; nothing reads a clock or touches Telegram or the database.
Cues are matched on a length-preserving accent fold of the NFC text ("Đã xong" -> "da xong"),
so a position in the folded key is the same position in the original and the reason can be
cut from what the user typed, diacritics kept.

Conventions, where Vietnamese usage leaves a choice (the bot confirms anything ambiguous):

- Done is never guessed: "chưa / sắp / gần / sẽ / đang / cơ bản ... xong" is progress,
  "không ... xong", "chưa/không ... được", "chưa thể" are blocked, "xong chưa?" is a question
  (an ambiguous note), "để / cần / khi ... hoàn thành" is no status at all.
- A stated percent below 100 beats "xong / hoàn thành"; a bare 100% means done.
- Precedence: extension > blocked > progress > done > note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice, pairwise
from typing import Final

from bot.domain.enums import ReportKind
from bot.domain.textnorm import fold, nfc
from bot.domain.vndates import parse_deadline


@dataclass(frozen=True, slots=True)
class ParsedReply:
    kind: ReportKind  # DONE, PROGRESS, BLOCKED, EXTENSION or NOTE
    percent: int | None  # 0..100, only when stated
    text: str  # NFC, trimmed, kept whole
    requested_deadline: date | None  # EXTENSION only
    reason: str | None  # BLOCKED / EXTENSION: the difficulty, as typed
    ambiguous: bool  # a NOTE that may be a status: the bot asks with buttons


# --- length-preserving fold ---------------------------------------------------------------------
_FOLD_CACHE_MAX = 8192


class _FoldTable(dict[int, str]):
    """str.translate table folding one character at a time, so positions never shift."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = fold(ch)
        if len(out) != 1:  # spaces fold to "", 'ß' to "ss": keep one character
            low = ch.lower()
            out = low if len(low) == 1 else ch
        if len(self) < _FOLD_CACHE_MAX:  # arbitrary input must not grow the cache forever
            self[code] = out
        return out


_FOLD: Final = _FoldTable()


def _alt(*phrases: str) -> str:
    """One non-capturing alternation, longest phrase first, spaces matching any whitespace."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "(?:" + "|".join(p.replace(" ", r"\s+") for p in ordered) + ")"


# --- modality: the words just before a cue ------------------------------------------------------
_POS, _YET, _NEG, _OTHER = "pos", "yet", "neg", "other"
_WORD_MARKS: Final = {
    "da": _POS, "roi": _POS, "vua": _POS, "moi": _POS,
    "chua": _YET, "sap": _YET, "gan": _YET, "se": _YET, "dang": _YET,
    "khong": _NEG, "ko": _NEG, "kg": _NEG, "khg": _NEG, "k": _NEG, "chang": _NEG,
    "de": _OTHER, "nham": _OTHER, "can": _OTHER, "phai": _OTHER, "neu": _OTHER, "khi": _OTHER,
    "han": _OTHER, "mong": _OTHER, "muon": _OTHER,
}  # fmt: skip
_PAIR_MARKS: Final = {
    "chua the": _NEG, "khong the": _NEG,
    "du kien": _YET, "phan dau": _YET, "co gang": _YET, "chuan bi": _YET, "tien toi": _YET,
    "sap sua": _YET,
    "bao gio": _OTHER, "ke hoach": _OTHER, "muc tieu": _OTHER, "chi tieu": _OTHER,
    "yeu cau": _OTHER, "hy vong": _OTHER, "hi vong": _OTHER,
}  # fmt: skip
# "cơ bản đã hoàn thành" is still not done, whatever comes between.
_OVERRIDE_PAIRS: Final = frozenset({"co ban", "gan nhu", "buoc dau"})
_CLAUSE_BREAK = re.compile(r"[,.;:!?\n()\[\]\"“”]")
_WORD = re.compile(r"\w+")
_WINDOW = 80


def _words_before(key: str, pos: int, count: int) -> list[str]:
    start = max(0, pos - _WINDOW)
    clause = _CLAUSE_BREAK.split(key[start:pos])[-1]
    words = _WORD.findall(clause)
    if start > 0 and len(words) > count:
        words = words[1:]  # the first one may be cut in half
    return words[-count:]


def _modality(key: str, pos: int) -> str:
    """What the (up to 4) words before `pos` in the same clause say about the cue: '' if nothing."""
    words = _words_before(key, pos, 4)
    pairs = [f"{a} {b}" for a, b in pairwise(words)]
    if _OVERRIDE_PAIRS.intersection(pairs):
        return _YET
    for i in range(len(words) - 1, -1, -1):  # the nearest marker decides
        if i > 0 and (tag := _PAIR_MARKS.get(pairs[i - 1])):
            return tag
        if tag := _WORD_MARKS.get(words[i]):
            return tag
    return ""


# --- vocabularies -------------------------------------------------------------------------------
_VERBS = _alt(
    "thuc hien", "trien khai", "hoan thanh", "hoan tat", "lam", "xong", "tien hanh", "xu ly",
    "giai quyet", "thi cong", "dap ung", "bo tri", "giai ngan",
)  # fmt: skip
_PROGRESS_VERBS = _alt(
    "thuc hien", "trien khai", "lam", "tien hanh", "xu ly", "hoan thien", "hoan thanh", "chuan bi",
    "xay dung", "to chuc", "phoi hop", "tong hop", "soan", "soan thao", "ra soat", "thi cong",
    "giai quyet", "cap nhat", "tham muu", "lay y kien", "kiem tra", "tham dinh", "lap", "thu thap",
    "dieu tra", "chi dao", "day nhanh", "bo tri", "trinh", "thao go", "khac phuc", "giai ngan",
    "hoan tat", "chinh sua", "bo sung", "huong dan", "tuyen truyen", "van dong", "thanh tra", "dien",
    "nhap", "xac minh", "tiep nhan", "danh gia", "thuc thi", "cho y kien",
)  # fmt: skip
_RESOURCES = _alt(
    "kinh phi", "von", "nguon von", "nguon luc", "nhan luc", "nhan su", "can bo", "ngan sach",
    "huong dan", "mat bang", "thiet bi", "trang thiet bi", "phuong tien", "vat tu", "tai lieu",
    "ho so", "thong tin", "du lieu", "co so phap ly", "quy dinh", "chi dao", "dieu kien", "thoi gian",
)  # fmt: skip
_LACK_ALTS = (
    r"thieu\s+" + _RESOURCES,
    r"chua\s+(?:duoc\s+)?" + _alt("co", "bo tri", "cap", "phan bo", "giao", "ban hanh") + r"\s+"
    + _alt("kinh phi", "von", "nguon von", "ngan sach", "huong dan", "van ban huong dan", "mat bang"),
)  # fmt: skip
_LACK_HEADS = ("thieu", "chua")
# Every alternation below starts each branch with a letter, never with a lookbehind: then re
# skips ahead to candidate letters in C, and _scan checks the word start (5-10x faster).
_CUE = _alt(
    "vuong mac", "vuong", "kho khan", "tro ngai", "bi tac", "ach tac", "un tac", "be tac", "tac nghen",
    "bi ket", "tam dung", "tam ngung", "dinh tre", "ngung tre", *_LACK_ALTS,
)  # fmt: skip
_E = r"(?!\w)"  # word end
_NEGATORS = ("khong", "ko", "kg", "khg", "k", "chang")

# --- patterns -----------------------------------------------------------------------------------
_PERCENT = re.compile(r"(?P<int>\d{1,6})(?:[.,](?P<frac>\d{1,3}))?\s*(?:%|phan\s+tram" + _E + ")")
_COUNT_NOUNS = _alt(
    "chi tieu", "nhiem vu", "noi dung", "muc tieu", "cong viec", "viec", "hang muc", "phan viec",
    "tieu chi", "don vi", "xa", "phuong", "thon", "ho", "so", "cong trinh", "du an", "ho so",
    "danh muc", "chuong trinh",
)  # fmt: skip
# "đạt 3/5" and "3/5 chỉ tiêu" are fractions; "đến 30/6" is a date and matches neither.
_FRACTION_VERB = re.compile(
    r"(?:dat|duoc)\s+(?:(?:khoang|gan|tren|hon|duoc)\s+)?(?P<a>\d{1,4})\s*/\s*(?P<b>\d{1,4})(?![\d%/])(?!\s*[/.-]\s*\d)"
)
_FRACTION_NOUN = re.compile(r"(?P<a>\d{1,4})\s*/\s*(?P<b>\d{1,4})\s+" + _COUNT_NOUNS + _E)
_DATE_WORDS: Final = frozenset({"ngay", "den", "toi", "tu", "truoc", "han"})
_TERM = _alt("thoi han", "han", "tien do", "thoi gian")
_EXTENSION = re.compile(
    _alt(
        "gia han", r"lui\s+(?:lai\s+)?" + _alt("thoi han", "han", "tien do", "thoi gian", "ngay", "sang", "den", "toi"),
        "xin lui", "them thoi gian",
        *(verb + r"\s+" + _TERM for verb in ("dieu chinh", "keo dai", "hoan", "doi")),
    ) + _E
)  # fmt: skip
# The polite request before the keyword ("kính đề nghị cho"), so negation is looked for before it.
_REQUEST_TAIL = re.compile(
    r"(?<!\w)(?:kinh\s+)?" + _alt("xin", "de nghi", "de xuat", "kien nghi", "can", "mong", "muon")
    + r"\s+(?:(?:duoc|cho|phep)\s+){0,2}$"
)  # fmt: skip
_EXT_NEGATORS: Final = frozenset({*_NEGATORS, "chua", "duoc"})
_DONE = re.compile(
    _alt(
        "hoan thanh", "hoan tat", "xong", "da ket thuc",
        r"da\s+" + _alt("thuc hien", "trien khai", "xu ly", "giai quyet", "lam")
        + r"\s+" + _alt("day du", "toan bo", "het", "dut diem", "hoan chinh"),
    ) + _E
)  # fmt: skip
_QUESTION_AFTER = re.compile(
    r"\s*(?:(?:duoc|roi|het|xong|han|that)\s+){0,2}"
    r"(?:(?:chua|khong|ko|k|chu|nhi|hay\s+chua|hay\s+khong)(?:\s+(?:a|vay|nhi|ha|the|ta)){0,3}\s*(?:[?.!,;\n]|$)"
    r"|(?:(?:a|ha|nhi|sao|u)\s*)?\?)"
)
_PARTIAL_AFTER = re.compile(
    r"\s*(?:duoc\s+)?(?:"
    + _alt("mot phan", "phan lon", "mot so", "mot nua", "nua", "giai doan", "buoc", "dot", "co ban", "so bo")
    + _E
    + r"|\d{1,4}\s*/\s*\d{1,4}(?!\s*[/.-]\s*\d))"
)
_PROGRESS = re.compile(
    _alt("van dang", "dang", "tiep tuc") + r"\s+(?:"
    + _alt("duoc", "khan truong", "tich cuc", "tiep tuc", "gap rut", "dong thoi", "trong qua trinh")
    + r"\s+){0,2}(?:" + _PROGRESS_VERBS + r"|trong\s+qua\s+trinh)" + _E
)  # fmt: skip
_PARTIAL_WORK = re.compile(
    _alt("thuc hien", "trien khai", "lam", "xu ly", "giai quyet", "giai ngan", "dat")
    + r"\s+(?:duoc\s+)?" + _alt("mot phan", "phan lon", "mot so noi dung", "mot nua") + _E
)  # fmt: skip
_TROUBLE_RE = re.compile(_CUE + _E)
# "không có khó khăn, vướng mắc", "đã tháo gỡ được vướng mắc": the trouble word is denied.
# Only run in a window before a trouble word, so its lookbehinds cost little.
_NO_TROUBLE = re.compile(
    r"(?<!\w)(?:" + _alt(*_NEGATORS, "chua", "het") + r"\s+(?:"
    + _alt("he", "co", "gap", "phat sinh", "con", "xay ra", "bi", "thay", "ghi nhan", "gi", "su", "cac", "nhung")
    + r"\s+){0,3}|(?<!chua\s)(?<!khong\s)(?<!ko\s)(?<!duoc\s)(?<!thao\s)(?:(?:da|duoc)\s+){0,2}"
    + _alt("thao go", "giai quyet", "khac phuc", "xu ly", "go", "tranh", "vuot qua") + r"\s+(?:"
    + _alt("xong", "het", "duoc", "cac", "moi", "nhung", "dut diem", "nhieu") + r"\s+){0,2})"
    + _CUE + r"(?:\s*(?:,|va|hay|hoac|/|-)\s*" + _CUE + ")*"
)  # fmt: skip
_NO_TROUBLE_REACH = 160
# "chưa/không (thể) thực hiện (xong) (được)": blocked when it ends in "được" or has a reason.
_NOT_DONE = re.compile(
    _alt("chua", *_NEGATORS) + r"\s+(?:(?:the|kip|duoc)\s+)?" + _VERBS + r"(?:\s+(?:xong|duoc))*" + _E
)
_REFUSED_VERBS: Final = frozenset({"thuc", "trien", "hoan", "xong", "tien", "thi"})
_CANNOT = re.compile(_alt(*(w + r"\s+the" for w in ("chua", *_NEGATORS)), "khong kip", "ko kip", "k kip") + _E)
_REASON_MARK = re.compile(
    _alt("ly do", "nguyen nhan", "boi vi", "tai vi", "vi", "do", "boi")
    + r"(?!\w)(?!\s+(?:tri|pham|the|thi|dan|vay|do)(?!\w))"
)
# "đơn vị", "tiến độ", "sau đó" are no reasons; with diacritics typed, "đó", "độ", "vị" neither.
_NOT_REASON_AFTER: Final = frozenset(
    {
        "don",
        "pham",
        "dia",
        "hanh",
        "sau",
        "tai",
        "muc",
        "tien",
        "che",
        "trinh",
        "thai",
        "cap",
        "toc",
        "ban",
        "thu",
        "mat",
    }
)
_MARK_SPELLINGS: Final = frozenset({"vì", "vi", "do", "bởi", "boi"})
_LEAD = re.compile(
    r"(?:[\s:,\-–—=>]|(?<!\w)"
    + _alt("la", "ve", "do", "vi", "boi vi", "boi", "tai vi", "ly do", "nguyen nhan", "chu yeu", "nhu sau",
           "o", "tai", "sau", "mac", "la do", "do la", "vi ly do", "trong", "trong viec", "ve viec", "o khau")
    + r"(?!\w))*"
)  # fmt: skip
_TRAIL_WORDS: Final = ("kinh de nghi", "de nghi", "vi vay", "vi the", "do do", "do vay", "nen", "va", "nhung", "xin")
_SENTENCE_END = re.compile(r"[!?;\n]|\.(?=\s|$)")
_CLAUSE_END = re.compile(r"[!?;\n,]|\.(?=\s|$)")
_STATUSY = re.compile(
    _alt("hoan thanh", "hoan tat", "xong", "thuc hien", "trien khai", "tien do", "tien hanh", "gia han",
         "vuong", "kho khan", "xu ly", "giai quyet", "da lam", "lui han", "them thoi gian",
         r"dang(?!\s+(?:ky|tai|nhap|ke|bai|tin)" + _E + ")")
    + _E
)  # fmt: skip
_SHORT_STATUS: Final = frozenset({"chua", "roi", "dang"})

# Deadline search after an extension keyword.
_TOKEN = re.compile(r"\S+")
_NUMBER_WORDS: Final = frozenset({"mot", "hai", "ba", "bon", "tu", "nam", "sau", "bay", "tam", "chin", "muoi"})
_DATE_ANCHORS: Final = _NUMBER_WORDS | {
    "den", "toi", "truoc", "vao", "het", "trong", "cuoi", "ngay", "thang", "quy", "tuan", "thu",
    "chu", "cn", "mai", "hom", "thuong", "lien", "hang", "cham",
}  # fmt: skip
_DATE_CORE: Final = _NUMBER_WORDS | {
    "ngay", "thang", "quy", "nam", "tuan", "mai", "kia", "thu", "cn", "chu", "thuong", "lien", "hang",
    "hom", "cuoi", "i", "ii", "iii", "iv", "t2", "t3", "t4", "t5", "t6", "t7",
}  # fmt: skip
_BARE_UNITS: Final = frozenset({"ngay", "thang", "tuan", "quy", "nam"})
_MAX_TOKENS = 12
_MAX_SPAN = 7
_MAX_CUES = 16
_MAX_TRIES = 64  # rejected in-word hits, bounded for adversarial input
_REASON_GAP = 60


# --- helpers ------------------------------------------------------------------------------------
def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _scan(pattern: re.Pattern[str], key: str, pos: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """Matches of `pattern` that start a word, in order, without overlaps; at most _MAX_CUES."""
    end = len(key) if end is None else end
    found = tries = 0
    while found < _MAX_CUES and tries < _MAX_TRIES and (m := pattern.search(key, pos, end)) is not None:
        tries += 1
        start = m.start()
        if start and _is_word_char(key[start - 1]):
            pos = start + 1  # "xong" inside a longer word: look again just after its start
            continue
        found += 1
        yield m
        pos = max(m.end(), start + 1)


def _word_before(key: str, pos: int) -> str:
    """The word ending right before the space before `pos` ("tiến độ" -> "tien" for "do")."""
    if pos < 2 or not key[pos - 1].isspace():
        return ""
    i = pos - 1
    while i > 0 and _is_word_char(key[i - 1]) and pos - i < 16:
        i -= 1
    return key[i : pos - 1]


def _clamp(value: float) -> int:
    if value >= 100:
        return 100
    return max(0, min(99, round(value)))  # 99.6% is not done


def _percent(key: str) -> tuple[int | None, bool]:
    """The first stated percent, and whether any was seen; a 100 only hoped for ("chưa đạt 100%") is not."""
    found: list[tuple[int, int]] = []
    for m in _scan(_PERCENT, key) if "%" in key or "phan" in key else ():
        if m.start() and key[m.start() - 1] in ".,/":
            continue
        found.append((m.start(), _clamp(float(f"{m.group('int')}.{m.group('frac') or 0}"))))
    if "/" in key:
        fractions = [*_scan(_FRACTION_VERB, key)]
        fractions += [
            m
            for m in _scan(_FRACTION_NOUN, key)
            if not (m.start() and key[m.start() - 1] in "/.") and _word_before(key, m.start()) not in _DATE_WORDS
        ]
        for m in fractions:
            num, den = int(m.group("a")), int(m.group("b"))
            if den > 0 and num <= den:
                found.append((m.start("a"), _clamp(100 * num / den)))
    for pos, value in sorted(found):
        if value == 100 and _modality(key, pos) not in ("", _POS):
            continue
        return value, True
    return None, bool(found)


def _reason_marker(text: str, key: str, start: int, end: int) -> re.Match[str] | None:
    for m in _scan(_REASON_MARK, key, start, end):
        word = m.group()
        if word in ("vi", "do", "boi") and (
            text[m.start() : m.end()].lower() not in _MARK_SPELLINGS
            or _word_before(key, m.start()) in _NOT_REASON_AFTER
        ):
            continue
        return m
    return None


def _span(text: str, key: str, start: int, end: int) -> str | None:
    """text[start:end] without leading connectors ("do", "về", ":") and trailing ones ("nên", ",")."""
    lead = _LEAD.match(key, start, end)
    if lead is not None:
        start = lead.end()
    while start < end and not (key[start].isalnum() or key[start] in '("“'):
        start += 1
    changed = True
    while changed and end > start:
        changed = False
        while end > start and not (key[end - 1].isalnum() or key[end - 1] in '%)"”'):
            end -= 1
            changed = True
        for word in _TRAIL_WORDS:
            cut = end - len(word)
            if cut >= start and key.startswith(word, cut) and (cut == start or not key[cut - 1].isalnum()):
                end = cut
                changed = True
                break
    return text[start:end] or None


def _reason_after(text: str, key: str, pos: int, limit: int | None = None) -> str | None:
    end = len(key) if limit is None or limit <= pos else limit
    if stop := _SENTENCE_END.search(key, pos, end):
        end = stop.start()
    return _span(text, key, pos, end)


def _trouble(text: str, key: str, limit: int | None = None) -> tuple[bool, str | None]:
    """A difficulty that is not denied, and what it is (up to `limit` when it comes before it)."""
    for m in _scan(_TROUBLE_RE, key):
        lo = max(0, m.start() - _NO_TROUBLE_REACH)
        if any(a <= m.start() < b for a, b in (d.span() for d in islice(_NO_TROUBLE.finditer(key, lo, m.end()), 8))):
            continue
        lack = m.group().startswith(_LACK_HEADS)
        return True, _reason_after(text, key, m.start() if lack else m.end(), limit)
    return False, None


def _blocked(text: str, key: str, denied_done: int | None) -> tuple[bool, str | None]:
    after: int | None = denied_done
    for m in _scan(_NOT_DONE, key):
        end = min(len(key), m.end() + _REASON_GAP)
        if stop := _SENTENCE_END.search(key, m.end(), end):
            end = stop.start()
        if marker := _reason_marker(text, key, m.end(), end):
            return True, _reason_after(text, key, marker.end())
        words = m.group().split()
        if after is None and (words[-1] == "duoc" or (words[0] != "chua" and words[1] in _REFUSED_VERBS)):
            after = m.end()  # "chưa làm được", "không thực hiện"
    found, reason = _trouble(text, key)
    if found:
        return True, reason
    if after is None and (cannot := next(_scan(_CANNOT, key), None)) is not None:
        after = cannot.end()
    if after is None:
        return False, None
    marker = _reason_marker(text, key, after, len(key))
    return True, None if marker is None else _reason_after(text, key, marker.end())


def _extension(key: str) -> tuple[int, int] | None:
    """(start, end) of the first request for more time that is not denied ("không cần gia hạn")."""
    for m in _scan(_EXTENSION, key):
        start = m.start()
        lo = max(0, start - 40)
        if request := _REQUEST_TAIL.search(key, lo, start):
            start = request.start()
        if not _EXT_NEGATORS.intersection(_words_before(key, start, 2)):
            return start, m.end()
    return None


def _requested_deadline(text: str, key: str, start: int, today: date) -> date | None:
    """The first date phrase in the clause after the keyword; vndates does the reading."""
    end = len(key)
    if stop := _CLAUSE_END.search(key, start):
        end = stop.start()
    if marker := _reason_marker(text, key, start, end):
        end = marker.start()
    tokens = list(islice(_TOKEN.finditer(key, start, end), _MAX_TOKENS))
    words = [t.group().strip(".,:;") for t in tokens]
    core = [w[:1].isdigit() or w in _DATE_CORE for w in words]
    for i, word in enumerate(words):
        if i and word not in _DATE_ANCHORS and not core[i]:
            continue
        for j in range(min(i + _MAX_SPAN, len(words)), i, -1):
            if not any(core[i:j]):
                break  # no day, month or unit word: vndates would say no anyway
            last = words[j - 1]
            if j - i == 1 and last in _BARE_UNITS:
                continue  # "tháng" alone is not a date the unit asked for
            if last == "ngay" and not (words[j - 2][:1].isdigit() or words[j - 2] in _NUMBER_WORDS):
                continue  # "đến ngày" with the day missing would read as today
            found = parse_deadline(key[tokens[i].start() : tokens[j - 1].end()], today)
            if found is not None:
                return found if isinstance(found, date) else None  # "thường xuyên" is no date
    return None


def _extension_reason(text: str, key: str, start: int, end: int) -> str | None:
    if marker := _reason_marker(text, key, end, len(key)):
        return _reason_after(text, key, marker.end())
    if marker := _reason_marker(text, key, 0, start):  # "Do thiếu vốn, xin gia hạn ..."
        stop = _CLAUSE_END.search(key, marker.end(), start)
        return _span(text, key, marker.end(), start if stop is None else stop.start())
    found, reason = _trouble(text, key, start)  # "Vướng mặt bằng, xin gia hạn ...": stop at the request
    return reason if found else None


def _is_statusy(key: str, saw_percent: bool) -> bool:
    if saw_percent or next(_scan(_STATUSY, key), None) is not None:
        return True
    words = _WORD.findall(key[:40])
    return 0 < len(words) <= 3 and words[0] in _SHORT_STATUS  # "Rồi ạ", "Chưa ạ"


# --- entry point --------------------------------------------------------------------------------
def parse_reply(text: str, *, today: date) -> ParsedReply:
    """Classify a unit's free-text answer to a reminder; never raises."""
    clean = nfc(text).strip()
    if not clean:
        return ParsedReply(ReportKind.NOTE, None, clean, None, None, False)
    key = clean.translate(_FOLD)
    percent, saw_percent = _percent(key)

    if (ext := _extension(key)) is not None:
        deadline = _requested_deadline(clean, key, ext[1], today)
        reason = _extension_reason(clean, key, *ext)
        return ParsedReply(ReportKind.EXTENSION, percent, clean, deadline, reason, False)

    done = progress = question = False
    denied_done: int | None = None
    for m in _scan(_DONE, key):
        tag = _modality(key, m.start())
        if _QUESTION_AFTER.match(key, m.end()):
            question = True
        elif tag == _NEG:
            denied_done = m.end() if denied_done is None else denied_done
        elif tag == _YET or (tag in ("", _POS) and _PARTIAL_AFTER.match(key, m.end())):
            progress = True
        elif tag != _OTHER:
            done = True

    blocked, reason = _blocked(clean, key, denied_done)
    if blocked:
        return ParsedReply(ReportKind.BLOCKED, percent, clean, None, reason, False)
    if percent is not None and percent < 100:
        return ParsedReply(ReportKind.PROGRESS, percent, clean, None, None, False)
    progress = progress or any(next(_scan(p, key), None) is not None for p in (_PROGRESS, _PARTIAL_WORK))
    if progress:  # "đã xong khảo sát, đang thi công": not done yet; 100% of a part says little
        return ParsedReply(ReportKind.PROGRESS, None, clean, None, None, False)
    if done or percent == 100:
        return ParsedReply(ReportKind.DONE, percent, clean, None, None, False)
    return ParsedReply(ReportKind.NOTE, None, clean, None, None, question or _is_statusy(key, saw_percent))
