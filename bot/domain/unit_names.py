"""Other ways offices write a unit's name: abbreviations ("UBND", "BCĐ"), initials ("Sở KH&ĐT"), "&" for "và"."""

from __future__ import annotations

from typing import Final

# How offices shorten names: "UBND", "UB MTTQ", "BCĐ", "Sở KH&ĐT" (the "&" is no word: "kh dt").
_ABBREVIATIONS: Final = tuple(
    (tuple(long.split()), tuple(short.split()))
    for long, short in (
        ("uy ban nhan dan", "ubnd"), ("mat tran to quoc viet nam", "mttq"), ("mat tran to quoc", "mttq"),
        ("hoi dong nhan dan", "hdnd"), ("ban chi dao", "bcd"), ("ban chi huy", "bch"), ("uy ban", "ub"),
        ("phong chong thien tai", "pctt"), ("tim kiem cuu nan", "tkcn"), ("lien doan lao dong", "ldld"),
    )
)  # fmt: skip
_INITIAL_HEADS: Final = frozenset({"so"})


def _abbreviate(keys: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    i = 0
    while i < len(keys):
        for long, short in _ABBREVIATIONS:
            if keys[i : i + len(long)] == long:
                out.extend(short)
                i += len(long)
                break
        else:
            out.append(keys[i])
            i += 1
    return tuple(out)


def _initials(keys: tuple[str, ...]) -> set[tuple[str, ...]]:
    """ "so ke hoach va dau tu" -> "so kh dt", "so khdt": each part's syllables by their first letters."""
    if len(keys) < 3 or keys[0] not in _INITIAL_HEADS:
        return set()
    parts: list[list[str]] = [[]]
    for key in keys[1:]:
        if key == "va":
            parts.append([])
        elif key.isalpha():
            parts[-1].append(key[0])
    groups = ["".join(p) for p in parts if p]
    if len(groups) < 2 and len(groups[0] if groups else "") < 2:
        return set()
    return {(keys[0], *groups), (keys[0], "".join(groups))}


def variants(keys: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Other ways the same name is written; never shorter than two words unless an abbreviation."""
    found = {_abbreviate(keys), tuple(k for k in keys if k != "va")} | _initials(keys)
    found |= {tuple(k for k in v if k != "va") for v in found}
    return {v for v in found if v and v != keys and (len(v) >= 2 or v[0] in {s[0] for _l, s in _ABBREVIATIONS})}
