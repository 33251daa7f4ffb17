"""The house rules that a reader can check by counting: module size, and test modules standing alone."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400


def test_no_module_of_the_bot_is_over_400_lines() -> None:
    long = [
        (str(p.relative_to(ROOT)), n)
        for base in ("bot", "db", "fakeapi")
        for p in (ROOT / base).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert long == []


def test_no_test_module_imports_another() -> None:
    """Shared steps live in tests/support; a test module importing another runs its tests twice over."""
    found = []
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and re.match(r"tests\.\w+\.test_", node.module):
                found.append((str(path.relative_to(ROOT)), node.module))
            if isinstance(node, ast.ImportFrom) and node.module and re.fullmatch(r"tests\.\w+", node.module):
                found += [(str(path.relative_to(ROOT)), a.name) for a in node.names if a.name.startswith("test_")]
    assert found == []


def test_handlers_are_thin() -> None:
    """A handler decodes, calls one use case, renders and sends: 25 lines at most, each of its helpers too."""
    long = []
    for path in (ROOT / "bot" / "handlers").rglob("*.py"):
        functions = [
            node
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        where = path.relative_to(ROOT)
        long += [f"{where}:{f.lineno} {f.name}" for f in functions if (f.end_lineno or 0) - f.lineno >= 25]
    assert long == []
