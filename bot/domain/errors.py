"""The one refusal type: a request the rules refuse, named by a key that views/ words.

Each area keeps its own subclass (so callers catch what they can handle), but every one of them
carries the same two fields: `key` (the message in texts) and `values` (what the message quotes).
"""

from __future__ import annotations


class Refusal(Exception):
    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values
