"""Floors per real directive of tests/data/corpus (scored as bench/parse_quality.py scores them)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from parse_quality import CORPUS, _directory, _parsed_json, score_document  # noqa: E402

GOLD = sorted(CORPUS.glob("*.gold.yaml"))


def test_the_corpus_is_there_with_sources() -> None:
    assert len(GOLD) >= 12
    for path in GOLD:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert gold["source"] and path.with_name(path.name.replace(".gold.yaml", ".txt")).exists()


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name.removesuffix(".gold.yaml"))
def test_each_document_keeps_its_floor(path: Path) -> None:
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = path.with_name(path.name.replace(".gold.yaml", ".txt"))
    parsed = _parsed_json(text, gold, _directory(gold["units"], {}), False)
    doc = score_document(gold, parsed)
    labels = doc.labels.scores()
    units = doc.units.scores()
    # Every document of the development corpus is parsed exactly today; a regression fails here.
    assert labels["recall"] in (None, 1.0) and labels["precision"] in (None, 1.0), labels
    assert units["f1"] in (None, 1.0), units
    assert doc.monitor_ok and doc.number_ok and doc.date_ok
