"""Step 3, header fields: number, kind, title, place and date, issuer, signer, recipients (Kính gửi / Nơi nhận)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from bot.domain.parser.result import Note, ParsedDirective, Signer
from bot.domain.parser.structure import NUMBER as ITEM_NUMBER
from bot.domain.parser.vocab import KIND_CODES, KIND_WORDS
from bot.domain.textnorm import fold, nfc

DOC_NUMBER = re.compile(
    r"^\s*S[ốỐ]\s*[:.]?\s*(?P<num>\d{1,5}\s*[-/]\s*[\wĐđ]+(?:\s*[-/.]\s*[\wĐđ]+){0,4})", re.IGNORECASE
)
_NUMBER_BARE = re.compile(r"\b(\d{1,5}-(?:CV|CT|TB|KL|KH|NQ|QĐ|HD|CĐ|BC)/[A-ZĐ]{2,6}(?:/[A-ZĐ]{1,6})?)\b")
DATE = re.compile(
    r"ng[àÀ]y\s*(?P<d>\d{1,2})\s*(?:th[áÁ]ng\s*(?P<m>\d{1,2})\s*n[ăĂ]m\s*(?P<y>\d{4})"
    r"|[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4}))",
    re.IGNORECASE,
)
_PLACE_BEFORE = re.compile(r"(?P<place>(?:[^\W\d_]+\.?\s+){0,4}[^\W\d_]+)\s*,\s*$")
KINH_GUI = re.compile(r"^\s*(?:-\s*)?(?:đồng\s+)?kính\s+gửi\s*:?\s*", re.IGNORECASE)
NOI_NHAN = re.compile(r"^\s*(?:-\s*)?nơi\s+nhận\s*:?", re.IGNORECASE)
_OF_ISSUER = re.compile(r"^của\s+.{3,80}?\s+(?=về\s)", re.IGNORECASE)
_VV = re.compile(r"^\s*(?:V/v|Về việc|Trích yếu)\s*[:.]?\s*", re.IGNORECASE)
# "T/M", "T/L", "K/T", "T/UQ" and their dotted forms: who signs for whom, not the signer's own title.
_TM_LINE = re.compile(r"^\s*(?:T/M|T/L|K/T|T/UQ|TM\.?|KT\.?|TL\.?|TUQ\.?|Q\.|Q/)\s+", re.IGNORECASE)
_TM_ONLY = re.compile(r"^\s*(?:T/M|TM\.?)\s+", re.IGNORECASE)
_HEADER_SKIP: Final = ("dang cong san viet nam", "cong hoa xa hoi chu nghia viet nam", "doc lap")
_TITLE_WORDS = re.compile(
    r"\b(?:bí thư|chủ tịch|giám đốc|trưởng ban|phó|thường trực|ủy viên|uỷ viên|văn phòng|chánh|ban)\b",
    re.IGNORECASE,
)
_SIGNATURE_WINDOW = 40
_BODY_PARAGRAPH_WORDS = 20
_HEADING_WORDS = 15

# Capitalised phrases restored when an UPPERCASE line is recased.
_PROPER: Final = tuple(
    (tuple(fold(w) for w in p.split()), tuple(w[0].isupper() for w in p.split()))
    for p in str.split(
        "Tỉnh ủy;Thành ủy;Huyện ủy;Thị ủy;Đảng ủy;Ban Thường vụ;Ban Chấp hành;Bí thư;Thường trực;Chủ tịch;"
        "Giám đốc;Chánh Văn phòng;Văn phòng;Ủy ban;Ủy viên;Mặt trận Tổ quốc;Việt Nam;Đảng;Nhà nước;Chính phủ;"
        "Quốc hội;Trung ương;Bộ Chính trị;Covid;Hồ Chí Minh;Trưởng ban;Phó Trưởng ban",
        ";",
    )
)
# Words after which a place name follows: "tỉnh", "huyện", "Tỉnh ủy", "thành phố", "thị xã".
_PLACE_NOUNS: Final = {
    "tinh": None,
    "huyen": None,
    "uy": ("tinh", "huyen", "thanh", "thi"),
    "pho": ("thanh",),
    "xa": ("thi",),
}
_NOT_PLACE: Final = frozenset({"nam", "trong", "tren", "den", "ve", "va", "cua", "nay", "moi", "toi"})


def recase(text: str) -> str:
    """Sentence case for an UPPERCASE line, keeping known proper names: "PHÓ BÍ THƯ" -> "Phó Bí thư"."""
    if any(ch.islower() for ch in text):
        return text
    words = text.lower().split()
    if not words:
        return text
    keys = [fold(w) for w in words]
    upper = [False] * len(words)
    upper[0] = True
    for seq, caps in _PROPER:
        for i in range(len(keys) - len(seq) + 1):
            if tuple(keys[i : i + len(seq)]) == seq:
                for k, cap in enumerate(caps):
                    upper[i + k] = upper[i + k] or cap
    last_noun = max(
        (
            i
            for i, k in enumerate(keys)
            if k in _PLACE_NOUNS and (_PLACE_NOUNS[k] is None or (i and keys[i - 1] in (_PLACE_NOUNS[k] or ())))
        ),
        default=-1,
    )
    tail = keys[last_noun + 1 :]
    if last_noun >= 0 and 0 < len(tail) <= 3 and not any(k in _NOT_PLACE or k.isdigit() for k in tail):
        for i in range(last_noun + 1, len(words)):
            upper[i] = True  # "TỈNH ỦY KIÊN GIANG" -> "Tỉnh ủy Kiên Giang"
    # Case changes can decompose ("İ".lower() is "i" + U+0307): compose again.
    return nfc(" ".join(w[:1].upper() + w[1:] if up else w for w, up in zip(words, upper, strict=True)))


def _is_upper_line(line: str) -> bool:
    return any(ch.isalpha() for ch in line) and line.upper() == line


def _is_name(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 6 or _TITLE_WORDS.search(line):
        return False
    upper = all(w.isalpha() and w.isupper() for w in words)
    title = all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)
    return upper or title


def _is_title_line(line: str) -> bool:
    if NOI_NHAN.match(line) or line.startswith("-") or len(line.split()) > 12:
        return False
    return (
        bool(_TM_LINE.match(line))
        or (_is_upper_line(line) and not line.endswith("."))
        or (bool(_TITLE_WORDS.search(line)) and len(line.split()) <= 8 and not line.endswith((".", ",", ";")))
    )


@dataclass
class _Signature:
    start: int
    signer: Signer
    org: str | None  # "Ban Thường vụ" from "T/M BAN THƯỜNG VỤ"


def find_signature(lines: list[str], floor: int) -> _Signature | None:
    low = max(floor, len(lines) - _SIGNATURE_WINDOW)
    for i in range(len(lines) - 1, low - 1, -1):
        line = lines[i]
        if not line or not _is_name(line):
            continue
        titles: list[tuple[int, str]] = []
        j = i - 1
        while j >= low and len(titles) < 5:
            if not lines[j]:
                j -= 1
                continue
            if not _is_title_line(lines[j]) or (_is_name(lines[j]) and titles):
                break
            titles.insert(0, (j, lines[j]))
            j -= 1
        if not titles:
            continue
        own = [t for _, t in titles if not _TM_LINE.match(t)]
        org = next((_TM_ONLY.sub("", t) for _, t in titles if _TM_ONLY.match(t)), None)
        name = nfc(" ".join(w.capitalize() for w in line.split())) if line.isupper() else line
        return _Signature(
            start=titles[0][0],
            signer=Signer(name=name, title=recase(" ".join(own))),
            org=recase(org) if org else None,
        )
    return None


def qualify_issuer(org: str, header_org: str | None, folded: str) -> str:
    """ "Ban Thường vụ" + the party committee it belongs to, from the header or the body."""
    key = fold(org)
    if any(p in key for p in ("tinh uy", "thanh uy", "huyen uy", "thi uy", "dang uy", "tinh", "huyen")):
        return org
    counts: dict[str, int] = {}
    for level, label in (
        ("tinh uy", "Tỉnh ủy"),
        ("thanh uy", "Thành ủy"),
        ("huyen uy", "Huyện ủy"),
        ("thi uy", "Thị ủy"),
    ):
        counts[label] = folded.count(f"{key} {level}")
        if header_org and fold(header_org).startswith(level):
            counts[label] += 100
    best = max(counts, key=lambda k: counts[k])
    return f"{org} {best}" if counts[best] else org


def parse_date(m: re.Match[str]) -> dt.date | None:
    year = int(m.group("y") or m.group("y2"))
    if not 1900 <= year <= 2999:
        return None  # "năm 0001" is a typo, as in vndates: better "no date found" than a wrong one
    try:
        return dt.date(year, int(m.group("m") or m.group("m2")), int(m.group("d")))
    except ValueError:
        return None


def place_date(lines: list[str], header_end: int) -> tuple[str | None, re.Match[str] | None]:
    for idx, line in enumerate(lines):
        in_header = idx < header_end
        if not in_header and len(line) > 80:
            continue
        for m in DATE.finditer(line):
            before = _PLACE_BEFORE.search(line[: m.start()])
            place = None
            if before:
                words: list[str] = []
                for word in reversed(before.group("place").split()):
                    if not word[:1].isupper() or fold(word).rstrip(".") in ("so", "ngay"):
                        break
                    words.insert(0, word)
                place = " ".join(words) or None
            if place or in_header:
                return place, m
    return None, None


def header_fields(lines: list[str], header_end: int, out: ParsedDirective) -> str | None:
    """Number, kind, title from the header zone; returns the issuing organisation line, if any."""
    header = lines[:header_end]
    num_idx = None
    for idx, line in enumerate(header):
        if m := DOC_NUMBER.match(line):
            out.number = re.sub(r"\s+", "", m.group("num")).rstrip(".")
            num_idx = idx
            break
    if out.number is None:
        for idx, line in enumerate(header):
            if m := _NUMBER_BARE.search(line):
                out.number, num_idx = m.group(1), idx
                break
    if out.number:
        parts = re.split(r"[-/]", out.number)[1:]
        out.kind = next((KIND_CODES[p.upper()] for p in parts if p.upper() in KIND_CODES), None)
        if out.kind is None and re.match(r"^\d+/", out.number):
            out.kind = "công văn"  # state documents number letters as 123/UBND-VX
    title_lines: list[str] = []
    kind_idx = None
    for idx, line in enumerate(header):
        key = fold(line)
        if not _is_upper_line(line):
            continue
        for word, kind in KIND_WORDS.items():
            if key == word or key.startswith(word + " "):
                kind_idx = idx
                out.kind = out.kind or kind
                words = line.split()  # every kind word is two syllables: "KẾ HOẠCH triển khai ..."
                rest = " ".join(words[2:])
                if rest:
                    title_lines.append(rest)
                break
        if kind_idx is not None:
            break
    start = kind_idx if kind_idx is not None else num_idx
    for idx, line in enumerate(header):
        if _VV.match(line):
            title_lines, start = [_VV.sub("", line)], idx
            break
    if start is not None:
        for line in header[start + 1 :]:
            if line and (DATE.search(line) or KINH_GUI.match(line)):
                break
            if not line or DOC_NUMBER.match(line):
                if title_lines:
                    break  # the title ends at a blank line
                continue
            if fold(line).startswith(_HEADER_SKIP) or line in ("-", "*"):
                continue
            title_lines.append(line)
            if len(title_lines) > 4:
                break
    if title_lines:
        # "của Ban Thường vụ Tỉnh ủy về ...": the issuer line under CHỈ THỊ/KẾT LUẬN is not the subject
        title = _OF_ISSUER.sub("", recase(" ".join(title_lines))).strip(" .:-")
        out.title = nfc(title[:1].upper() + title[1:]) if title else None
    org = None
    stop = min(x for x in (num_idx, kind_idx, header_end) if x is not None)
    for line in header[:stop]:
        if _is_upper_line(line) and not fold(line).startswith(_HEADER_SKIP) and len(line.split()) <= 10:
            org = recase(line)
    return org


def recipient_lines(lines: list[str], start: int, end: int) -> tuple[list[str], int]:
    items: list[str] = []
    rest = KINH_GUI.sub("", lines[start]).strip()
    if rest:
        items.append(rest)
    i = start + 1
    while i < end:
        line = lines[i]
        if not line:
            if items:
                break
            i += 1
            continue
        if line.startswith("-") and len(line) < 200:
            items.append(line)
        elif items and items[-1].rstrip().endswith((",", ";")) and len(line) < 120 and not ITEM_NUMBER.match(line):
            items[-1] += " " + line
        else:
            break
        i += 1
    return [t.strip(" -+\t,;.") for t in items if t.strip(" -+\t,;.")], i


def distribution(lines: list[str], start: int) -> list[str]:
    """The "Nơi nhận" list, without "Như trên", "Lưu ..." and "(b/c)" lines."""
    result: list[str] = []
    for line in lines[start + 1 : start + 30]:
        if not line.startswith("-"):
            if result:
                break
            continue
        text = line.strip(" -+\t,;.")
        key = fold(text)
        if key.startswith(("luu", "nhu tren", "nhu kinh gui")) or "b/c" in key or "bao cao" in key:
            continue
        result.append(text)
    return result


_CLOSING_KIND = re.compile(
    r"\b(?:cong van|chi thi|ket luan|thong bao|ke hoach|nghi quyet|van ban|quy dinh|huong dan|cong dien) nay\b"
)


def closing_kind(folded: str, has_kinh_gui: bool, out: ParsedDirective) -> str | None:
    """The kind named in the body ("Công văn này …"), or công văn when only "Kính gửi" tells."""
    if m := _CLOSING_KIND.search(folded):
        kind = KIND_WORDS.get(m.group(0).rsplit(" ", 1)[0])
        if kind:
            return kind
    if has_kinh_gui:
        out.notes.append(Note.of("kind_guessed"))
        return "công văn"
    return None
