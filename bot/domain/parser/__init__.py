"""Parse the text of a Vietnamese directive (công văn, chỉ thị, kết luận, thông báo, kế hoạch, công điện).

One module per pipeline step, each pure and tested apart:

1. `normalise`: NFC, markdown leftovers and layout noise removed, page-break damage repaired.
2. `structure`: parts, Roman sections, numbers, letters and bullets as a tree.
3. `header`: number, kind, title, place and date, issuer, signer, recipients; the signature block
   and "Nơi nhận" are cut off the end so they are never duties.
4. `mentions`: the units a paragraph names (titles, elliptical lists, collectives, unknown names).
5. `monitor` and `roles`: the follow-up unit; which nodes are duties, their leads and supports.
6. `result`: what comes back, and its JSON contract.
"""

from __future__ import annotations

import logging

from bot.domain.parser import header as hd
from bot.domain.parser.mentions import Segment
from bot.domain.parser.monitor import MonitorFinder
from bot.domain.parser.normalise import normalise_text
from bot.domain.parser.result import (
    DutyUnit,
    Monitor,
    Note,
    ParsedDirective,
    ParsedDuty,
    Recipient,
    Role,
    Signer,
    Unresolved,
)
from bot.domain.parser.roles import Roles, derive_duties
from bot.domain.parser.structure import NUMBER, ROMAN, build_tree
from bot.domain.textnorm import fold
from bot.domain.units import UnitDirectory

__all__ = [
    "DutyUnit",
    "Monitor",
    "Note",
    "ParsedDirective",
    "ParsedDuty",
    "Recipient",
    "Role",
    "Signer",
    "Unresolved",
    "normalise_text",
    "parse_directive",
    "parse_strict",
]

log = logging.getLogger(__name__)
_BODY_PARAGRAPH_WORDS = 20


def _body_start(lines: list[str]) -> int:
    return next(
        (
            i
            for i, line in enumerate(lines)
            if (len(line.split()) >= _BODY_PARAGRAPH_WORDS and line.endswith((".", ":", ";", "!", "?")))
            or ((m := NUMBER.match(line)) and m["m"] == "1")
            or ((r := ROMAN.match(line)) and r["m"] == "I" and r["rest"])
        ),
        len(lines),
    )


def _set_recipients(out: ParsedDirective, directory: UnitDirectory, items: list[str], distribution: bool) -> None:
    for text in items:
        seg = Segment(text, directory)
        hits, _ = seg.unit_list(0)
        units = [h.unit for h in hits if not isinstance(h, str)]
        unknown: list[str] = []
        for hit in hits:
            if isinstance(hit, str):
                sure = directory.resolve_close(hit)
                if sure is None:
                    unknown.append(hit)
                else:
                    units.append(sure)
        units += [m.unit for m in directory.scan(seg.tokens)]  # names the list grammar missed
        units = list(dict.fromkeys(units))
        if distribution and not units:
            continue
        for name in unknown:
            out.notes.append(Note.of("recipient_unknown", text=name))
        if not units and not unknown and seg.candidate_end(0) > 0:
            out.notes.append(Note.of("recipient_unknown", text=text))
        out.recipients.append(Recipient(text=text, units=units))
    if distribution and out.recipients:
        out.notes.append(Note.of("recipients_from_distribution"))


def parse_strict(text: str, directory: UnitDirectory) -> ParsedDirective:
    """The whole pipeline; raises on a parser bug (tests call this, the bot calls `parse_directive`)."""
    lines = normalise_text(text).split("\n")
    out = ParsedDirective()
    n = len(lines)
    kg = next((i for i, line in enumerate(lines) if hd.KINH_GUI.match(line)), None)
    first_body = _body_start(lines)
    header_end = kg if kg is not None and kg <= first_body else first_body
    noi_nhan = next((i for i in range(n - 1, header_end - 1, -1) if hd.NOI_NHAN.match(lines[i])), None)
    signature = hd.find_signature(lines, header_end)
    ends = [x for x in (noi_nhan, signature.start if signature else None) if x is not None and x > header_end]
    body_end = min(ends) if ends else n

    header_org = hd.header_fields(lines, header_end, out)
    out.place, date_match = hd.place_date(lines, header_end)
    if date_match is not None:
        out.date = hd.parse_date(date_match)
        if out.date is None:
            out.notes.append(Note.of("bad_date", text=date_match.group(0)))

    body_start = header_end
    if kg is not None:
        rec_texts, body_start = hd.recipient_lines(lines, kg, body_end)
        body_start = max(body_start, header_end)
        _set_recipients(out, directory, rec_texts, distribution=False)
    elif noi_nhan is not None:
        _set_recipients(out, directory, hd.distribution(lines, noi_nhan), distribution=True)

    if signature:
        out.signer = signature.signer
    folded = fold("\n".join(lines))
    if signature and signature.org:
        out.issuer = hd.qualify_issuer(signature.org, header_org, folded)
    elif header_org:
        out.issuer = header_org

    finder = MonitorFinder(directory, out)
    root = build_tree(lines[body_start:body_end], finder)
    finder.settle(root)
    out.duties = derive_duties(root, Roles(directory, out))
    if not out.kind:
        out.kind = hd.closing_kind(folded, has_kinh_gui=kg is not None, out=out)
    if out.number is None:
        out.notes.append(Note.of("no_number"))
    if out.date is None:
        out.notes.append(Note.of("no_date"))
    if not out.duties:
        out.notes.append(Note.of("no_duties"))
    return out


def parse_directive(text: str, directory: UnitDirectory) -> ParsedDirective:
    """Parse a directive's text. Never raises: whatever cannot be read becomes a note."""
    try:
        return parse_strict(text, directory)
    except Exception:  # a parser bug must not lose the secretary's document
        log.exception("directive parser failed")
        return ParsedDirective(notes=[Note.of("failed")])
