"""The short reference a person reads for a directive, the same in every message.

Its number when it has one ("1046-CV/TU"); otherwise kind, date and a short title
("TB ngày 12/03/2026 (Ý kiến chỉ đạo phòng, chống dịch…)"), so that two directives without a
number can be told apart. Plain text: callers escape it for HTML.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from bot import texts
from bot.domain.vndates import format_date

_TITLE_CHARS = 40


class DirectiveLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def number(self) -> str | None: ...
    @property
    def kind(self) -> str | None: ...
    @property
    def issued_on(self) -> date | None: ...
    @property
    def title(self) -> str: ...


def short_title(title: str, limit: int = _TITLE_CHARS) -> str:
    """At most `limit` characters, cut between words, with an ellipsis when cut."""
    flat = " ".join(title.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    if " " in cut and not flat[limit].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–") + "…"


def directive_ref(directive: DirectiveLike, *, with_title: bool = True) -> str:
    """`with_title=False` where the full title is shown next to it anyway."""
    number = (directive.number or "").strip()
    if number:
        return number
    kind = (directive.kind or "").strip().casefold()
    parts = [texts.REF_KIND_CODES.get(kind) or texts.REF_NO_KIND]
    if isinstance(directive.issued_on, date):
        parts.append(texts.REF_DATE.format(date=format_date(directive.issued_on)))
    title = short_title(directive.title or "") if with_title else ""
    if title:
        parts.append(texts.REF_TITLE.format(title=title))
    elif len(parts) == 1 and with_title:
        parts.append(texts.REF_ID.format(id=directive.id))  # nothing else tells it apart
    return " ".join(parts)
