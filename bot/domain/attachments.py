"""Which files a unit may send as its report, and which duty a caption names. Pure.

Telegram's Bot API downloads nothing over 20 MB, so a bigger file could never be kept or checked:
it is refused. The types are those offices sign and scan: PDF, Word, Excel, JPEG and PNG.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final

MAX_BYTES: Final = 20 * 1024 * 1024
# Extension -> the MIME types Telegram clients send for it (an empty tuple: any).
ALLOWED: Final[dict[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf",),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    "doc": ("application/msword",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "xls": ("application/vnd.ms-excel",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "png": ("image/png",),
}
_BY_MIME: Final = {mime: ext for ext, mimes in ALLOWED.items() for mime in mimes}
# "[12] xong", "12. xong", "12 xong": the leading code picks the duty, as in a text reply.
_SELECTOR = re.compile(r"^\s*\[?\s*(\d{1,9})\s*(?:\]|\.|\)|:|-)?(?:\s+(.*))?$", re.DOTALL)
_COMMAND = re.compile(r"^/report(?:@\w+)?(?:\s+(.*))?$", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class FileMeta:
    """What Telegram says about a file a person sent."""

    file_id: str
    file_unique_id: str
    file_name: str | None
    mime_type: str | None
    kind: str  # "document" or "photo"
    file_size: int | None


@dataclass(frozen=True)
class FileRow:
    """One stored file, as the summary's workbook lists it."""

    received_at: datetime  # aware UTC
    unit_name: str
    directive_number: str
    duty_label: str
    file_name: str
    kind: str
    file_size: int


def extension(meta: FileMeta) -> str | None:
    """The allowed type of the file, by its name, else by its MIME type; None when not allowed."""
    if meta.kind == "photo":
        return "jpg"  # Telegram re-encodes every photo as JPEG
    name = (meta.file_name or "").strip().lower()
    if "." in name:
        ext = name.rsplit(".", 1)[1]
        return ext if ext in ALLOWED else None
    return _BY_MIME.get((meta.mime_type or "").lower())


def refusal(meta: FileMeta, max_bytes: int = MAX_BYTES) -> str | None:
    """ "type" or "size" when the file cannot be a report, else None."""
    if extension(meta) is None:
        return "type"
    if meta.file_size is None or meta.file_size > max_bytes:
        return "size"  # Telegram always states the size; a file without one could not be fetched
    return None


def display_name(meta: FileMeta, fallback_stem: str) -> str:
    """The name the office sees: the file's own, or `fallback_stem`.<ext> for photos and nameless files."""
    name = " ".join((meta.file_name or "").split())
    return name[:255] if name else f"{fallback_stem}.{extension(meta) or 'bin'}"


def command_body(caption: str) -> str | None:
    """The words after "/report" when the caption is that command, else None."""
    m = _COMMAND.match(caption.strip())
    if m is None:
        return None
    return (m.group(1) or "").strip()


def split_code(text: str) -> tuple[int | None, str]:
    """A leading duty code and the rest: "[12] đã xong" -> (12, "đã xong"); no code -> (None, text)."""
    m = _SELECTOR.match(text)
    if m is None or not m.group(1).isascii():
        return None, text.strip()
    return int(m.group(1)), (m.group(2) or "").strip()
