"""Vietnamese text normalisation shared by every parser and matcher."""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that survive copy-paste from Word/PDF and break matching.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def nfc(text: str) -> str:
    """NFC-normalise and drop invisible characters; keeps line breaks.

    Dropped first: "U\u200b\u031b" must compose to "Ư", not stay a letter and a loose horn.
    """
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def fold(text: str) -> str:
    """Accent-insensitive, case-insensitive key: 'Sở Thông tin' -> 'so thong tin'.

    'đ' has no decomposition, so it is mapped by hand before stripping marks.
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.casefold()).strip()


def squash_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


_ASCII_INT = re.compile(r"[0-9]+")


def ascii_int(raw: str, max_digits: int = 9) -> int | None:
    """A plain ASCII number, or None: str.isdigit() also accepts '²' and other digits int() refuses."""
    raw = raw.strip()
    return int(raw) if len(raw) <= max_digits and _ASCII_INT.fullmatch(raw) else None
