"""The parser's notes in words, as the secretary reads them (tests assert on the wording)."""

from __future__ import annotations

from bot.domain.parser import ParsedDirective
from bot.views.directives import render_note


def warnings(result: ParsedDirective) -> list[str]:
    return [render_note(n.code, n.as_dict()) for n in result.notes]
