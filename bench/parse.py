"""Parse benchmark: prints one JSON line.

    python bench/parse.py [--runs N]

`median_ms_10kb` is the median time to parse a ~10 KB directive (a real seed extended with more
numbered duties) with the default directory; `directives_per_s` is the throughput over the seed and
fixture directives; `directory_build_ms` is a cold build of the directory index (later builds of the
same unit set are cached).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.config import load_config  # noqa: E402
from bot.domain import units as units_module  # noqa: E402
from bot.domain.parser import parse_directive  # noqa: E402
from bot.domain.units import UnitDirectory  # noqa: E402

GOAL_MS = 50
FIXTURES = [
    *sorted((REPO / "tests/fixtures/seeds").glob("*.txt")),
    *sorted((REPO / "tests/fixtures/directives").glob("*")),
]


def ten_kb_directive(size: int = 10_000) -> str:
    """Seed 001 with the duties of seed 000 appended (renumbered 6, 7, ...) until the text reaches `size` bytes."""
    base = (REPO / "tests/fixtures/seeds/001_f94df6a12811f7f6.txt").read_text(encoding="utf-8")
    extra = (REPO / "tests/fixtures/seeds/000_565450128aa98be5.txt").read_text(encoding="utf-8")
    body = extra[extra.index("\n1. ") : extra.index("\nGiao Văn phòng")]
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    head, tail = base.split("\nGiao Ban Tuyên giáo", 1)
    number, added = 6, ""
    while len((head + added).encode()) < size:
        for para in paragraphs:
            if para[0].isdigit():
                para, number = f"{number}.{para.split('.', 1)[1]}", number + 1
            added += "\n\n" + para
            if len((head + added).encode()) >= size:
                break
    return head + added + "\n\nGiao Ban Tuyên giáo" + tail


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=60)
    args = ap.parse_args()
    units = load_config(REPO / "config.yaml").units

    units_module._build.cache_clear()
    t0 = time.perf_counter()
    directory = UnitDirectory.from_config(units)
    build_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    UnitDirectory.from_config(units)
    cached_build_ms = (time.perf_counter() - t0) * 1000

    text = ten_kb_directive()
    result = parse_directive(text, directory)  # warm-up, and a sanity check
    assert len(result.duties) >= 6 and not any(n.code == "failed" for n in result.notes)
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        parse_directive(text, directory)
        times.append((time.perf_counter() - t0) * 1000)

    big = ten_kb_directive(30_000)
    big_times = []
    for _ in range(max(5, args.runs // 3)):
        t0 = time.perf_counter()
        parse_directive(big, directory)
        big_times.append((time.perf_counter() - t0) * 1000)

    docs = [p.read_text(encoding="utf-8") for p in FIXTURES]
    rounds = max(1, args.runs // 5)
    t0 = time.perf_counter()
    for _ in range(rounds):
        for doc in docs:
            parse_directive(doc, directory)
    elapsed = time.perf_counter() - t0

    print(
        json.dumps(
            {
                "bench": "parse",
                "directives_per_s": round(rounds * len(docs) / elapsed, 1),
                "median_ms_10kb": round(statistics.median(times), 2),
                "p95_ms_10kb": round(sorted(times)[int(len(times) * 0.95) - 1], 2),
                "goal_ms": GOAL_MS,
                "size_bytes_10kb": len(text.encode()),
                "median_ms_30kb": round(statistics.median(big_times), 2),
                "goal_ms_30kb": 150,
                "size_bytes_30kb": len(big.encode()),
                "duties_10kb": len(result.duties),
                "directory_units": len(directory),
                "directory_build_ms": round(build_ms, 2),
                "directory_cached_build_ms": round(cached_build_ms, 3),
                "runs": args.runs,
            }
        )
    )


if __name__ == "__main__":
    main()
