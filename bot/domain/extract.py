"""Plain text out of an uploaded directive: .docx (python-docx), .pdf (its text layer), .txt/.md.

Scanned PDFs have no text layer; they are refused ("no_text") rather than run through OCR.
Word's automatic list numbers are not part of a paragraph's text, so they are rebuilt here from
the numbering definitions: a directive's "1.", "2.1." are what the parser keys on.

Untrusted input is bounded before it is parsed (`Limits`): a .docx's zip directory is checked for
its expanded size and compression ratio without inflating anything, a PDF's declared page count is
checked before its page tree is walked, and text stops being collected past the length limit. The
time and memory a parse may take are bounded by the caller (bot/extract_worker.py runs this in a
child process).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any, Final, Literal, cast

from bot.domain.errors import Refusal
from bot.domain.textnorm import nfc

ErrorKind = Literal[
    "unsupported",
    "too_large",
    "no_text",
    "corrupt",
    "expanded_too_large",  # a .docx whose parts inflate past max_expanded_bytes
    "ratio",  # a .docx part (or the whole) compressed suspiciously well: a zip bomb
    "too_many_pages",
    "too_long",  # more text than max_text_chars
    "too_slow",  # set by the caller that enforces the time limit
    "out_of_memory",  # set by the caller that enforces the memory limit
]

DEFAULT_MAX_BYTES: Final = 10 * 1024 * 1024
_RATIO_FLOOR: Final = 1024 * 1024  # a part (or file) expanding to less than this is never a bomb
_MIN_LETTERS = 20  # fewer letters than this in a PDF means a scan (or an empty file)

_DOCX_MIME: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_KINDS_BY_EXT: Final = {".docx": "docx", ".pdf": "pdf", ".txt": "txt", ".md": "txt", ".text": "txt"}
_KINDS_BY_MIME: Final = {_DOCX_MIME: "docx", "application/pdf": "pdf", "text/plain": "txt", "text/markdown": "txt"}


class ExtractError(Refusal):
    """Why a file gave no text (`kind`); `values` are the figures a message may quote."""

    def __init__(self, kind: ErrorKind, detail: str = "", **values: int | float) -> None:
        super().__init__(kind, **values)
        self.detail = detail  # for logs, never shown

    @property
    def kind(self) -> ErrorKind:
        return cast("ErrorKind", self.key)


@dataclass(frozen=True)
class Limits:
    """What an upload may cost before it is refused; the defaults match config.py's."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_text_chars: int = 60_000
    max_expanded_bytes: int = 30 * 1024 * 1024
    max_ratio: int = 100
    max_zip_members: int = 1000
    max_pdf_pages: int = 200


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a zip whose directory announces a bomb. Reads only the central directory.

    The sizes are what the archive claims; python's zipfile stops inflating a member at its
    declared size, so a member cannot expand past what is checked here.
    """
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractError("corrupt", type(exc).__name__) from None
    if len(infos) > limits.max_zip_members:
        raise ExtractError("corrupt", f"{len(infos)} members")
    mb = 1024 * 1024
    total = sum(i.file_size for i in infos)
    if total > limits.max_expanded_bytes:
        raise ExtractError(
            "expanded_too_large", f"{total}", size=round(total / mb, 1), limit=round(limits.max_expanded_bytes / mb, 1)
        )
    packed = sum(i.compress_size for i in infos)
    worst = max((i for i in infos if i.file_size >= _RATIO_FLOOR), key=_ratio, default=None)
    ratios = [_ratio(worst)] if worst is not None else []
    if total >= _RATIO_FLOOR:
        ratios.append(total / max(packed, 1))
    ratio = max(ratios, default=0.0)
    if ratio > limits.max_ratio:
        raise ExtractError("ratio", f"{ratio:.0f}", ratio=round(ratio), limit=limits.max_ratio)


def _ratio(info: zipfile.ZipInfo) -> float:
    return info.file_size / max(info.compress_size, 1)


def _file_kind(data: bytes, filename: str, mime_type: str | None) -> str:
    ext = PurePath(filename or "").suffix.lower()
    if ext in _KINDS_BY_EXT:
        return _KINDS_BY_EXT[ext]
    if ext:
        raise ExtractError("unsupported", ext)
    mime = (mime_type or "").split(";")[0].strip().lower()
    if mime in _KINDS_BY_MIME:
        return _KINDS_BY_MIME[mime]
    # No name, no useful type (a paste saved without extension): trust the magic bytes.
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    raise ExtractError("unsupported", mime or "?")


def extract_text(
    data: bytes,
    filename: str,
    mime_type: str | None = None,
    *,
    max_bytes: int | None = None,
    limits: Limits | None = None,
) -> str:
    """The document's text, NFC, paragraphs on their own lines. Raises ExtractError."""
    limits = limits or Limits()
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    if len(data) > limits.max_bytes:
        raise ExtractError("too_large", f"{len(data)} > {limits.max_bytes}")
    kind = _file_kind(data, filename, mime_type)
    if kind == "docx":
        check_zip(data, limits)
        text = _docx_text(data, limits.max_text_chars)
    elif kind == "pdf":
        text = _pdf_text(data, limits)
    else:
        text = _plain_text(data)
    text = nfc(text).strip()
    if not text:
        raise ExtractError("no_text")
    if len(text) > limits.max_text_chars:
        raise ExtractError("too_long", f"{len(text)}", limit=limits.max_text_chars)
    return text


# --- plain text ---------------------------------------------------------------------------------
def _plain_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Vietnamese Windows files; cp1258 uses combining tones, which nfc() then composes.
        return data.decode("cp1258", errors="replace")


# --- PDF ----------------------------------------------------------------------------------------
def _pdf_text(data: bytes, limits: Limits) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.lstrip().startswith(b"%PDF"):
        raise ExtractError("corrupt", "not a PDF")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError("corrupt", "encrypted")
        # The declared count first: walking a 20,000-page tree is itself the cost to avoid. A
        # count that lies is caught below, or by the caller's time limit.
        declared = _declared_pages(reader)
        if declared > limits.max_pdf_pages:
            raise ExtractError("too_many_pages", f"{declared}", pages=declared, limit=limits.max_pdf_pages)
        pages: list[str] = []
        size = 0
        for number, page in enumerate(reader.pages, 1):
            if number > limits.max_pdf_pages:
                raise ExtractError("too_many_pages", "tree", pages=number, limit=limits.max_pdf_pages)
            pages.append(page.extract_text() or "")
            size += len(pages[-1]) + 2
            if size > limits.max_text_chars:
                raise ExtractError("too_long", f"> {size}", limit=limits.max_text_chars)
        # A blank line between pages: the parser repairs sentences split across them.
        text = "\n\n".join(pages)
    except ExtractError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise ExtractError("corrupt", type(exc).__name__) from None
    if sum(ch.isalpha() for ch in text) < _MIN_LETTERS:
        raise ExtractError("no_text", "no text layer")
    return text


def _declared_pages(reader: Any) -> int:
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        return int(count) if isinstance(count, int) else 0
    except (KeyError, TypeError, ValueError, AttributeError):
        return 0


# --- DOCX ---------------------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(data: bytes, max_chars: int) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        lines: list[str] = []
        size = 0
        for child in document.element.body.iterchildren():
            if child.tag == f"{_W}p":
                new = [numbering.label(child) + _paragraph_text(child)]
            elif child.tag == f"{_W}tbl":
                new = _table_lines(child, numbering)
            else:
                continue
            lines.extend(new)
            size += sum(len(line) + 1 for line in new)
            if size > max_chars:
                raise ExtractError("too_long", f"> {size}", limit=max_chars)
    except (ExtractError, MemoryError):
        raise
    except (zipfile.BadZipFile, PackageNotFoundError) as exc:
        raise ExtractError("corrupt", type(exc).__name__) from None
    except Exception as exc:  # lxml and python-docx raise many other types on a damaged package
        raise ExtractError("corrupt", type(exc).__name__) from None
    return "\n".join(lines)


def _paragraph_text(p: Any) -> str:
    parts: list[str] = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _table_lines(tbl: Any, numbering: _Numbering) -> list[str]:
    """Cells one after another: the header table (issuer | motto, number | date) reads top to bottom."""
    lines: list[str] = []
    # lxml yields each cell once; never dedupe by id(): proxies are freed and their ids reused.
    for tc in tbl.iter(f"{_W}tc"):
        for p in tc.iterchildren(f"{_W}p"):
            lines.append(numbering.label(p) + _paragraph_text(p))
    return lines


_ROMAN: Final = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        r = _roman(n)
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26]
        return letter.upper() if fmt == "upperLetter" else letter
    return str(n)


class _Numbering:
    """Rebuilds automatic list labels ("2.1.", "a)", "-") from numbering.xml, as Word counts them."""

    def __init__(self, document: Any) -> None:
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self._counters: dict[str, dict[int, int]] = {}
        self._by_style: dict[str, Any] = {}  # styleId -> the style's numPr ("List Number" numbers by style)
        try:
            for style in document.styles.element.iterchildren(f"{_W}style"):
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None:
                    self._by_style[style.get(f"{_W}styleId", "")] = num_pr
        except (AttributeError, KeyError, NotImplementedError):
            pass
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.iterchildren(f"{_W}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in an.iterchildren(f"{_W}lvl"):
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                    int(_val(lvl, "start") or "1"),
                )
            abstract[an.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iterchildren(f"{_W}num"):
            abstract_id = _val(num, "abstractNumId")
            if abstract_id is not None and abstract_id in abstract:
                self._levels[num.get(f"{_W}numId", "")] = abstract[abstract_id]

    def label(self, p: Any) -> str:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            style = p.find(f"{_W}pPr/{_W}pStyle")
            num_pr = self._by_style.get(style.get(f"{_W}val", "")) if style is not None else None
        if num_pr is None:
            return ""
        num_id = _val(num_pr, "numId") or ""
        levels = self._levels.get(num_id)
        if not levels:
            return ""
        ilvl = int(_val(num_pr, "ilvl") or "0")
        fmt, text, start = levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))
        if fmt == "bullet":
            return "- "
        if fmt == "none":
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def sub(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            level_fmt, _, level_start = levels.get(level, ("decimal", "", 1))
            return _format_number(counters.get(level, level_start), level_fmt)

        return re.sub(r"%(\d)", sub, text).strip() + " "


def _val(el: Any, tag: str) -> str | None:
    child = el.find(f"{_W}{tag}")
    return None if child is None else child.get(f"{_W}val")
