"""Step 1, normalise: NFC, markdown leftovers and layout noise removed, page-break damage repaired."""

from __future__ import annotations

import re
from typing import Final

from bot.domain.textnorm import fold, nfc

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
_MARKER_START = re.compile(
    r"^(?:-|\d{1,2}(?:\.\d{1,2}){0,3}[.)/]|\d{1,2}(?:\.\d{1,2}){1,3}\s|\d{1,2}\s?-\s|[IVX]{1,5}[.)]|[a-zđ][.)]\s|[A-H]\.\s)"
)
# A line ending in one of these words (or a comma) continues after a page break.
_DANGLING_WORDS: Final = frozenset(
    str.split(
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
