"""The unit directory: who can be named in a directive, and how to find them in text.

Matching works on word tokens, accent- and case-folded, so "Sở TT&TT", "sở tt & tt" and
"SỞ TT-TT" are the same three tokens. Punctuation inside a name is ignored (directives write
"chính trị-xã hội" and "chính trị - xã hội" alike), but a name never spans sentence punctuation
(. ; : ? ! quotes, brackets).

Inactive units stay in the directory (old duties must still resolve through `get`/`lookup`), but
they are never found in new text, suggested, or used when a collective is expanded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from rapidfuzz import fuzz, process

from bot.domain.textnorm import fold, nfc

if TYPE_CHECKING:
    from bot.config import UnitConfig

COLLECTIVE: Final = "collective"
KIND_SELECTOR: Final = "kind:"

# Suggestions below this ratio are noise ("Sở Ngoại vụ" -> "Sở Nội vụ" scores 90).
SUGGEST_CUTOFF: Final = 70.0
_PREFIX_WORDS: Final = 3


@dataclass(frozen=True, slots=True)
class UnitRef:
    code: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    active: bool = True

    @property
    def is_collective(self) -> bool:
        return self.kind == COLLECTIVE


@dataclass(frozen=True, slots=True)
class Mention:
    unit: UnitRef
    start: int
    end: int
    matched_text: str


# --- tokens -------------------------------------------------------------------------------------
_WORD = re.compile(r"\w+")
# Characters between two words that end a phrase: a unit name never runs across them.
_HARD = re.compile(r"[.;:!?()\[\]{}\"“”«»]|\n\s*\n")
_fold_cache: dict[str, str] = {}


def fold_word(word: str) -> str:
    """fold() for one token, memoised: directives repeat the same few hundred words."""
    key = _fold_cache.get(word)
    if key is None:
        if len(_fold_cache) > 100_000:
            _fold_cache.clear()
        key = _fold_cache[word] = fold(word)
    return key


class Tokens:
    """Word tokens of a text with their spans, folded keys and capitalisation.

    `hard[i]` is True when sentence punctuation separates token i from token i-1;
    `gap(i)` is the raw text between them.
    """

    __slots__ = ("caps", "ends", "hard", "keys", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.keys: list[str] = []
        self.caps: list[bool] = []
        self.hard: list[bool] = []
        prev_end = 0
        for m in _WORD.finditer(text):
            word = m.group()
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.keys.append(fold_word(word))
            self.caps.append(word[0].isupper())
            self.hard.append(bool(self.starts) and _HARD.search(text, prev_end, m.start()) is not None)
            prev_end = m.end()
        if self.hard:
            self.hard[0] = False

    def __len__(self) -> int:
        return len(self.keys)

    def gap(self, i: int) -> str:
        """The text between token i-1 and token i."""
        return self.text[self.ends[i - 1] if i > 0 else 0 : self.starts[i]]

    def span_text(self, i: int, j: int) -> str:
        """Source text of tokens i..j-1."""
        return self.text[self.starts[i] : self.ends[j - 1]] if j > i else ""

    def match(self, i: int, seq: Sequence[str]) -> bool:
        """Do tokens i.. equal `seq` without crossing sentence punctuation?"""
        n = len(seq)
        if i + n > len(self.keys):
            return False
        return tuple(self.keys[i : i + n]) == tuple(seq) and not any(self.hard[i + 1 : i + n])


def token_key(text: str) -> tuple[str, ...]:
    return tuple(fold_word(w) for w in _WORD.findall(nfc(text)))


# --- the index ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Alias:
    keys: tuple[str, ...]
    unit: UnitRef
    # For one- and two-word aliases: which words must be capitalised in the text too,
    # so "Tỉnh đoàn" does not fire on "toàn tỉnh đoàn kết". None: any case.
    caps: tuple[bool, ...] | None


# A name followed directly (no punctuation) by one of these names a different body:
# "Ban Tuyên giáo Trung ương", "Công an huyện", "Ban Dân vận Huyện ủy".
_FOREIGN_SUFFIXES: Final = tuple(
    tuple(s.split())
    for s in (
        "trung uong", "tw", "chinh phu", "quoc gia", "huyen", "thanh uy", "thi uy", "thanh pho", "thi xa",
        "cap huyen", "cap xa", "cac huyen", "dang uy", "khu vuc", "quan khu",
    )
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Index:
    by_code: dict[str, UnitRef]
    order: tuple[UnitRef, ...]
    first: dict[str, tuple[_Alias, ...]]  # first token -> aliases, longest first
    exact: dict[tuple[str, ...], tuple[UnitRef, ...]]  # whole name -> units, active first
    fuzzy_keys: tuple[str, ...]
    fuzzy_units: tuple[UnitRef, ...]
    by_prefix: dict[tuple[str, ...], tuple[int, ...]]  # first words -> indexes into fuzzy_keys


def _names(unit: UnitRef) -> list[str]:
    return [unit.name, *unit.aliases]


@lru_cache(maxsize=16)
def _build(units: tuple[UnitRef, ...]) -> _Index:
    by_code: dict[str, UnitRef] = {}
    for unit in units:
        by_code.setdefault(unit.code, unit)
    order = tuple(by_code.values())
    first: dict[str, list[_Alias]] = {}
    exact: dict[tuple[str, ...], list[UnitRef]] = {}
    fuzzy_keys: list[str] = []
    fuzzy_units: list[UnitRef] = []
    by_prefix: dict[tuple[str, ...], list[int]] = {}
    for unit in order:
        seen: set[tuple[str, ...]] = set()
        for name in _names(unit):
            words = _WORD.findall(nfc(name))
            keys = tuple(fold_word(w) for w in words)
            if not keys or keys in seen:
                continue
            seen.add(keys)
            exact.setdefault(keys, []).append(unit)
            if not unit.active:
                continue
            caps = tuple(w[0].isupper() for w in words) if len(keys) <= 2 else None
            first.setdefault(keys[0], []).append(_Alias(keys, unit, caps))
            if len(keys) >= _PREFIX_WORDS:
                by_prefix.setdefault(keys[:_PREFIX_WORDS], []).append(len(fuzzy_keys))
            fuzzy_keys.append(" ".join(keys))
            fuzzy_units.append(unit)
    return _Index(
        by_code=by_code,
        order=order,
        first={k: tuple(sorted(v, key=lambda a: -len(a.keys))) for k, v in first.items()},
        exact={k: tuple(sorted(v, key=lambda u: not u.active)) for k, v in exact.items()},
        fuzzy_keys=tuple(fuzzy_keys),
        fuzzy_units=tuple(fuzzy_units),
        by_prefix={k: tuple(v) for k, v in by_prefix.items()},
    )


@dataclass(frozen=True, slots=True)
class TokenMention:
    """A unit found at tokens [start, end) of a Tokens object."""

    unit: UnitRef
    start: int
    end: int


class UnitDirectory:
    """An immutable view of the units; cheap to build (the index is cached per unit set)."""

    def __init__(self, units: Iterable[UnitRef]) -> None:
        self._ix = _build(tuple(units))

    @classmethod
    def from_config(cls, units: Sequence[UnitConfig]) -> UnitDirectory:
        return cls(
            UnitRef(
                code=u.code,
                name=u.name,
                kind=u.kind,
                aliases=tuple(u.aliases),
                members=tuple(u.members),
            )
            for u in units
        )

    def __len__(self) -> int:
        return len(self._ix.order)

    def get(self, code: str) -> UnitRef | None:
        return self._ix.by_code.get(code)

    def all(self) -> list[UnitRef]:
        return [u for u in self._ix.order if u.active]

    def expand(self, code: str) -> list[UnitRef]:
        """A collective's concrete active members (recursively, without repeats); a unit itself."""
        unit = self.get(code)
        if unit is None:
            return []
        if not unit.is_collective:
            return [unit]
        result: dict[str, UnitRef] = {}
        self._expand_into(unit, result, {unit.code})
        return list(result.values())

    def _expand_into(self, unit: UnitRef, out: dict[str, UnitRef], seen: set[str]) -> None:
        for member in unit.members:
            if member.startswith(KIND_SELECTOR):
                kind = member[len(KIND_SELECTOR) :]
                targets = [u for u in self._ix.order if u.kind == kind and u.active]
            else:
                ref = self.get(member)
                targets = [ref] if ref is not None and ref.active else []
            for target in targets:
                if target.is_collective:
                    if target.code not in seen:  # cycles in an admin-edited directory must not hang
                        seen.add(target.code)
                        self._expand_into(target, out, seen)
                else:
                    out.setdefault(target.code, target)

    def lookup(self, text: str) -> UnitRef | None:
        """The unit whose code, name or alias is exactly `text` (accent/case-insensitive); active first."""
        raw = nfc(text).strip()
        if not raw:
            return None
        if (unit := self.get(raw.lower())) is not None:
            return unit
        units = self._ix.exact.get(token_key(raw))
        return units[0] if units else None

    # --- finding names in running text ---
    def scan(self, tokens: Tokens) -> list[TokenMention]:
        """Every active unit named in `tokens`: longest match first, non-overlapping."""
        first = self._ix.first
        keys = tokens.keys
        n = len(keys)
        found: list[TokenMention] = []
        i = 0
        while i < n:
            hit: _Alias | None = None
            for alias in first.get(keys[i], ()):
                if tokens.match(i, alias.keys) and _caps_ok(tokens, i, alias):
                    hit = alias
                    break
            if hit is None:
                i += 1
                continue
            end = i + len(hit.keys)
            if not _foreign_suffix(tokens, end):
                found.append(TokenMention(hit.unit, i, end))
            i = end
        return found

    def find_mentions(self, text: str) -> list[Mention]:
        tokens = Tokens(nfc(text))
        return [
            Mention(
                unit=m.unit,
                start=tokens.starts[m.start],
                end=tokens.ends[m.end - 1],
                matched_text=tokens.span_text(m.start, m.end),
            )
            for m in self.scan(tokens)
        ]

    def suggest(self, text: str, limit: int = 3) -> list[UnitRef]:
        """The closest active units by name or alias, best first; [] when nothing is close enough.

        Plain edit-distance ratio on folded names (WRatio's partial matching ranks "Hội Chữ thập đỏ
        tỉnh" close to anything ending in "tỉnh"), plus names sharing the first three words
        ("Ban Chỉ đạo XYZ" -> "Ban Chỉ đạo phòng, chống dịch ...").
        """
        words = token_key(text)
        query = " ".join(words)
        if not query or limit <= 0 or not self._ix.fuzzy_keys:
            return []
        scores: dict[int, float] = {}
        for _key, score, idx in process.extract(
            query, self._ix.fuzzy_keys, scorer=fuzz.ratio, processor=None, score_cutoff=SUGGEST_CUTOFF, limit=None
        ):
            scores[idx] = score
        if len(words) >= _PREFIX_WORDS:
            for idx in self._ix.by_prefix.get(words[:_PREFIX_WORDS], ()):
                bonus = SUGGEST_CUTOFF + fuzz.ratio(query, self._ix.fuzzy_keys[idx]) / 10
                scores[idx] = max(scores.get(idx, 0.0), bonus)
        result: dict[str, UnitRef] = {}
        for idx in sorted(scores, key=lambda k: -scores[k]):
            unit = self._ix.fuzzy_units[idx]
            result.setdefault(unit.code, unit)
            if len(result) >= limit:
                break
        return list(result.values())


def _caps_ok(tokens: Tokens, i: int, alias: _Alias) -> bool:
    if alias.caps is None:
        return True
    return all(tokens.caps[i + k] for k, need in enumerate(alias.caps) if need)


def _foreign_suffix(tokens: Tokens, end: int) -> bool:
    if end >= len(tokens) or tokens.hard[end] or tokens.gap(end).strip():
        return False
    return any(tokens.match(end, suffix) for suffix in _FOREIGN_SUFFIXES)
