"""bot/texts.py is one flat module: a second assignment to a name silently replaces the first."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

TEXTS = Path(__file__).resolve().parents[2] / "bot" / "texts.py"


def test_every_text_name_is_assigned_once() -> None:
    tree = ast.parse(TEXTS.read_text(encoding="utf-8"))
    names = Counter(
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    )
    assert [name for name, n in names.items() if n > 1] == []
