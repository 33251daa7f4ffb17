"""Finding the unit a person means from what they type: "BCĐ", "UBND tỉnh", "So KH va DT".

One function, `resolve`, used by every command that takes a unit name. It never guesses: when
several units fit about equally well, it returns them as candidates and the caller asks.

Steps, first hit wins:
1. the code, or a name/alias word for word (accents, case and punctuation ignored; "&" = "và");
2. every typed word is explained by one unit's name or alias, in any order: a word of the name,
   a near spelling of one (rapidfuzz), or an initialism of consecutive words ("MTTQ" = "Mặt trận
   Tổ quốc", "KH" = "Kế hoạch"); the unit whose name is best covered wins if clearly ahead;
3. rapidfuzz's token_sort_ratio over the whole names, with a cutoff: candidates only, never a pick.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from rapidfuzz import fuzz, process

from bot.domain.textnorm import fold, nfc, squash_spaces
from bot.domain.units import UnitDirectory, UnitRef

_WORD = re.compile(r"\w+")
_AND: Final = "va"  # "và" and "&" (which \w drops) are the same connective in unit names
WORD_CUTOFF: Final = 80.0  # one typed word against one name word ("Giáo dụcc" -> "giao duc")
NAME_CUTOFF: Final = 75.0  # whole input against whole names, when steps 1-2 found nothing
COVER_MARGIN: Final = 0.25  # step 2: share of the name the winner must cover beyond the runner-up
MAX_CANDIDATES: Final = 6


@dataclass(frozen=True, slots=True)
class Resolution:
    """`unit` when one unit is meant; otherwise `candidates` (best first, maybe empty) to choose from.

    `exact`: found by code, name or alias word for word; changes to the directory accept only these.
    """

    unit: UnitRef | None
    candidates: tuple[UnitRef, ...] = ()
    exact: bool = False


def words(text: str) -> tuple[str, ...]:
    """Folded words without the connective "và": "Sở KH&ĐT" and "sở kh và đt" give the same."""
    return tuple(w for w in (fold(x) for x in _WORD.findall(nfc(text))) if w != _AND)


def _initials(seq: tuple[str, ...]) -> str:
    return "".join(w[0] for w in seq)


def _covers(query: tuple[str, ...], name: tuple[str, ...]) -> int | None:
    """How many words of `name` the query accounts for, or None if some typed word is unexplained."""
    used = [False] * len(name)
    for q in sorted(query, key=lambda w: -len(w)):  # long words first: "tinh" must not take an initial
        hit = next((i for i, w in enumerate(name) if not used[i] and w == q), None)
        if hit is not None:
            used[hit] = True
            continue
        span = _initialism_span(q, name, used)
        if span is not None:
            for i in range(*span):
                used[i] = True
            continue
        if len(q) >= 4:
            near = [(fuzz.ratio(q, w), i) for i, w in enumerate(name) if not used[i] and len(w) >= 3]
            best = max(near, default=(0.0, -1))
            if best[0] >= WORD_CUTOFF:
                used[best[1]] = True
                continue
        return None
    return sum(used)


def _initialism_span(q: str, name: tuple[str, ...], used: list[bool]) -> tuple[int, int] | None:
    """The first run of >= 2 unused consecutive words whose initials spell `q`."""
    n = len(q)
    if n < 2 or not q.isalpha():
        return None
    for start in range(len(name) - n + 1):
        if not any(used[start : start + n]) and _initials(name[start : start + n]) == q:
            return start, start + n
    return None


def _names(unit: UnitRef) -> list[str]:
    return [unit.name, *unit.aliases]


def resolve(directory: UnitDirectory, text: str) -> Resolution:
    raw = squash_spaces(nfc(text))
    if not raw:
        return Resolution(None)
    exact = directory.lookup(raw)
    if exact is not None:
        return Resolution(exact, exact=True)
    query = words(raw)
    if not query:
        return Resolution(None)
    active = directory.all()
    for unit in active:
        if any(words(n) == query for n in _names(unit)):
            return Resolution(unit, exact=True)
    covered = _by_cover(active, query)
    if covered:
        return _decide_by_cover(covered)
    return _by_fuzzy(active, " ".join(query))


def _by_cover(units: list[UnitRef], query: tuple[str, ...]) -> list[tuple[float, UnitRef]]:
    found: list[tuple[float, UnitRef]] = []
    for unit in units:
        best = 0.0
        for name in _names(unit):
            nw = words(name)
            count = _covers(query, nw) if nw else None
            if count is not None:
                best = max(best, count / len(nw))
        if best > 0:
            found.append((best, unit))
    found.sort(key=lambda t: -t[0])
    return found


def _decide_by_cover(found: list[tuple[float, UnitRef]]) -> Resolution:
    if len(found) == 1 or found[0][0] - found[1][0] >= COVER_MARGIN:
        return Resolution(found[0][1])
    return Resolution(None, tuple(u for _, u in found[:MAX_CANDIDATES]))


def _by_fuzzy(units: list[UnitRef], query: str) -> Resolution:
    keys: list[str] = []
    owners: list[UnitRef] = []
    for unit in units:
        for name in _names(unit):
            keys.append(" ".join(words(name)))
            owners.append(unit)
    best: dict[str, tuple[float, UnitRef]] = {}
    for _key, score, idx in process.extract(
        query, keys, scorer=fuzz.token_sort_ratio, processor=None, score_cutoff=NAME_CUTOFF, limit=None
    ):
        unit = owners[idx]
        if unit.code not in best or best[unit.code][0] < score:
            best[unit.code] = (score, unit)
    ranked = sorted(best.values(), key=lambda t: -t[0])
    # Never a pick: "Sở Ngoại vụ" scores 90 against "Sở Nội vụ" and is another body.
    return Resolution(None, tuple(u for _, u in ranked[:MAX_CANDIDATES]))


# --- several names in one line ("chủ trì 2: Sở Y tế, Ban Chỉ đạo phòng, chống dịch") -----------------
_SEP = re.compile(r"(\s*[;,]\s*|\s+(?:và|va)\s+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Named:
    """One name of a list: `unit` if it is clear, else the typed text and its candidates."""

    text: str
    unit: UnitRef | None
    candidates: tuple[UnitRef, ...] = ()


def resolve_list(directory: UnitDirectory, text: str) -> list[Named]:
    """Split at commas, ';' and "và" only where the pieces are names themselves: names contain both
    ("Ban Chỉ đạo phòng, chống dịch", "Sở Kế hoạch và Đầu tư"), so the longest run that names one
    unit wins.
    """
    pieces = _SEP.split(nfc(text))  # name, separator, name, ...
    names = pieces[0::2]
    out: list[Named] = []
    i = 0
    while i < len(names):
        for j in range(len(names), i, -1):
            joined = "".join(pieces[2 * i : 2 * j - 1]).strip().strip(".")
            found = resolve(directory, joined) if joined else None
            if found is not None and found.unit is not None:
                out.append(Named(joined, found.unit))
                i = j
                break
        else:
            alone = names[i].strip().strip(".")
            if alone:
                out.append(Named(alone, None, resolve(directory, alone).candidates))
            i += 1
    return out
