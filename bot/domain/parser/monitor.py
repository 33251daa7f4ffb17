"""Step 5a, the monitor: the unit that follows up and reports ("Giao Văn phòng … theo dõi, đôn đốc").

Found however it is phrased: a "Giao …" paragraph anywhere; a last item or a paragraph after every item
that reports the implementation to the issuer; "báo cáo … (qua Sở Nội vụ)", where the "qua" unit
compiles; "Sở X tổng hợp, báo cáo …". Also decides which paragraphs are closing formulas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.domain.parser.mentions import Segment
from bot.domain.parser.result import Monitor, Note, ParsedDirective
from bot.domain.parser.structure import Block, Node
from bot.domain.textnorm import fold
from bot.domain.units import UnitDirectory

_CLOSING_KIND = re.compile(
    r"\b(?:cong van|chi thi|ket luan|thong bao|ke hoach|nghi quyet|van ban|quy dinh|huong dan|cong dien) nay\b"
)
_CLOSING_START = re.compile(r"^(?:(?:yeu cau|de nghi) (?:cac|toan the|cap uy|moi)|nhan duoc|trong qua trinh)\b")
_CLOSING_MAX_WORDS: Final = 60
_MONITOR_MAX_WORDS: Final = 80
_REPORTS_TO_ISSUER = re.compile(
    r"\bbao cao (?:ve |len |cho )?(?:ban thuong vu|thuong truc|uy ban nhan dan tinh|ubnd tinh|chu tich)\b"
)
_OF_THE_WORK = re.compile(r"\b(?:viec|ket qua|tinh hinh) (?:trien khai )?(?:thuc hien|trien khai)\b")
# "(qua Sở Nội vụ)": the unit reports go through, which compiles them.
_VIA = re.compile(r"\(\s*qua\s+([^()]{3,80})\)", re.IGNORECASE)
_COMPILES = re.compile(r"\btong hop\b.{0,80}\bbao cao\b")


def is_closing(text: str) -> bool:
    key = fold(text)
    if len(key.split()) > _CLOSING_MAX_WORDS:
        return False
    if _CLOSING_START.match(key) and (not key.startswith("trong qua trinh") or "kho khan" in key or "vuong mac" in key):
        return True
    return bool(_CLOSING_KIND.search(key)) or text.rstrip().endswith("./.")


def monitor_verbs(key: str) -> bool:
    return (
        "nam tinh hinh" in key
        or ("theo doi" in key and ("don doc" in key or "bao cao" in key or "thuc hien" in key))
        or ("don doc" in key and "thuc hien" in key)
        or ("giam sat" in key and "bao cao" in key)
        or bool(_COMPILES.search(key) and _OF_THE_WORK.search(key))
    )


def firm_monitor_verbs(key: str) -> bool:
    """Monitor wording strong enough without "Giao": "theo dõi, đôn đốc" or a report to the issuer.

    "Sở Y tế theo dõi tình hình ..., hướng dẫn ... thực hiện" is ordinary work, not monitoring.
    """
    return monitor_verbs(key) and ("don doc" in key or "bao cao" in key)


@dataclass
class _Candidate:
    """A monitor-like paragraph without "Giao": the monitor only if no numbered item follows it."""

    match: Monitor | str
    owner: list[Block] | None  # the blocks it was kept in (None: it followed a closing paragraph)
    block: Block
    items_before: int


class MonitorFinder:
    """The structure step's `Watcher`: takes the monitor's paragraphs out of the duties."""

    def __init__(self, directory: UnitDirectory, out: ParsedDirective) -> None:
        self.directory = directory
        self.out = out
        self.seen = False
        self.after_monitor = False
        self.maybe = False
        self.candidates: list[_Candidate] = []

    def match(self, text: str) -> tuple[bool, Monitor | str] | None:
        """For a monitor-like paragraph: whether "Giao" opens it, and its unit (or the unknown name)."""
        key = fold(text)
        if len(key.split()) > _MONITOR_MAX_WORDS or not monitor_verbs(key):
            return None
        via = _VIA.search(text)
        if via and "bao cao" in key:
            hits, _ = Segment(via.group(1), self.directory).unit_list(0)
            if hits:
                return self._found(text, hits[0], gave=True)
        seg = Segment(text, self.directory)
        start, gave = seg.skip_prefix(0)
        hits, _ = seg.unit_list(start)
        if not hits:
            return None
        return self._found(text, hits[0], gave)

    def _found(self, text: str, hit: object, gave: bool) -> tuple[bool, Monitor | str]:
        if isinstance(hit, str):
            return gave, hit
        unit = hit.unit  # type: ignore[attr-defined]
        return gave, Monitor(code=unit.code, name=unit.name, text=text)

    def set(self, found: Monitor | str) -> None:
        if isinstance(found, str):
            self.out.notes.append(Note.of("monitor_unknown", name=found))
        else:
            self.out.monitor = found
        self.seen = True

    # --- Watcher ---
    def paragraph(self, text: str, bullet: bool, owner: list[Block] | None, block: Block, items: int) -> bool:
        self.maybe = False
        found = None if bullet or self.out.monitor is not None else self.match(text)
        if found is not None and found[0]:
            self.set(found[1])  # "Giao ... theo dõi, đôn đốc ...": the monitor wherever it stands
            self.after_monitor = True
            return True
        if bullet and self.after_monitor and self.out.monitor is not None:
            self.out.monitor.text += "\n" + text  # the monitor's own details, not the last duty's
            return True
        self.after_monitor = False
        # Without "Giao" it may be ordinary work: kept in the item, the monitor only if no item follows.
        if found is not None and firm_monitor_verbs(fold(text)):
            self.maybe = True
            self.candidates.append(_Candidate(found[1], owner, block, items))
        return False

    def is_closing(self, text: str, bullet: bool) -> bool:
        return not (bullet or self.maybe) and is_closing(text)

    # --- after the tree is built ---
    def settle(self, root: Node) -> None:
        """No "Giao" paragraph named the monitor: try the last item, then a paragraph after every item."""
        if self.seen:
            return
        items = sum(1 for n in root.walk() if n.kind == "number")
        self._take_monitor_item(root)
        late = [c for c in self.candidates if c.items_before == items]
        if self.seen or not late:
            return
        chosen = late[-1]
        if chosen.owner is not None:
            # by identity: an identical paragraph elsewhere in the item stays
            for i, b in enumerate(chosen.owner):
                if b is chosen.block:
                    del chosen.owner[i]
                    break
        self.set(chosen.match)

    def _take_monitor_item(self, root: Node) -> None:
        """A last top-level item "Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc ..." is the monitor; without
        "Giao" only when it reports the implementation to the issuer ("... báo cáo Ban Thường vụ Tỉnh ủy
        kết quả thực hiện")."""
        numbers = [n for n in root.walk() if n.kind == "number" and not n.skip]
        if not numbers:
            return
        last = numbers[-1]
        if len(last.path) != 1 or last.children or last.blocks:
            return
        found = self.match(last.head)
        if found is None:
            return
        key = fold(last.head)
        if not found[0] and not (_REPORTS_TO_ISSUER.search(key) and _OF_THE_WORK.search(key)):
            return
        self.set(found[1])
        assert last.parent is not None
        last.parent.children.remove(last)
