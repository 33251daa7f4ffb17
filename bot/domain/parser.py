"""Parse the text of a Vietnamese directive (công văn, chỉ thị, kết luận, thông báo, kế hoạch).

The pipeline, each step tolerant of missing parts:

1. `normalise_text`: NFC, markdown leftovers and signature noise removed, lines broken at page
   breaks joined again.
2. Header: number/symbol, kind, title, place and date, issuer; "Kính gửi" recipients; the signature
   block (T/M ..., title, name) and "Nơi nhận" are cut off the end so they are never duties.
3. Body: numbered items (1., 2., 2.1., optionally inside I./II. sections) with their "-" bullets and
   paragraphs; closing paragraphs ("Yêu cầu các cơ quan ... nghiêm túc thực hiện./.") end an item,
   and the monitor paragraph ("Giao Văn phòng Tỉnh ủy ... theo dõi ... báo cáo") is not a duty.
4. Units: the subject of an item (a list of unit names at its start, after "Giao"/"Đề nghị") leads;
   names after "phối hợp với"/"cùng với" in the same clause support. Bullets that open with units
   add leads. Collectives are expanded to their members. An item naming nobody is general: it falls
   to every recipient. A unit-like name missing from the directory is reported, never guessed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from bot import texts
from bot.domain.textnorm import fold, nfc
from bot.domain.units import TokenMention, Tokens, UnitDirectory, UnitRef

log = logging.getLogger(__name__)

Role = Literal["lead", "support"]


# --- results ------------------------------------------------------------------------------------
@dataclass
class Signer:
    name: str
    title: str


@dataclass
class DutyUnit:
    code: str
    name: str
    role: Role
    matched_text: str


@dataclass
class Unresolved:
    text: str
    suggestions: list[str]  # unit codes, best first
    role: Role = "lead"  # of the clause the name stood in; not part of the JSON contract


@dataclass
class ParsedDuty:
    label: str
    parent: str | None
    text: str
    general: bool
    units: list[DutyUnit] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)

    def leads(self) -> list[str]:
        return [u.code for u in self.units if u.role == "lead"]

    def supports(self) -> list[str]:
        return [u.code for u in self.units if u.role == "support"]


@dataclass
class Recipient:
    text: str
    units: list[UnitRef]  # as named: collectives are not expanded here


@dataclass
class Monitor:
    code: str
    name: str
    text: str


@dataclass
class ParsedDirective:
    number: str | None = None
    kind: str | None = None
    title: str | None = None
    place: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    signer: Signer | None = None
    recipients: list[Recipient] = field(default_factory=list)
    monitor: Monitor | None = None
    duties: list[ParsedDuty] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON contract of `dondoc parse --json`."""
        return {
            "number": self.number,
            "kind": self.kind,
            "title": self.title,
            "place": self.place,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
            "signer": {"name": self.signer.name, "title": self.signer.title} if self.signer else None,
            "recipients": [
                {"text": r.text, "units": [{"code": u.code, "name": u.name} for u in r.units]} for r in self.recipients
            ],
            "monitor": (
                {"code": self.monitor.code, "name": self.monitor.name, "text": self.monitor.text}
                if self.monitor
                else None
            ),
            "duties": [
                {
                    "label": d.label,
                    "parent": d.parent,
                    "text": d.text,
                    "general": d.general,
                    "units": [
                        {"code": u.code, "name": u.name, "role": u.role, "matched_text": u.matched_text}
                        for u in d.units
                    ],
                    "unresolved": [{"text": u.text, "suggestions": list(u.suggestions)} for u in d.unresolved],
                }
                for d in self.duties
            ],
            "warnings": list(self.warnings),
        }


def _split(words: str, sep: str | None = None) -> list[str]:
    return words.split(sep)


# --- 1. normalisation ---------------------------------------------------------------------------
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MD_TABLE_RULE = re.compile(r"^\|?[\s:|-]*-{3,}[\s:|-]*\|?$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_MD_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?)+")
_STAR_BULLET = re.compile(r"^\s*\*\s+(?=\S)")
_BULLET = re.compile(r"^\s*(?:[-–—•·▪●◦○■□➢➤►✓√+]|\*(?=\s))\s*(?=\S)")
_EMPH_FRAGMENT = re.compile(r"(?<=[.!?;:])\s*(?:\*{1,3}|_{1,2})[^\s*_]{1,10}(?:\*{1,3}|_{1,2})\s*$")
_ONLY_EMPH_FRAGMENT = re.compile(r"^\s*(?:\*{1,3}|_{1,2})[a-zà-ỹđ]{1,8}(?:\*{1,3}|_{1,2})\s*$")
_EMPHASIS = re.compile(r"\*+|(?<!\w)_{1,3}(?=\S)|(?<=\S)_{1,3}(?!\w)")
_JUNK_LINE = re.compile(
    r"^(?:\[[^\]\n]{0,80}\]|\(?\s*(?:đã ký|ký tên|ký, đóng dấu|ký và đóng dấu|đóng dấu|chữ ký)[^)\n]{0,40}\)?"
    r"|-?\s*\d{1,3}\s*-?|(?:trang|page)\s*\d{1,3}(?:\s*/\s*\d{1,3})?|[-_=~*.·•\s]{3,}|\*)$",
    re.IGNORECASE,
)
_TERMINAL = (".", "!", "?", ":")
_COLUMN_GAP = re.compile(r"[ \u00a0]{4,}|\t+")
_MARKER_START = re.compile(r"^(?:-|\d{1,2}(?:\.\d{1,2}){0,3}[.)/]|\d{1,2}(?:\.\d{1,2}){1,3}\s|[IVX]{1,5}[.)]|[a-zđ]\))")
# A line ending in one of these words (or a comma) continues after a page break.
_DANGLING_WORDS: Final = frozenset(
    _split(
        "va cua voi cac nhung cho trong tai den theo duoc hoac cung nhu tren duoi giua nham bang vi khi neu thi "
        "se phai khong chua rat"
    )
)
_WRAPPED_LINE_MIN = 60
# Capitalised common words open a sentence (mid-sentence capitals are proper names), so a line
# starting with one is a new paragraph even when the previous line looks wrapped.
_OPENER = re.compile(
    r"^(?:Ngày|Hôm nay|Thực hiện|Căn cứ|Để|Nhằm|Theo|Trước|Sau khi|Hiện nay|Trong|Tuy nhiên|Qua|Với|Từ|Đến nay|"
    r"Nhìn chung|Bên cạnh|Đồng thời|Mặc dù|Nhận được|Yêu cầu|Đề nghị|Giao)\b"
)
# Lines that always stand alone, whatever precedes them.
_STANDALONE = re.compile(
    r"^(?:(?:-\s*)?(?:kính gửi|nơi nhận)|số\b|T/M\b|T/L\b|K/T\b|T/UQ\b|KT\.|TL\.|TUQ\."
    r"|[^\W\d_][\w ]{0,40},\s*ngày\s*\d)",
    re.IGNORECASE,
)


def _clean_line(line: str) -> str | None:
    """One line without markdown or layout noise; None when the whole line is noise."""
    if _ONLY_EMPH_FRAGMENT.match(line):
        return None  # "*nal*": a stray fragment of a broken word
    line = _EMPH_FRAGMENT.sub("", line)
    line = _COLUMN_GAP.sub("\n", line.strip())  # two columns of a header laid side by side
    stripped = line.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        if _MD_TABLE_RULE.match(stripped):
            return None
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        line = "\n".join(c for c in cells if c)
    line = _MD_ESCAPE.sub(r"\1", line)
    line = _MD_PREFIX.sub("", line)
    line = _STAR_BULLET.sub("- ", line)
    line = _EMPHASIS.sub("", line)
    line = _BULLET.sub("- ", line) if _BULLET.match(line) else line
    line = _SPACES.sub(" ", line).strip().rstrip("\\").strip()
    if line and _JUNK_LINE.match(line):
        return None
    return line


def _last_word(line: str) -> str:
    m = re.search(r"(\w+)\W*$", line)
    return fold(m.group(1)) if m else ""


def _continues(prev: str, line: str, blank_between: bool) -> bool:
    """Is `line` the rest of the sentence `prev`, split by a page break or a wrapped PDF line?"""
    if not prev or not line or _MARKER_START.match(line) or prev.endswith(_TERMINAL) or prev.endswith("./."):
        return False
    if prev.upper() == prev:
        return False  # "CHỈ THỊ" / "của Ban Thường vụ ...": header and signature lines stand alone
    if line[0].islower():
        return True
    if line.upper() == line or _STANDALONE.match(line) or _OPENER.match(line):
        return False
    if _last_word(prev) in _DANGLING_WORDS and prev[-1].islower():
        return True  # "... của\n\nBan Thường vụ": no sentence ends on "của"
    return not blank_between and len(prev) >= _WRAPPED_LINE_MIN and (prev[-1].islower() or prev[-1] == ",")


def normalise_text(raw: str) -> str:
    """NFC text with markdown leftovers, layout noise and page-break damage repaired.

    Paragraphs are separated by one blank line at most; each non-blank line is one paragraph,
    list item, or header/signature line.
    """
    text = nfc(raw).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").replace("\v", "\n")
    out: list[str] = []
    blank = False
    for raw_line in text.split("\n"):
        cleaned = _clean_line(raw_line)
        if cleaned is None:
            continue
        for line in cleaned.split("\n"):
            if not line:
                blank = True
                continue
            prev_idx = len(out) - 1
            while prev_idx >= 0 and not out[prev_idx]:
                prev_idx -= 1
            if prev_idx >= 0 and _continues(out[prev_idx], line, blank):
                out[prev_idx] = out[prev_idx] + " " + line
                del out[prev_idx + 1 :]
            else:
                if blank and out:
                    out.append("")
                out.append(line)
            blank = False
    return "\n".join(out)


# --- vocabulary ---------------------------------------------------------------------------------
def _seqs(words: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(w.split()) for w in words.split(";"))


_KIND_WORDS: Final = {
    "cong van": "công văn", "chi thi": "chỉ thị", "thong bao": "thông báo", "ket luan": "kết luận",
    "ke hoach": "kế hoạch", "nghi quyet": "nghị quyết", "quyet dinh": "quyết định", "huong dan": "hướng dẫn",
    "cong dien": "công điện", "bao cao": "báo cáo", "quy dinh": "quy định", "chuong trinh": "chương trình",
}  # fmt: skip
_KIND_CODES: Final = {
    "CV": "công văn", "CT": "chỉ thị", "TB": "thông báo", "KL": "kết luận", "KH": "kế hoạch",
    "NQ": "nghị quyết", "QĐ": "quyết định", "QD": "quyết định", "HD": "hướng dẫn", "CĐ": "công điện",
    "BC": "báo cáo", "QĐI": "quy định", "CTR": "chương trình",
}  # fmt: skip

# Words that open the subject of a duty without being part of it.
_PREFIXES: Final = _seqs("giao;giao cho;de nghi;yeu cau;doi voi;rieng;ve phia;dong thoi;trong do;tren co so do")
# Bodies that are named but never assigned: the issuer and central bodies.
_NON_ASSIGNEES: Final = _seqs(
    "ban thuong vu tinh uy;thuong truc tinh uy;ban chap hanh dang bo tinh;tinh uy;ban bi thu;bo chinh tri;"
    "ban chap hanh trung uong;chinh phu;thu tuong chinh phu;thu tuong;quoc hoi;trung uong;ban thuong vu;"
    "thuong truc;ban chi dao quoc gia"
)
_ASSIGN_VERBS: Final = _seqs("giao;de nghi;yeu cau;chi dao")
# Heads of unit names: a capitalised head followed by a name is "unit-like".
_UNIT_HEADS: Final = _seqs(
    "so;ban;uy ban;dang uy;dang doan;huyen uy;thanh uy;thi uy;hoi;hoi dong;lien doan;lien hiep;lien minh;cong an;"
    "bo chi huy;bo doi;van phong;trung tam;bao;dai;tinh doan;doan;cuc;chi cuc;kho bac;ngan hang;truong;"
    "benh vien;vien;thanh tra;bao hiem;toa an;cong ty;chi nhanh"
)
# Openers of generic groups ("các cơ quan liên quan", "chính quyền địa phương") in a unit list.
_GENERIC_HEADS: Final = _seqs(
    "cac;moi;nhung;toan;co quan;don vi;dia phuong;chinh quyen;luc luong;nganh;cap uy;cap;nguoi dung dau;"
    "thu truong;bi thu;can bo;dang vien;chi bo;doanh nghiep;nhan dan;tap the;to chuc dang"
)
# Lower-case words that start the predicate: a unit list or an unknown name ends here.
# Multi-word only where a single folded syllable is ambiguous ("dang": đang/đảng, "co": có/cơ).
_STOPS: Final = _seqs(
    "chu tri;phoi hop;chi dao;lanh dao;tang cuong;tiep tuc;tap trung;thuc hien;to chuc;trien khai;co trach nhiem;"
    "chiu trach nhiem;khan truong;huong dan;ra soat;xay dung;theo doi;nghien cuu;tham muu;day manh;quan triet;"
    "kiem tra;chu dong;thuong xuyen;nam tinh hinh;nam chac;nam bat;lam tot;bao dam;dam bao;giup;ban hanh;"
    "bao cao;de xuat;truc tiep;can phai;quan ly;van dong;tuyen truyen;phat huy;nang cao;kip thoi;xu ly;tong hop;"
    "dong thoi;nghiem tuc;chuan bi;bo tri;dieu tra;giam sat;phan cong;tiep nhan;cung cap;ho tro;tao dieu kien;"
    "uu tien;hoan thanh;trinh;tham gia;vao cuoc;dinh ky;tap huan;cung voi;ket hop;sau khi;nham;tuyet doi;"
    "kien quyet;quyet liet;bam sat;chap hanh;huy dong;phu trach;dieu hanh;xac dinh;danh gia;so ket;tong ket;"
    "lam ro;nhat la;dac biet;trong do;bao gom;thong qua;khong de;khong duoc;phai;can tap trung;can chu dong"
)
_QUALIFIERS: Final = _seqs(
    "cac cap;cap tinh;tinh;trong tinh;co lien quan;lien quan;va tuong duong;tuong duong;cua tinh;chuc nang"
)
_SUPPORT_TRIGGERS: Final = _seqs("phoi hop;cung voi;ket hop voi;phoi ket hop voi")
_SUPPORT_FILLERS: Final = frozenset({"chat", "che", "voi", "cung", "cua", "giua", "su", "thuong", "xuyen"})


def _index(seqs: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for seq in seqs:
        by_first.setdefault(seq[0], []).append(seq)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_first.items()}


_PREFIX_IX: Final = _index(_PREFIXES)
_NON_ASSIGNEE_IX: Final = _index(_NON_ASSIGNEES)
_UNIT_HEAD_IX: Final = _index(_UNIT_HEADS)
_GENERIC_IX: Final = _index(_GENERIC_HEADS)
_STOP_IX: Final = _index(_STOPS)
_QUALIFIER_IX: Final = _index(_QUALIFIERS)
_TRIGGER_IX: Final = _index(_SUPPORT_TRIGGERS)
_ASSIGN_VERBS_IX: Final = _index(_ASSIGN_VERBS)


def _match_any(tokens: Tokens, i: int, ix: dict[str, tuple[tuple[str, ...], ...]]) -> int:
    """Length of the longest phrase of `ix` at token i (0 if none)."""
    if i >= len(tokens):
        return 0
    for seq in ix.get(tokens.keys[i], ()):
        if tokens.match(i, seq):
            return len(seq)
    return 0


def _is_stop(tokens: Tokens, i: int) -> bool:
    return not tokens.caps[i] and _match_any(tokens, i, _STOP_IX) > 0


# --- 4. units in a segment of text ----------------------------------------------------------------
_Hit = TokenMention | str  # a directory unit, or the text of a unit-like name not in the directory
_MAX_LIST_STEPS = 40
_MAX_NAME_WORDS = 12
_MAX_GENERIC_WORDS = 10
_LEAD_IN_WORDS = 8


class _Segment:
    """One paragraph, bullet or item head, tokenised once, with the directory's matches."""

    def __init__(self, text: str, directory: UnitDirectory) -> None:
        self.text = text
        self.tokens = Tokens(text)
        self.mention_at = {m.start: m for m in directory.scan(self.tokens)}

    def skip_prefix(self, i: int) -> tuple[int, bool]:
        """Skip "Giao", "Đề nghị", "Ban Thường vụ Tỉnh ủy giao"...; also says whether "giao" was there."""
        tokens, gave = self.tokens, False
        for _ in range(4):
            if n := _match_any(tokens, i, _PREFIX_IX):
                gave = gave or tokens.keys[i] == "giao"
                i += n
                continue
            body = _match_any(tokens, i, _NON_ASSIGNEE_IX)
            if body and (verb := _match_any(tokens, i + body, _ASSIGN_VERBS_IX)):
                gave = gave or tokens.keys[i + body] == "giao"
                i += body + verb
                continue
            break
        return i, gave

    def candidate_end(self, i: int) -> int:
        """End of a unit-like name starting at token i (i itself when there is none)."""
        tokens = self.tokens
        n = len(tokens)
        if i >= n or not tokens.caps[i] or not (head := _match_any(tokens, i, _UNIT_HEAD_IX)):
            return i
        j = i + head
        if j >= n or tokens.hard[j] or (head == 1 and not tokens.caps[j]):
            return i  # "Ban hành", "Hội nghị", "Báo cáo": a capitalised word, not a name
        while j < n and j - i < _MAX_NAME_WORDS:
            if tokens.hard[j] or "," in tokens.gap(j) or j in self.mention_at or _is_stop(tokens, j):
                break
            if tokens.keys[j] == "va" and not (j + 1 < n and tokens.caps[j + 1]):
                break
            j += 1
        return j

    def generic_end(self, i: int) -> int:
        tokens = self.tokens
        n = len(tokens)
        if not (head := _match_any(tokens, i, _GENERIC_IX)):
            return i
        j = i + head
        while j < n and j - i < _MAX_GENERIC_WORDS:
            if tokens.hard[j] or "," in tokens.gap(j) or j in self.mention_at or _is_stop(tokens, j):
                break
            if tokens.keys[j] == "va":
                break
            j += 1
        return j

    def skip_qualifiers(self, i: int) -> int:
        tokens = self.tokens
        n = len(tokens)
        for _ in range(4):
            if i >= n or tokens.hard[i] or tokens.gap(i).strip() or i in self.mention_at:
                return i
            if q := _match_any(tokens, i, _QUALIFIER_IX):
                i += q
                continue
            j = i
            while j < n and j - i < 3 and tokens.caps[j] and not tokens.hard[j] and j not in self.mention_at:
                j += 1  # a place name: "Hội Nông dân tỉnh Kiên Giang"
            if j == i or _match_any(tokens, i, _UNIT_HEAD_IX):
                return i
            i = j
        return i

    def unit_list(self, i: int) -> tuple[list[_Hit], int]:
        """Parse "A, B và các C" starting at token i: the units named, and where the list ends."""
        tokens = self.tokens
        n = len(tokens)
        hits: list[_Hit] = []
        after_generic = False
        for _ in range(_MAX_LIST_STEPS):
            if i >= n:
                break
            mention = self.mention_at.get(i)
            if mention is not None:
                hits.append(mention)
                i = self.skip_qualifiers(mention.end)
                after_generic = False
            elif body := _match_any(tokens, i, _NON_ASSIGNEE_IX):
                i += body
                after_generic = False
            elif (j := self.candidate_end(i)) > i:
                keys = tokens.keys[i:j]
                if "cac" not in keys and "cap" not in keys:  # "Ủy ban nhân dân các huyện": generic
                    hits.append(tokens.span_text(i, j))
                i, after_generic = j, False
            elif (j := self.generic_end(i)) > i:
                i, after_generic = j, True
            else:
                break
            if i >= n or tokens.hard[i]:
                break
            gap = tokens.gap(i)
            if any(c in gap for c in ",-/&+"):
                if _is_stop(tokens, i):
                    break
                continue
            if tokens.keys[i] == "va" or (tokens.keys[i] == "cung" and not tokens.match(i, ("cung", "voi"))):
                i += 1
                continue
            if after_generic and i in self.mention_at:
                continue  # "Thủ trưởng các sở, ban, ngành": a generic head before a unit
            break
        return hits, i

    def subject(self, head: bool) -> tuple[list[_Hit], int]:
        """The units the segment opens with (its grammatical subject), and the token after them.

        For an item's head, also after a short lead-in ("2.1. Về tuyên truyền: Ban Tuyên giáo ...")
        or at the start of a later sentence ("Thống nhất chủ trương. Đảng đoàn Hội Nông dân ...").
        """
        start, _ = self.skip_prefix(0)
        hits, end = self.unit_list(start)
        if hits or not head:
            return hits, end
        tokens = self.tokens
        for k in range(1, len(tokens)):
            gap = tokens.gap(k)
            if (k < 25 and ":" in gap) or (tokens.hard[k] and tokens.caps[k] and any(c in gap for c in ".!?")):
                hits, end = self.unit_list(self.skip_prefix(k)[0])
                if hits:
                    return hits, end
            elif k <= _LEAD_IN_WORDS and "," in gap and k in self.mention_at:
                # "Trong thời gian tới, Sở Y tế ...": a short adverbial before a known unit
                hits, end = self.unit_list(k)
                return hits, end
        return [], start

    def supports(self, start: int) -> list[_Hit]:
        """Units after "phối hợp với", "cùng với" ... in the segment (its clauses share the subject)."""
        tokens = self.tokens
        n = len(tokens)
        hits: list[_Hit] = []
        i = start
        while i < n:
            if (t := _match_any(tokens, i, _TRIGGER_IX)) and not tokens.caps[i]:
                j = i + t
                while j < n and tokens.keys[j] in _SUPPORT_FILLERS and not tokens.hard[j] and j - i < t + 3:
                    j += 1
                found, end = self.unit_list(j)
                hits.extend(found)
                i = max(end, j)
                continue
            i += 1
        return hits


# --- 2. header, recipients, signature -------------------------------------------------------------
_NUMBER = re.compile(r"^\s*S[ốỐ]\s*[:.]?\s*(?P<num>\d{1,5}\s*[-/]\s*[\wĐđ]+(?:\s*[-/.]\s*[\wĐđ]+){0,4})", re.IGNORECASE)
_NUMBER_BARE = re.compile(r"\b(\d{1,5}-(?:CV|CT|TB|KL|KH|NQ|QĐ|HD|CĐ|BC)/[A-ZĐ]{2,6}(?:/[A-ZĐ]{1,6})?)\b")
_DATE = re.compile(
    r"ng[àÀ]y\s*(?P<d>\d{1,2})\s*(?:th[áÁ]ng\s*(?P<m>\d{1,2})\s*n[ăĂ]m\s*(?P<y>\d{4})"
    r"|[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4}))",
    re.IGNORECASE,
)
_PLACE_BEFORE = re.compile(r"(?P<place>(?:[^\W\d_]+\.?\s+){0,4}[^\W\d_]+)\s*,\s*$")
_KINH_GUI = re.compile(r"^\s*(?:-\s*)?(?:đồng\s+)?kính\s+gửi\s*:?\s*", re.IGNORECASE)
_NOI_NHAN = re.compile(r"^\s*(?:-\s*)?nơi\s+nhận\s*:?", re.IGNORECASE)
_OF_ISSUER = re.compile(r"^của\s+.{3,80}?\s+(?=về\s)", re.IGNORECASE)
_VV = re.compile(r"^\s*(?:V/v|Về việc|Trích yếu)\s*[:.]?\s*", re.IGNORECASE)
# "T/M", "T/L", "K/T", "T/UQ" and their dotted forms: who signs for whom, not the signer's own title.
_TM_LINE = re.compile(r"^\s*(?:T/M|T/L|K/T|T/UQ|TM\.?|KT\.?|TL\.?|TUQ\.?|Q\.|Q/)\s+", re.IGNORECASE)
_TM_ONLY = re.compile(r"^\s*(?:T/M|TM\.?)\s+", re.IGNORECASE)
_ROMAN = re.compile(r"^(?P<r>[IVX]{1,5})\s*[.)/-]\s*(?P<rest>.*)$")
_ITEM = re.compile(r"^(?P<l>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)/](?!\d)\s*(?P<rest>.*)$")
_ITEM_NODOT = re.compile(r"^(?P<l>\d{1,2}(?:\.\d{1,2}){1,3})\s+(?P<rest>.*)$")
_LETTER_BULLET = re.compile(r"^[a-zđ]\)\s*\S")
_HEADER_SKIP: Final = ("dang cong san viet nam", "cong hoa xa hoi chu nghia viet nam", "doc lap")
_TITLE_WORDS = re.compile(
    r"\b(?:bí thư|chủ tịch|giám đốc|trưởng ban|phó|thường trực|ủy viên|uỷ viên|văn phòng|chánh|ban)\b",
    re.IGNORECASE,
)
_ROMANS: Final = {r: i for i, r in enumerate(_split("I II III IV V VI VII VIII IX X XI XII"), 1)}
_SIGNATURE_WINDOW = 40
_BODY_PARAGRAPH_WORDS = 20
_HEADING_WORDS = 15

# Capitalised phrases restored when an UPPERCASE line is recased.
_PROPER: Final = tuple(
    (tuple(fold(w) for w in p.split()), tuple(w[0].isupper() for w in p.split()))
    for p in _split(
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


def _recase(text: str) -> str:
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
    if _NOI_NHAN.match(line) or line.startswith("-") or len(line.split()) > 12:
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


def _find_signature(lines: list[str], floor: int) -> _Signature | None:
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
            signer=Signer(name=name, title=_recase(" ".join(own))),
            org=_recase(org) if org else None,
        )
    return None


def _qualify_issuer(org: str, header_org: str | None, folded: str) -> str:
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


def _parse_date(m: re.Match[str]) -> dt.date | None:
    year = int(m.group("y") or m.group("y2"))
    if not 1900 <= year <= 2999:
        return None  # "năm 0001" is a typo, as in vndates: better "no date found" than a wrong one
    try:
        return dt.date(year, int(m.group("m") or m.group("m2")), int(m.group("d")))
    except ValueError:
        return None


def _place_date(lines: list[str], header_end: int) -> tuple[str | None, re.Match[str] | None]:
    for idx, line in enumerate(lines):
        in_header = idx < header_end
        if not in_header and len(line) > 80:
            continue
        for m in _DATE.finditer(line):
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


def _header_fields(lines: list[str], header_end: int, out: ParsedDirective) -> str | None:
    """Number, kind, title from the header zone; returns the issuing organisation line, if any."""
    header = lines[:header_end]
    num_idx = None
    for idx, line in enumerate(header):
        if m := _NUMBER.match(line):
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
        out.kind = next((_KIND_CODES[p.upper()] for p in parts if p.upper() in _KIND_CODES), None)
        if out.kind is None and re.match(r"^\d+/", out.number):
            out.kind = "công văn"  # state documents number letters as 123/UBND-VX
    title_lines: list[str] = []
    kind_idx = None
    for idx, line in enumerate(header):
        key = fold(line)
        if not _is_upper_line(line):
            continue
        for word, kind in _KIND_WORDS.items():
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
            if line and (_DATE.search(line) or _KINH_GUI.match(line)):
                break
            if not line or _NUMBER.match(line):
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
        title = _OF_ISSUER.sub("", _recase(" ".join(title_lines))).strip(" .:-")
        out.title = nfc(title[:1].upper() + title[1:]) if title else None
    org = None
    stop = min(x for x in (num_idx, kind_idx, header_end) if x is not None)
    for line in header[:stop]:
        if _is_upper_line(line) and not fold(line).startswith(_HEADER_SKIP) and len(line.split()) <= 10:
            org = _recase(line)
    return org


def _recipient_lines(lines: list[str], start: int, end: int) -> tuple[list[str], int]:
    items: list[str] = []
    rest = _KINH_GUI.sub("", lines[start]).strip()
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
        elif items and items[-1].rstrip().endswith((",", ";")) and len(line) < 120 and not _ITEM.match(line):
            items[-1] += " " + line
        else:
            break
        i += 1
    return [t.strip(" -+\t,;.") for t in items if t.strip(" -+\t,;.")], i


def _distribution(lines: list[str], start: int) -> list[str]:
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


# --- 3. body structure ----------------------------------------------------------------------------
@dataclass
class _Block:
    kind: Literal["para", "bullet"]
    text: str


@dataclass
class _Item:
    section: str | None
    path: tuple[int, ...]
    head: str
    blocks: list[_Block] = field(default_factory=list)
    children: list[_Item] = field(default_factory=list)
    parent: _Item | None = None


@dataclass
class _Section:
    roman: str
    heading: str
    skip: bool
    blocks: list[_Block] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)


_NON_DUTY_HEADINGS: Final = (
    "muc dich", "tinh hinh", "ket qua", "danh gia", "boi canh", "can cu", "quan diem", "muc tieu", "thuc trang",
    "nguyen nhan", "y nghia", "uu diem", "han che",
)  # fmt: skip
_CLOSING_KIND = re.compile(
    r"\b(?:cong van|chi thi|ket luan|thong bao|ke hoach|nghi quyet|van ban|quy dinh|huong dan|cong dien) nay\b"
)
_CLOSING_START = re.compile(r"^(?:(?:yeu cau|de nghi) (?:cac|toan the|cap uy|moi)|nhan duoc|trong qua trinh)\b")
_CLOSING_MAX_WORDS = 60


def _is_heading(text: str) -> bool:
    words = len(text.split())
    return (text.endswith(":") and words <= 25) or (not text.endswith((".", ";")) and words <= _HEADING_WORDS)


def _is_closing(text: str) -> bool:
    key = fold(text)
    if len(key.split()) > _CLOSING_MAX_WORDS:
        return False
    if _CLOSING_START.match(key) and (not key.startswith("trong qua trinh") or "kho khan" in key or "vuong mac" in key):
        return True
    return bool(_CLOSING_KIND.search(key)) or text.rstrip().endswith("./.")


def _monitor_verbs(key: str) -> bool:
    return (
        "nam tinh hinh" in key
        or ("theo doi" in key and ("don doc" in key or "bao cao" in key or "thuc hien" in key))
        or ("don doc" in key and "thuc hien" in key)
        or ("giam sat" in key and "bao cao" in key)
    )


def _firm_monitor_verbs(key: str) -> bool:
    """Monitor wording strong enough without "Giao": "theo dõi, đôn đốc" or a report to the issuer.

    "Sở Y tế theo dõi tình hình ..., hướng dẫn ... thực hiện" is ordinary work, not monitoring.
    """
    return _monitor_verbs(key) and ("don doc" in key or "bao cao" in key)


_REPORTS_TO_ISSUER = re.compile(r"\bbao cao (?:ve |len |cho )?(?:ban thuong vu|thuong truc)\b")
_OF_THE_WORK = re.compile(r"\b(?:viec|ket qua) (?:trien khai )?thuc hien\b")


@dataclass
class _Candidate:
    """A monitor-like paragraph without "Giao": the monitor only if no numbered item follows it."""

    match: Monitor | str
    owner: list[_Block] | None  # the blocks it was kept in (None: it followed a closing paragraph)
    block: _Block
    items_before: int


class _Parser:
    def __init__(self, text: str, directory: UnitDirectory) -> None:
        self.directory = directory
        self.lines = normalise_text(text).split("\n")
        self.out = ParsedDirective()
        self.sections: list[_Section] = []
        self.loose: list[_Item] = []  # top-level items outside any roman section
        self.order: list[_Item] = []
        self.monitor_seen = False
        self.candidates: list[_Candidate] = []
        self.items_seen = 0

    # --- monitor ---
    def _monitor_match(self, text: str) -> tuple[bool, Monitor | str] | None:
        """For a monitor-like paragraph: whether "Giao" opens it, and its unit (or the unknown name)."""
        key = fold(text)
        if len(key.split()) > 80 or not _monitor_verbs(key):
            return None
        seg = _Segment(text, self.directory)
        start, gave = seg.skip_prefix(0)
        hits, _ = seg.unit_list(start)
        if not hits:
            return None
        first = hits[0]
        if isinstance(first, str):
            return gave, first
        return gave, Monitor(code=first.unit.code, name=first.unit.name, text=text)

    def _set_monitor(self, found: Monitor | str) -> None:
        if isinstance(found, str):
            self.out.warnings.append(texts.PARSE_MONITOR_UNKNOWN.format(name=found))
        else:
            self.out.monitor = found
        self.monitor_seen = True

    # --- body ---
    def _walk_body(self, start: int, end: int) -> None:
        section: _Section | None = None
        numbering: dict[tuple[int, ...], int] = {}
        known: set[tuple[int, ...]] = {()}
        last: tuple[int, ...] = ()
        by_path: dict[tuple[int, ...], _Item] = {}
        current: _Item | None = None
        closing = after_monitor = False
        for line in self.lines[start:end]:
            if not line:
                continue
            roman = _ROMAN.match(line)
            if roman and _ROMANS.get(roman["r"]) == len(self.sections) + 1 and roman["rest"]:
                heading = roman["rest"].strip()
                skip = fold(heading).startswith(_NON_DUTY_HEADINGS)
                if skip:
                    self.out.warnings.append(texts.PARSE_SKIPPED_SECTION.format(heading=heading))
                section = _Section(roman["r"], heading, skip)
                self.sections.append(section)
                numbering, known, last, by_path, current, closing = {}, {()}, (), {}, None, False
                continue
            m = _ITEM.match(line) or _ITEM_NODOT.match(line)
            if m:
                path = tuple(int(p) for p in m["l"].split("."))
                parent = path[:-1]
                if parent in known and last[: len(parent)] == parent and path[-1] == numbering.get(parent, 0) + 1:
                    numbering[parent] = path[-1]
                    known.add(path)
                    last = path
                    item = _Item(section.roman if section else None, path, m["rest"].strip())
                    if parent:
                        item.parent = by_path[parent]
                        item.parent.children.append(item)
                    elif section is not None:
                        section.items.append(item)
                    else:
                        self.loose.append(item)
                    by_path[path] = item
                    if section is None or not section.skip:
                        self.order.append(item)
                    self.items_seen += 1
                    current, closing, after_monitor = item, False, False
                    continue
            is_bullet = line.startswith("-") or bool(_LETTER_BULLET.match(line))
            if current is None and section is None:
                continue  # introduction
            match = None if is_bullet or self.out.monitor is not None else self._monitor_match(line)
            if match is not None and match[0]:
                self._set_monitor(match[1])  # "Giao ... theo dõi, đôn đốc ...": the monitor wherever it stands
                after_monitor = True
                continue
            if is_bullet and after_monitor and self.out.monitor is not None:
                self.out.monitor.text += "\n" + line  # the monitor's own details, not the last duty's
                continue
            after_monitor = False
            # Without "Giao" it may be ordinary work: kept in the item, the monitor only if no item follows.
            maybe = match is not None and _firm_monitor_verbs(fold(line))
            if not (closing or is_bullet or maybe) and _is_closing(line):
                closing = True
                continue
            if not closing and current is not None and not current.head and not is_bullet and not current.blocks:
                current.head = line  # the number stood alone on its line
                continue
            block = _Block("bullet" if is_bullet else "para", line)
            owner: list[_Block] | None = None  # after a closing paragraph nothing is work
            if not closing:
                owner = current.blocks if current is not None else section.blocks if section is not None else None
            if owner is not None:
                owner.append(block)
            if maybe and match is not None:
                self.candidates.append(_Candidate(match[1], owner, block, self.items_seen))

    def _settle_monitor(self) -> None:
        """No "Giao" paragraph named the monitor: try the last item, then a paragraph after every item."""
        if self.monitor_seen:
            return
        self._take_monitor_item()
        late = [c for c in self.candidates if c.items_before == self.items_seen]
        if self.monitor_seen or not late:
            return
        chosen = late[-1]
        if chosen.owner is not None:
            # by identity: an identical paragraph elsewhere in the item stays
            del chosen.owner[next(i for i, b in enumerate(chosen.owner) if b is chosen.block)]
        self._set_monitor(chosen.match)

    def _take_monitor_item(self) -> None:
        """A last top-level item "Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc ..." is the monitor; without
        "Giao" only when it reports the implementation to the issuer ("... báo cáo Ban Thường vụ Tỉnh ủy
        kết quả thực hiện")."""
        if self.monitor_seen or not self.order:
            return
        last = self.order[-1]
        if len(last.path) != 1 or last.children or last.blocks:
            return
        match = self._monitor_match(last.head)
        if match is None:
            return
        key = fold(last.head)
        if not match[0] and not (_REPORTS_TO_ISSUER.search(key) and _OF_THE_WORK.search(key)):
            return
        self._set_monitor(match[1])
        self.order.pop()
        container = self.sections[-1].items if last.section else self.loose
        if last in container:
            container.remove(last)

    # --- units ---
    def _to_units(self, hits: list[_Hit], role: Role, seg: _Segment, acc: _Acc) -> None:
        for hit in hits:
            if isinstance(hit, str):
                acc.unresolved.append((hit, role))
                continue
            matched = seg.tokens.span_text(hit.start, hit.end)
            members = self.directory.expand(hit.unit.code) if hit.unit.is_collective else [hit.unit]
            for unit in members or [hit.unit]:
                acc.add(DutyUnit(unit.code, unit.name, role, matched))

    def _segment_units(self, text: str, acc: _Acc, head: bool) -> bool:
        """Add the segment's subject (lead) and partners (support); True if it named a lead."""
        seg = _Segment(text, self.directory)
        leads, end = seg.subject(head)
        self._to_units(leads, "lead", seg, acc)
        self._to_units(seg.supports(end), "support", seg, acc)
        return bool(leads)

    def _recipient_units(self) -> list[DutyUnit]:
        acc = _Acc()
        for rec in self.out.recipients:
            for unit in rec.units:
                members = self.directory.expand(unit.code) if unit.is_collective else [unit]
                for member in members or [unit]:
                    acc.add(DutyUnit(member.code, member.name, "lead", rec.text))
        return list(acc.units.values())

    def _duty(self, item: _Item, label: str, parent: str | None, parent_duty: ParsedDuty | None) -> ParsedDuty:
        acc = _Acc()
        named = self._segment_units(item.head, acc, head=True)
        heading = _is_heading(item.head)
        for block in item.blocks:
            if block.kind == "bullet":
                named = self._segment_units(re.sub(r"^(?:-|[a-zđ]\))\s*", "", block.text), acc, False) or named
            elif heading and not named:
                named = self._segment_units(block.text, acc, False) or named
        body = [item.head] + [b.text for b in item.blocks]
        duty = ParsedDuty(label=label, parent=parent, text="\n".join(t for t in body if t), general=False)
        duty.unresolved = [
            Unresolved(t, [u.code for u in self.directory.suggest(t)], role) for t, role in acc.unresolved
        ]
        for un in duty.unresolved:
            self.out.warnings.append(texts.PARSE_UNRESOLVED.format(label=label, text=un.text))
        if named or acc.unresolved:
            duty.units = list(acc.units.values())
            return duty
        if parent_duty is not None and not parent_duty.general and parent_duty.units:
            duty.units = [DutyUnit(u.code, u.name, u.role, u.matched_text) for u in parent_duty.units]
            return duty
        if item.children and heading and not item.blocks:
            return duty  # a heading over sub-items: the sub-items carry the work
        duty.general = True
        general = _Acc()
        for unit in self._recipient_units():
            general.add(unit)
        for unit in acc.units.values():
            general.add(unit)
        duty.units = list(general.units.values())
        if not any(u.role == "lead" for u in duty.units):
            self.out.warnings.append(texts.PARSE_GENERAL_NO_RECIPIENTS.format(label=label))
        return duty

    def _duties(self) -> None:
        def label_of(item: _Item, prefix: bool) -> str:
            core = ".".join(str(p) for p in item.path)
            return f"{item.section}.{core}" if prefix and item.section else core

        plain = [label_of(i, False) for i in self.order]
        prefix = len(set(plain)) != len(plain)
        made: dict[int, ParsedDuty] = {}
        entries: list[tuple[str, ParsedDuty]] = []
        for item in self.order:
            if len(item.path) == 1 and _is_heading(item.head) and fold(item.head).startswith(_NON_DUTY_HEADINGS):
                self.out.warnings.append(texts.PARSE_SKIPPED_SECTION.format(heading=item.head.rstrip(":")))
                continue  # "1. Đánh giá chung": an assessment, not work to track
            parent_duty = made.get(id(item.parent)) if item.parent else None
            if item.parent is not None and parent_duty is None:
                continue  # the parent was skipped as a non-duty heading
            parent_label = label_of(item.parent, prefix) if item.parent else None
            duty = self._duty(item, label_of(item, prefix), parent_label, parent_duty)
            made[id(item)] = duty
            entries.append((item.section or "", duty))
        # Sections without numbered items are duties themselves ("III. TỔ CHỨC THỰC HIỆN" with bullets).
        for section in self.sections:
            if section.skip or section.items or not section.blocks:
                continue
            pseudo = _Item(None, (), section.heading, section.blocks)
            entries.append((section.roman, self._duty(pseudo, section.roman, None, None)))
        rank = {s.roman: i for i, s in enumerate(self.sections)}
        entries.sort(key=lambda e: rank.get(e[0], -1))  # stable: document order within a section
        self.out.duties = [d for _, d in entries]

    # --- whole document ---
    def run(self) -> ParsedDirective:
        lines, out = self.lines, self.out
        n = len(lines)
        kg = next((i for i, line in enumerate(lines) if _KINH_GUI.match(line)), None)
        first_body = next(
            (
                i
                for i, line in enumerate(lines)
                if (len(line.split()) >= _BODY_PARAGRAPH_WORDS and line.endswith((".", ":", ";", "!", "?")))
                or ((m := _ITEM.match(line)) and m["l"] == "1")
                or ((r := _ROMAN.match(line)) and r["r"] == "I" and r["rest"])
            ),
            n,
        )
        header_end = kg if kg is not None and kg <= first_body else first_body
        noi_nhan = next((i for i in range(n - 1, header_end - 1, -1) if _NOI_NHAN.match(lines[i])), None)
        signature = _find_signature(lines, header_end)
        ends = [x for x in (noi_nhan, signature.start if signature else None) if x is not None and x > header_end]
        body_end = min(ends) if ends else n

        header_org = _header_fields(lines, header_end, out)
        place, date_match = _place_date(lines, header_end)
        out.place = place
        if date_match is not None:
            out.date = _parse_date(date_match)
            if out.date is None:
                out.warnings.append(texts.PARSE_BAD_DATE.format(text=date_match.group(0)))

        body_start = header_end
        if kg is not None:
            rec_texts, body_start = _recipient_lines(lines, kg, body_end)
            body_start = max(body_start, header_end)
            self._set_recipients(rec_texts)
        elif noi_nhan is not None:
            self._set_recipients(_distribution(lines, noi_nhan), from_distribution=True)

        if signature:
            out.signer = signature.signer
        folded = fold("\n".join(lines))
        if signature and signature.org:
            out.issuer = _qualify_issuer(signature.org, header_org, folded)
        elif header_org:
            out.issuer = header_org

        self._walk_body(body_start, body_end)
        self._settle_monitor()
        self._duties()
        self._finish_kind(kg is not None, folded)
        if out.number is None:
            out.warnings.append(texts.PARSE_NO_NUMBER)
        if out.date is None:
            out.warnings.append(texts.PARSE_NO_DATE)
        if not out.duties:
            out.warnings.append(texts.PARSE_NO_DUTIES)
        return out

    def _set_recipients(self, items: list[str], from_distribution: bool = False) -> None:
        for text in items:
            units = list(dict.fromkeys(m.unit for m in self.directory.scan(Tokens(text))))
            if from_distribution and not units:
                continue
            if not units and _Segment(text, self.directory).candidate_end(0) > 0:
                self.out.warnings.append(texts.PARSE_RECIPIENT_UNKNOWN.format(text=text))
            self.out.recipients.append(Recipient(text=text, units=units))
        if from_distribution and self.out.recipients:
            self.out.warnings.append(texts.PARSE_RECIPIENTS_FROM_DISTRIBUTION)

    def _finish_kind(self, has_kinh_gui: bool, folded: str) -> None:
        if self.out.kind:
            return
        if m := _CLOSING_KIND.search(folded):
            self.out.kind = _KIND_WORDS.get(m.group(0).rsplit(" ", 1)[0])
        if self.out.kind is None and has_kinh_gui:
            self.out.kind = "công văn"
            self.out.warnings.append(texts.PARSE_KIND_GUESSED)


class _Acc:
    """Units of one duty, in order of first mention; a lead role wins over support."""

    def __init__(self) -> None:
        self.units: dict[str, DutyUnit] = {}
        self.unresolved: list[tuple[str, Role]] = []  # names not in the directory, with their clause's role

    def add(self, unit: DutyUnit) -> None:
        known = self.units.get(unit.code)
        if known is None:
            self.units[unit.code] = unit
        elif known.role == "support" and unit.role == "lead":
            known.role, known.matched_text = "lead", unit.matched_text


def parse_directive(text: str, directory: UnitDirectory) -> ParsedDirective:
    """Parse a directive's text. Never raises: whatever cannot be read becomes a warning."""
    try:
        return _Parser(text, directory).run()
    except Exception:  # a parser bug must not lose the secretary's document
        log.exception("directive parser failed")
        return ParsedDirective(warnings=[texts.PARSE_FAILED])
