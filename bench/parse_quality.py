"""Score `dondoc parse --json` against the hand-written gold of tests/data/corpus; one JSON line.

    python bench/parse_quality.py [--docs] [--cli] [CORPUS_DIR]

Labels: precision and recall over each document's duty labels. Units: per duty (matched by label),
by role and overall; a collective the gold names is scored once, whatever it expands to; units of a
duty marked `related` are not scored (the secretary picks them). Monitor, number and date: exact.
Out-of-directory names: the share the parser surfaced as unresolved (or as an unknown recipient or
monitor). `--docs` adds per-document figures; `--cli` runs the real `dondoc parse --json` per file
(slower) instead of the same code in-process.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.cli.parse import csv_directory  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.domain.parser import Note, parse_directive  # noqa: E402
from bot.domain.textnorm import fold  # noqa: E402
from bot.domain.units import UnitDirectory  # noqa: E402
from bot.views.directives import render_note  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus"


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[str], pred: set[str]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def merge(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def scores(self) -> dict[str, float | None]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else (None if p is None else 0.0)
        return {"precision": _r(p), "recall": _r(r), "f1": _r(f)}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


@dataclass
class DocScore:
    id: str
    labels: Counts = field(default_factory=Counts)
    units: Counts = field(default_factory=Counts)
    lead: Counts = field(default_factory=Counts)
    support: Counts = field(default_factory=Counts)
    monitor_ok: bool = False
    number_ok: bool = False
    date_ok: bool = False
    ood_total: int = 0
    ood_found: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "labels": self.labels.scores(),
            "units_f1": self.units.scores()["f1"],
            "monitor_ok": self.monitor_ok,
            "number_ok": self.number_ok,
            "date_ok": self.date_ok,
            "ood": f"{self.ood_found}/{self.ood_total}",
        }


def _directory(spec: str, cache: dict[str, UnitDirectory]) -> UnitDirectory:
    if spec not in cache:
        if spec == "config":
            cache[spec] = UnitDirectory.from_config(load_config(ROOT / "config.yaml").units)
        else:
            cache[spec] = csv_directory(str(CORPUS / spec))
    return cache[spec]


def _parsed_json(text_path: Path, gold: dict[str, Any], directory: UnitDirectory, cli: bool) -> dict[str, Any]:
    if not cli:
        return parse_directive(text_path.read_text(encoding="utf-8"), directory).to_json(_note)
    cmd = [sys.executable, "-m", "bot", "--config", str(ROOT / "config.yaml"), "parse", str(text_path), "--json"]
    if gold["units"] != "config":
        cmd += ["--units", str(CORPUS / gold["units"])]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return dict(json.loads(done.stdout))


def _note(note: Note) -> str:
    return render_note(note.code, note.as_dict())


def _collapse(units: Iterable[dict[str, Any]], gold_codes: set[str], role: str | None) -> set[str]:
    """Predicted codes, an expanded collective counted once when the gold names the collective."""
    out: set[str] = set()
    for unit in units:
        if role is not None and unit["role"] != role:
            continue
        via = unit.get("via")
        out.add(via if via and via in gold_codes else unit["code"])
    return out


def _surfaced(name: str, parsed: dict[str, Any]) -> bool:
    key = fold(name)
    texts = [u["text"] for d in parsed["duties"] for u in d["unresolved"]]
    texts += [name for d in parsed["duties"] for name in d.get("mentioned", [])]
    texts += [r["text"] for r in parsed["recipients"] if not r["units"]]
    texts += [q for w in parsed["warnings"] for q in re.findall(r"“([^”]+)”", w)]
    return any(key in fold(t) or fold(t) in key for t in texts if len(t) > 3)


def score_document(gold: dict[str, Any], parsed: dict[str, Any]) -> DocScore:
    doc = DocScore(gold["id"])
    gold_duties = {str(d["label"]): d for d in gold.get("duties") or []}
    pred_duties = {d["label"]: d for d in parsed["duties"]}
    doc.labels.add(set(gold_duties), set(pred_duties))
    for label in set(gold_duties) | set(pred_duties):
        g = gold_duties.get(label)
        p = pred_duties.get(label)
        if g is not None and g.get("related"):
            continue
        g_lead = set(g.get("leads") or []) if g else set()
        g_support = set(g.get("supports") or []) if g else set()
        codes = g_lead | g_support
        p_units = p["units"] if p else []
        doc.lead.add(g_lead, _collapse(p_units, codes, "lead"))
        doc.support.add(g_support, _collapse(p_units, codes, "support"))
        doc.units.add(codes, _collapse(p_units, codes, None))
    pred_monitor = parsed["monitor"]["code"] if parsed["monitor"] else None
    doc.monitor_ok = pred_monitor == gold.get("monitor")
    doc.number_ok = (parsed["number"] or None) == (gold.get("number") or None)
    gold_date = gold.get("date")
    doc.date_ok = (parsed["date"] or None) == (str(gold_date) if gold_date else None)
    names = gold.get("out_of_directory") or []
    doc.ood_total = len(names)
    doc.ood_found = sum(_surfaced(n, parsed) for n in names)
    return doc


def run(corpus: Path, cli: bool = False) -> tuple[dict[str, Any], list[DocScore]]:
    cache: dict[str, UnitDirectory] = {}
    docs: list[DocScore] = []
    for gold_path in sorted(corpus.glob("*.gold.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        text_path = gold_path.with_name(gold_path.name.replace(".gold.yaml", ".txt"))
        parsed = _parsed_json(text_path, gold, _directory(gold["units"], cache), cli)
        docs.append(score_document(gold, parsed))
    labels, units, lead, support = Counts(), Counts(), Counts(), Counts()
    for d in docs:
        labels.merge(d.labels)
        units.merge(d.units)
        lead.merge(d.lead)
        support.merge(d.support)
    n = len(docs) or 1
    ood_total = sum(d.ood_total for d in docs)
    result = {
        "bench": "parse_quality",
        "documents": len(docs),
        "label_precision": labels.scores()["precision"],
        "label_recall": labels.scores()["recall"],
        "unit_precision": units.scores()["precision"],
        "unit_recall": units.scores()["recall"],
        "unit_f1": units.scores()["f1"],
        "lead_f1": lead.scores()["f1"],
        "support_f1": support.scores()["f1"],
        "monitor_accuracy": round(sum(d.monitor_ok for d in docs) / n, 3),
        "number_accuracy": round(sum(d.number_ok for d in docs) / n, 3),
        "date_accuracy": round(sum(d.date_ok for d in docs) / n, 3),
        "out_of_directory_surfaced": round(sum(d.ood_found for d in docs) / ood_total, 3) if ood_total else None,
        "goal": {"label": 0.95, "unit_f1": 0.90, "monitor": 0.90, "out_of_directory": 0.90},
    }
    return result, docs


def main(argv: list[str]) -> int:
    flags = {a for a in argv if a.startswith("--")}
    paths = [a for a in argv if not a.startswith("--")]
    result, docs = run(Path(paths[0]) if paths else CORPUS, cli="--cli" in flags)
    if "--docs" in flags:
        result["docs"] = [d.summary() for d in docs]
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
