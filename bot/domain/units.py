"""The unit directory: who can be named in a directive, and how to find them in text.

Matching works on word tokens, accent- and case-folded, so "Sở TT&TT", "sở tt & tt" and
"SỞ TT-TT" are the same three tokens. Punctuation inside a name is ignored (directives write
"chính trị-xã hội" and "chính trị - xã hội" alike), but a name never spans sentence punctuation
(. ; : ? ! quotes, brackets).

Inactive units stay in the directory (old duties must still resolve through `get`/`lookup`), but
they are never found in new text, suggested, or used when a collective is expanded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from rapidfuzz import fuzz, process

from bot.domain.textnorm import nfc
from bot.domain.tokens import WORD, Tokens, fold_word, token_key
from bot.domain.unit_names import variants

if TYPE_CHECKING:
    from bot.domain.settings import UnitSettings

COLLECTIVE: Final = "collective"
KIND_SELECTOR: Final = "kind:"

# Suggestions below this ratio are noise ("Sở Ngoại vụ" -> "Sở Nội vụ" scores 90).
SUGGEST_CUTOFF: Final = 70.0
# A name this close to exactly one unit is that unit (a typo); "Sở Ngoại vụ" / "Sở Nội vụ" is 90.
_SURE_RATIO: Final = 94.0
# Words a name is written with or without: "Ban Chỉ đạo phòng chống dịch (bệnh) COVID-19 (của) (tỉnh)".
_OPTIONAL_WORDS: Final = frozenset({"benh", "cua", "tinh", "19", "va"})
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
            words = WORD.findall(nfc(name))
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
            for variant in variants(keys) - seen:
                seen.add(variant)
                exact.setdefault(variant, []).append(unit)
                first.setdefault(variant[0], []).append(_Alias(variant, unit, (True,) if len(variant) == 1 else None))
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
    def from_config(cls, units: Sequence[UnitSettings]) -> UnitDirectory:
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

    def match_headed(self, tokens: Tokens, i: int, head: tuple[str, ...]) -> tuple[UnitRef, int] | None:
        """A unit whose name is `head` + the words at token i: "Giáo dục và Đào tạo" after "Sở Y tế, "."""
        if i >= len(tokens):
            return None
        for alias in self._ix.first.get(head[0], ()):
            rest = alias.keys[len(head) :]
            if alias.keys[: len(head)] == head and rest and rest[0] == tokens.keys[i] and tokens.match(i, rest):
                end = i + len(rest)
                return None if _foreign_suffix(tokens, end) else (alias.unit, end)
        return None

    def resolve_close(self, text: str) -> UnitRef | None:
        """The one unit a name not in the directory surely means: a typo ("Bộ chỉ huy Qquân sự tỉnh"), or
        the same name with or without "dịch bệnh", "tỉnh", "của tỉnh". None when two units come close:
        never guess between them."""
        words = token_key(text)
        if not words:
            return None
        core = tuple(w for w in words if w not in _OPTIONAL_WORDS)
        same = {u.code: u for keys, units in self._ix.exact.items() for u in units if u.active and _core(keys) == core}
        if len(same) == 1:
            return next(iter(same.values()))
        if same:
            return None
        query = " ".join(words)
        found = process.extract(
            query, self._ix.fuzzy_keys, scorer=fuzz.ratio, processor=None, score_cutoff=_SURE_RATIO, limit=4
        )
        units = {self._ix.fuzzy_units[idx].code: self._ix.fuzzy_units[idx] for _key, _score, idx in found}
        return next(iter(units.values())) if len(units) == 1 else None

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


def _core(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in keys if w not in _OPTIONAL_WORDS)


def _caps_ok(tokens: Tokens, i: int, alias: _Alias) -> bool:
    if alias.caps is None:
        return True
    return all(tokens.caps[i + k] for k, need in enumerate(alias.caps) if need)


def _foreign_suffix(tokens: Tokens, end: int) -> bool:
    if end >= len(tokens) or tokens.hard[end] or tokens.gap(end).strip():
        return False
    return any(tokens.match(end, suffix) for suffix in _FOREIGN_SUFFIXES)
