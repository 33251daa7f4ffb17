"""Word tokens of a text, accent- and case-folded, with the punctuation a name never runs across."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.domain.textnorm import fold, nfc

WORD = re.compile(r"\w+")
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
        for m in WORD.finditer(text):
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
    return tuple(fold_word(w) for w in WORD.findall(nfc(text)))
