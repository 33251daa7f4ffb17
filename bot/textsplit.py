"""Split HTML for Telegram's 4096-character limit on line boundaries, never inside a tag."""

from __future__ import annotations

import re

from telegram.constants import MessageLimit

LIMIT = MessageLimit.MAX_TEXT_LENGTH
_TAG = re.compile(r"<[^>]*>")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _visible_len(html_line: str) -> int:
    # Telegram counts the text after entity parsing, in UTF-16 units; tags cost nothing.
    plain = _TAG.sub("", html_line).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return utf16_len(plain)


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """Chunks of whole lines, each within `limit`. Callers keep every tag closed within its line;
    a single line longer than the limit is cut between tags, at a space where possible."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        for piece in _cut_line(line, limit):
            cost = _visible_len(piece) + (1 if current else 0)
            if current and size + cost > limit:
                chunks.append("\n".join(current))
                current, size = [], 0
                cost = _visible_len(piece)
            current.append(piece)
            size += cost
    if current:
        chunks.append("\n".join(current))
    return [c for c in (chunk.strip("\n") for chunk in chunks) if c.strip()]


def _cut_line(line: str, limit: int) -> list[str]:
    if _visible_len(line) <= limit:
        return [line]
    plain = _TAG.sub("", line)  # an over-long line loses its formatting rather than break a tag
    out: list[str] = []
    while utf16_len(plain) > limit:
        cut = plain.rfind(" ", 0, limit - 10)
        cut = cut if cut > limit // 2 else limit - 10
        # Do not split an HTML entity such as &amp;.
        amp = plain.rfind("&", max(0, cut - 8), cut)
        if amp != -1 and ";" not in plain[amp:cut]:
            cut = amp
        out.append(plain[:cut])
        plain = plain[cut:].lstrip()
    out.append(plain)
    return out
