"""The QĐ 42/2014 category names, keyed by the domain's Category (words in texts.py)."""

from __future__ import annotations

from typing import Final

from bot import texts
from bot.domain.classify import Category

LABELS: Final[dict[Category, str]] = {c: texts.CATEGORY_LABELS[c.value] for c in Category}
