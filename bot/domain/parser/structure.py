"""Step 2, structure: the body's headings, numbering and nesting, as a tree of nodes.

Markers, outermost first: parts `A.`, Roman sections `I.`, numbers `1.` `1)` `1-` `2.1.` `2.1`, letters
`a)` `a.` `đ)`. A marker counts only in sequence (the next number under its parent, `a` first), so
"2020." or "5.000 người" opening a wrapped line stay text. Everything else (paragraphs, `-`/`+`
bullets) is a block of the innermost open node. What follows a closing formula ("Yêu cầu các cơ
quan … nghiêm túc thực hiện./.") is no one's work, and the monitor's paragraph is taken out; both
decisions belong to the caller's `Watcher`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final, Literal, Protocol

from bot.domain.textnorm import fold

PART = re.compile(r"^(?P<m>[A-H])\s*[.)/]\s+(?P<rest>\S.*)$")
ROMAN = re.compile(r"^(?P<m>[IVX]{1,5})\s*[.)/-]\s*(?P<rest>.*)$")
NUMBER = re.compile(r"^(?P<m>\d{1,2}(?:\.\d{1,2}){0,3})\s*(?:[.)/]|-(?![\d-]))(?!\d)\s*(?P<rest>.*)$")
NUMBER_NODOT = re.compile(r"^(?P<m>\d{1,2}(?:\.\d{1,2}){1,3})\s+(?P<rest>.*)$")
LETTER = re.compile(r"^(?P<m>[a-zđ])\s*[.)]\s*(?P<rest>\S.*)$")
_ROMANS: Final = {
    r: i for i, r in enumerate(("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"), 1)
}
_LETTERS_VI: Final = "abcdđeghiklmnopqrstuvxy"
_LETTERS_EN: Final = "abcdefghijklmnopqrstuvwxyz"
_PART_WORDS: Final = 16

NON_DUTY_HEADINGS: Final = (
    "muc dich", "tinh hinh", "ket qua", "danh gia", "boi canh", "can cu", "quan diem", "muc tieu", "thuc trang",
    "nguyen nhan", "y nghia", "uu diem", "han che", "hieu luc", "dieu khoan thi hanh", "kinh phi",
)  # fmt: skip

Kind = Literal["root", "part", "roman", "number", "letter"]


@dataclass
class Block:
    kind: Literal["para", "bullet"]
    text: str


@dataclass(eq=False)
class Node:
    kind: Kind
    marker: str  # "B", "II", "2.1", "a"
    head: str
    parent: Node | None = None
    blocks: list[Block] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    skip: bool = False  # a non-duty heading ("I. MỤC ĐÍCH, YÊU CẦU"): nothing under it is work

    @property
    def path(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.marker.split(".")) if self.kind == "number" else ()

    @property
    def label(self) -> str:
        """The canonical path: "1", "2.1", "2.1.a", "II.3", "B.II.1"."""
        parts: list[str] = []
        node: Node | None = self
        below_number = False
        while node is not None and node.kind != "root":
            if node.kind != "number" or not below_number:
                parts.append(node.marker)
            below_number = below_number or node.kind == "number"
            node = node.parent
        return ".".join(reversed(parts))

    def walk(self) -> list[Node]:
        """Every node below this one, in document order."""
        out: list[Node] = []
        for child in self.children:
            out.append(child)
            out.extend(child.walk())
        return out


class Watcher(Protocol):
    """The monitor and closing decisions, made by the roles step while the tree is built."""

    def paragraph(self, text: str, bullet: bool, owner: list[Block] | None, block: Block, items: int) -> bool:
        """Look at a paragraph before it is kept; True when it was taken (the monitor's own paragraph)."""
        ...

    def is_closing(self, text: str, bullet: bool) -> bool: ...


def _heading_like(text: str) -> bool:
    return text.upper() == text or (len(text.split()) <= _PART_WORDS and not text.rstrip().endswith((".", ";", ",")))


def _next_letter(prev: str | None, letter: str) -> bool:
    if prev is None:
        return letter == "a"
    return any(
        prev in seq and seq.index(prev) + 1 < len(seq) and seq[seq.index(prev) + 1] == letter
        for seq in (_LETTERS_VI, _LETTERS_EN)
    )


class _Builder:
    def __init__(self, watcher: Watcher) -> None:
        self.root = Node("root", "", "")
        self.watcher = watcher
        self.current = self.root
        self.scope = self.root  # the part or Roman section numbers restart in
        self.numbers: dict[tuple[int, ...], Node] = {}
        self.last: tuple[int, ...] = ()
        self.closing = False
        self.items = 0  # numbered items so far

    def _container(self, kinds: tuple[Kind, ...]) -> Node:
        node = self.current
        while node.kind not in kinds:
            assert node.parent is not None
            node = node.parent
        return node

    def _open(self, node: Node, parent: Node) -> None:
        node.parent = parent
        node.skip = parent.skip or (
            node.kind in ("part", "roman", "number")
            and len(node.path) <= 1
            and fold(node.head).startswith(NON_DUTY_HEADINGS)
            and _heading_like(node.head)
        )
        parent.children.append(node)
        self.current, self.closing = node, False

    def _part(self, m: re.Match[str]) -> bool:
        parts = [c for c in self.root.children if c.kind == "part"]
        expected = chr(ord(parts[-1].marker) + 1) if parts else "A"
        if m["m"] != expected or not _heading_like(m["rest"]):
            return False
        self._open(Node("part", m["m"], m["rest"].strip()), self.root)
        self.scope, self.numbers, self.last = self.current, {}, ()
        return True

    def _roman(self, m: re.Match[str]) -> bool:
        holder = self._container(("part", "root"))
        romans = [c for c in holder.children if c.kind == "roman"]
        if _ROMANS.get(m["m"]) != len(romans) + 1 or not m["rest"].strip():
            return False
        self._open(Node("roman", m["m"], m["rest"].strip()), holder)
        self.scope, self.numbers, self.last = self.current, {}, ()
        return True

    def _number(self, m: re.Match[str]) -> bool:
        path = tuple(int(p) for p in m["m"].split("."))
        parent_path = path[:-1]
        parent = self.numbers.get(parent_path) if parent_path else self.scope
        if parent is None or self.last[: len(parent_path)] != parent_path:
            return False
        siblings = [c for c in parent.children if c.kind == "number"]
        if path[-1] != (siblings[-1].path[-1] if siblings else 0) + 1:
            return False
        node = Node("number", m["m"], m["rest"].strip())
        self._open(node, parent)
        self.numbers[path], self.last = node, path
        self.items += 1
        return True

    def _letter(self, m: re.Match[str]) -> bool:
        parent = self.current if self.current.kind != "letter" else self.current.parent
        if parent is None or parent.kind == "root":
            return False
        letters = [c for c in parent.children if c.kind == "letter"]
        if not _next_letter(letters[-1].marker if letters else None, m["m"]):
            return False
        self._open(Node("letter", m["m"], m["rest"].strip()), parent)
        return True

    def marker(self, line: str) -> bool:
        if (m := PART.match(line)) and self._part(m):
            return True
        if (m := ROMAN.match(line)) and self._roman(m):
            return True
        if ((m := NUMBER.match(line)) or (m := NUMBER_NODOT.match(line))) and self._number(m):
            return True
        return bool((m := LETTER.match(line)) and self._letter(m))

    def line(self, line: str) -> None:
        if self.marker(line):
            return
        bullet = line.startswith("-")
        node = self.current
        block = Block("bullet" if bullet else "para", line)
        owner = None if self.closing else node.blocks
        if self.watcher.paragraph(line, bullet, owner, block, self.items):
            return
        if not self.closing and self.watcher.is_closing(line, bullet):
            self.closing = True
            return
        if not self.closing and node.kind != "root" and not node.head and not bullet and not node.blocks:
            node.head = line  # the marker stood alone on its line
            return
        if owner is not None:
            owner.append(block)


def build_tree(lines: list[str], watcher: Watcher) -> Node:
    """The body (`lines`, header and signature already cut off) as a tree under a root node.

    Paragraphs before the first marker are the root's blocks (the recap, or the whole text of an
    unnumbered công văn).
    """
    builder = _Builder(watcher)
    for line in lines:
        if line:
            builder.line(line)
    return builder.root
