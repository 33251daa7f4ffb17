"""Step 5b, roles: which nodes of the tree are duties, and who leads and supports each.

- The subject of a duty leads; "phối hợp với" / "cùng với" clauses support; bullets that open with
  units add leads.
- A heading that only names its addressee ("1. Ủy ban nhân dân các huyện:", or a paragraph
  "Thường trực Tỉnh ủy yêu cầu Ban Chỉ đạo …:" over 2.1–2.7) is no duty; its sub-points inherit it.
- Lettered sub-items are duties when they carry an assignment (or stand under such a heading);
  otherwise they stay in their parent's text.
- A duty naming nobody takes its nearest named ancestor's units; only when none named anybody does it
  fall to the recipients ("general").
- "các sở, ngành liên quan" is not every department: it comes back as a pick list.
"""

from __future__ import annotations

import re
from typing import Final

from bot.domain.parser.mentions import Hit, Segment
from bot.domain.parser.result import DutyUnit, Note, ParsedDirective, ParsedDuty, Role, Source, Unresolved
from bot.domain.parser.structure import Block, Node
from bot.domain.textnorm import fold
from bot.domain.tokens import Tokens
from bot.domain.units import UnitDirectory, UnitRef

_HEADING_WORDS: Final = 15
_RELATED = re.compile(r"^\s*(?:co\s+)?lien\s+quan\b")
_RELATED_SHOWN: Final = 6
# An item that only assesses ("Thường trực Tỉnh ủy đánh giá cao …") is no one's work.
_ASSESSMENT = re.compile(
    r"^(?:[\w ]{0,40}?\b(?:tinh uy|ban thuong vu|thuong truc|uy ban nhan dan tinh|ubnd tinh|chu tich)\s+)?"
    r"(?:co ban |nhat tri |)(?:danh gia cao|danh gia|ghi nhan|bieu duong|hoan nghenh|thong nhat|nhat tri)\b"
)
# The operative sentence of an unnumbered công văn.
_OPERATIVE = re.compile(r"\b(?:yeu cau|de nghi|giao|chi dao|chi thi|dieu dong|kinh de nghi)\b")


def is_heading(text: str) -> bool:
    words = len(text.split())
    return (text.endswith(":") and words <= 25) or (not text.endswith((".", ";")) and words <= _HEADING_WORDS)


class Acc:
    """Units of one duty, in order of first mention; a lead role wins over support."""

    def __init__(self) -> None:
        self.units: dict[str, DutyUnit] = {}
        self.unresolved: list[Unresolved] = []

    def add(self, unit: DutyUnit) -> None:
        """A unit named on its own keeps its role against a collective's expansion ("các cấp ủy đảng …
        phối hợp với Bộ đội Biên phòng": BĐBP supports); otherwise lead wins over support."""
        known = self.units.get(unit.code)
        if known is None:
            self.units[unit.code] = unit
        elif known.via and not unit.via:
            known.role, known.matched_text, known.via = unit.role, unit.matched_text, None
        elif known.role == "support" and unit.role == "lead" and not (unit.via and not known.via):
            known.role, known.matched_text, known.via = "lead", unit.matched_text, unit.via


class Roles:
    def __init__(self, directory: UnitDirectory, out: ParsedDirective) -> None:
        self.directory = directory
        self.out = out

    # --- units of one segment ---
    def _related(self, seg: Segment, hit: Hit) -> bool:
        if isinstance(hit, str) or not hit.unit.is_collective:
            return False
        tokens = seg.tokens
        after = " ".join(tokens.keys[hit.end : hit.end + 3])
        return bool(_RELATED.match(after)) and not (hit.end < len(tokens) and tokens.hard[hit.end])

    def _ranked_members(self, unit: UnitRef, context: str) -> list[str]:
        """A collective's members, those the duty's text speaks of first."""
        words = set(Tokens(context).keys)
        members = self.directory.expand(unit.code)

        def score(member: UnitRef) -> float:
            keys = [k for k in Tokens(member.name).keys[1:] if len(k) > 1]
            return sum(k in words for k in keys) / (len(keys) or 1)

        ranked = sorted(members, key=score, reverse=True)
        return [m.code for m in ranked if score(m) > 0][:_RELATED_SHOWN] or [m.code for m in ranked[:_RELATED_SHOWN]]

    def _to_units(self, hits: list[Hit], role: Role, seg: Segment, acc: Acc, context: str) -> None:
        for hit in hits:
            if isinstance(hit, str):
                sure = self.directory.resolve_close(hit)
                if sure is None:
                    acc.unresolved.append(Unresolved(hit, [u.code for u in self.directory.suggest(hit)], role))
                else:
                    acc.add(DutyUnit(sure.code, sure.name, role, hit))
                continue
            matched = seg.tokens.span_text(hit.start, hit.end)
            if self._related(seg, hit):
                words = 3 if seg.tokens.keys[hit.end] == "co" else 2
                phrase = seg.tokens.span_text(hit.start, min(hit.end + words, len(seg.tokens)))
                acc.unresolved.append(Unresolved(phrase, self._ranked_members(hit.unit, context), role, related=True))
                continue
            if hit.unit.is_collective:
                for unit in self.directory.expand(hit.unit.code) or [hit.unit]:
                    acc.add(DutyUnit(unit.code, unit.name, role, matched, via=hit.unit.code))
            else:
                acc.add(DutyUnit(hit.unit.code, hit.unit.name, role, matched))

    def segment_units(self, text: str, acc: Acc, head: bool, context: str = "") -> bool:
        """Add the segment's subject (lead) and partners (support); True if it named a lead."""
        seg = Segment(text, self.directory)
        leads, end = seg.subject(head)
        self._to_units(leads, "lead", seg, acc, context or text)
        self._to_units(seg.supports(end), "support", seg, acc, context or text)
        return bool(leads)

    def _node_units(self, head: str, blocks: list[Block], acc: Acc, context: str) -> bool:
        named = self.segment_units(head, acc, head=True, context=context) if head else False
        heading = is_heading(head)
        for block in blocks:
            if block.kind == "bullet":
                text = re.sub(r"^-\s*", "", block.text)
                named = self.segment_units(text, acc, False, context) or named
            elif (heading or not head) and not named:
                named = self.segment_units(block.text, acc, not head, context) or named
        return named

    def recipient_units(self) -> list[DutyUnit]:
        acc = Acc()
        for rec in self.out.recipients:
            for unit in rec.units:
                members = self.directory.expand(unit.code) if unit.is_collective else [unit]
                for member in members or [unit]:
                    via = unit.code if unit.is_collective else None
                    acc.add(DutyUnit(member.code, member.name, "lead", rec.text, via=via))
        return list(acc.units.values())

    def _mentioned(self, text: str, assigned: list[DutyUnit]) -> list[str]:
        """Units the text names that got no assignment: the preview warns about them."""
        codes = {u.code for u in assigned} | {u.via for u in assigned if u.via}
        names: list[str] = []
        for m in self.directory.find_mentions(text):
            if m.unit.code not in codes and m.unit.name not in names:
                names.append(m.unit.name)
        for line in text.split("\n"):
            for name in Segment(line, self.directory).unknown_names():
                if name not in names and self.directory.resolve_close(name) is None:
                    names.append(name)
        return names

    # --- duties ---
    def duty(
        self, node_label: str, parent: str | None, head: str, blocks: list[Block], inherited: Acc | None
    ) -> ParsedDuty:
        body = "\n".join(t for t in [head] + [b.text for b in blocks] if t)
        acc = Acc()
        named = self._node_units(head, blocks, acc, body)
        duty = ParsedDuty(label=node_label, parent=parent, text=body, general=False)
        duty.unresolved = acc.unresolved
        for un in duty.unresolved:
            self.out.notes.append(Note.of("unresolved", label=node_label, text=un.text))
        source: Source
        if named or acc.unresolved:
            duty.units, source = list(acc.units.values()), "own"
        elif inherited is not None and inherited.units:
            duty.units = [DutyUnit(u.code, u.name, u.role, u.matched_text, u.via) for u in inherited.units.values()]
            duty.units += [u for u in acc.units.values() if u.code not in inherited.units]
            source = "parent"
        else:
            duty.general, source = True, "recipients"
            general = Acc()
            for unit in [*self.recipient_units(), *acc.units.values()]:
                general.add(unit)
            duty.units = list(general.units.values())
            if not any(u.role == "lead" for u in duty.units):
                self.out.notes.append(Note.of("general_no_recipients", label=node_label))
                source = "none"
            elif parent is not None:
                self.out.notes.append(Note.of("from_recipients", label=node_label))
        duty.source = source
        duty.mentioned = self._mentioned(body, duty.units)
        return duty


def _letters_are_duties(node: Node, roles: Roles) -> bool:
    letters = [c for c in node.children if c.kind == "letter"]
    if not letters:
        return False
    if is_heading(node.head) and not [b for b in node.blocks if b.kind == "para"]:
        return True
    return any(roles.segment_units(c.head, Acc(), head=True) for c in letters)


def _merged_blocks(node: Node) -> list[Block]:
    """The node's blocks with its lettered points folded in (they are part of its text)."""
    blocks = list(node.blocks)
    for child in node.children:
        if child.kind == "letter":
            blocks.append(Block("bullet", f"{child.marker}) {child.head}".strip()))
            blocks.extend(child.blocks)
    return blocks


def _is_assessment(node: Node) -> bool:
    return node.kind == "number" and len(node.path) == 1 and bool(_ASSESSMENT.match(fold(node.head)))


def derive_duties(root: Node, roles: Roles) -> list[ParsedDuty]:
    """Every duty of the tree, in document order."""
    out: list[ParsedDuty] = []
    if not root.children:
        return _unnumbered(root, roles)

    def visit(node: Node, parent_label: str | None, inherited: Acc | None) -> None:
        if node.skip:
            if node.parent is not None and not node.parent.skip:
                roles.out.notes.append(Note.of("skipped_section", heading=node.head.rstrip(":")))
            return
        if _is_assessment(node) and not node.children and not roles.segment_units(node.head, Acc(), head=True):
            roles.out.notes.append(Note.of("skipped_section", heading=_short(node.head)))
            return
        letters_split = _letters_are_duties(node, roles)
        duty_children = [c for c in node.children if c.kind != "letter" or letters_split]
        paras = [b for b in node.blocks if b.kind == "para"]
        heading = is_heading(node.head) or not node.head
        # A heading over sub-points, with at most an addressee paragraph ending in ":".
        container = (
            bool(duty_children)
            and heading
            and len(paras) == len(node.blocks)
            and all(p.text.endswith(":") for p in paras)
        )
        if node.kind in ("part", "roman") and duty_children:
            container = True
        addressee = Acc()
        if container:
            texts = [node.head] + [p.text for p in paras]
            for text in texts:
                if text:
                    roles.segment_units(text, addressee, head=True)
            below = addressee if addressee.units else inherited
            label = parent_label
        else:
            blocks = node.blocks if letters_split else _merged_blocks(node)
            duty = roles.duty(node.label, parent_label, node.head, blocks, inherited)
            out.append(duty)
            below = inherited
            if duty.source == "own" and duty.units:
                below = Acc()
                for unit in duty.units:
                    below.add(unit)
            label = node.label
        for child in duty_children:
            visit(child, label if node.kind not in ("part", "roman") else None, below)

    for child in root.children:
        visit(child, None, None)
    return out


def _short(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _unnumbered(root: Node, roles: Roles) -> list[ParsedDuty]:
    """A công văn without numbering: its operative paragraphs are one duty, or one per unit bullet."""
    blocks = root.blocks
    start = next((i for i, b in enumerate(blocks) if b.kind == "para" and _OPERATIVE.search(fold(b.text))), None)
    if start is None:
        return []
    if blocks[start].text.endswith(":") and start + 1 < len(blocks):
        start += 1  # "… Ủy ban nhân dân tỉnh yêu cầu:": the recap ends, the instruction follows
    body = blocks[start:]
    bullets = [b for b in body if b.kind == "bullet"]
    own = [b for b in bullets if roles.segment_units(re.sub(r"^-\s*", "", b.text), Acc(), head=True)]
    if len(bullets) >= 2 and len(own) == len(bullets):
        return [roles.duty(str(k), None, re.sub(r"^-\s*", "", b.text), [], None) for k, b in enumerate(bullets, 1)]
    return [roles.duty("1", None, body[0].text, body[1:], None)]
