"""The /audit wording covers every action code bot/ writes; its page button is one strict codec."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import texts
from bot.domain.enums import DirectiveStatus
from bot.services.audit import AuditScope
from bot.views.audit import decode_page, encode_page, parse_request

BOT = Path(__file__).resolve().parents[2] / "bot"
# Literal codes: audit(..., action="x.y") and units' _changed(session, unit, "unit.x", ...).
_LITERAL = re.compile(r"""action="([a-z_]+\.[a-z_]+)"|_changed\(session, unit, "([a-z_]+\.[a-z_]+)\"""")
_DYNAMIC = re.compile(r'action=f"([a-z_]+)\.\{(\w+)')
# The codes built at run time, by where they are built.
_DYNAMIC_CODES = {
    ("directive", "status"): [f"directive.{s.value}" for s in DirectiveStatus],
    ("assignment", "action"): [f"assignment.{a}" for a in ("confirm", "return", "approve", "reject")],
}


def written_codes() -> set[str]:
    codes: set[str] = set()
    for path in BOT.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "audit" not in source:
            continue
        codes |= {a or b for a, b in _LITERAL.findall(source)}
        for prefix, variable in _DYNAMIC.findall(source):
            assert (prefix, variable) in _DYNAMIC_CODES, f"{path}: a new dynamic audit code {prefix}.{{{variable}}}"
            codes |= set(_DYNAMIC_CODES[(prefix, variable)])
    return codes


def test_every_action_code_written_in_bot_has_a_vietnamese_verb() -> None:
    codes = written_codes()
    assert len(codes) >= 25  # the scan found the codes, not nothing
    assert sorted(codes - texts.AUDIT_VERBS.keys()) == []
    assert sorted(texts.AUDIT_VERBS.keys() - codes) == []  # no verb for a code nobody writes


@pytest.mark.parametrize(
    ("scope", "anchor", "page"),
    [(AuditScope("a"), 1, 0), (AuditScope("d", 999_999_999), 999_999_999, 9_999), (AuditScope("u", 7), 42, 3)],
)
def test_page_button_round_trips_within_64_bytes(scope: AuditScope, anchor: int, page: int) -> None:
    data = encode_page(scope, anchor, page)
    assert len(data.encode()) <= 64
    assert decode_page(data) == (scope, anchor, page)


@pytest.mark.parametrize(
    "data",
    [None, "", "au|a|0|5", "au|x|0|5|0", "au|a|3|5|0", "au|d|0|5|0", "au|u|-1|5|0", "au|a|0|0|0", "au|a|0|5|-1",
     "au|a|0|5|01", "au|a|0| 5|0", "au|a|0|5|10000", "au|a|0|٥|0", "up|a|0|5|0", "au|a|0|5|0|", "au|a|0|" + "9" * 60],
)  # fmt: skip
def test_forged_or_garbled_page_buttons_decode_to_nothing(data: str | None) -> None:
    assert decode_page(data) is None


def test_arguments_choose_everything_a_directive_or_a_unit() -> None:
    assert parse_request("") == parse_request("  ") and parse_request("").kind == "a"  # type: ignore[union-attr]
    assert parse_request("vb 12") == parse_request("VB #12") == parse_request("văn bản 12")
    assert parse_request("đv Sở Y tế") is not None and parse_request("đv Sở Y tế").unit_text == "Sở Y tế"  # type: ignore[union-attr]
    assert parse_request("linh tinh") is None and parse_request("vb") is None and parse_request("dv") is None
