"""bot/texts/ is one namespace: `from bot import texts` merges the modules its __init__ star-imports,
so a name assigned twice (in one module or in two) would silently replace the other. (The báo cáo's
and the files' words are modules of their own, read as `texts.baocao` and `texts.files`.)"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

TEXTS = Path(__file__).resolve().parents[2] / "bot" / "texts"


def test_every_text_name_is_assigned_once() -> None:
    names: Counter[str] = Counter()
    merged = re.findall(r"^from bot\.texts\.(\w+) import \*", (TEXTS / "__init__.py").read_text(encoding="utf-8"), re.M)
    assert merged
    for module in (TEXTS / f"{name}.py" for name in merged):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names.update(
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)
        )
    assert [name for name, n in names.items() if n > 1] == []


def test_feature_modules_stay_small() -> None:
    assert all(len(p.read_text(encoding="utf-8").splitlines()) <= 400 for p in TEXTS.glob("*.py"))
