"""Run every benchmark and print one Markdown table: each figure, its goal, the ratio to the goal.

    python bench/run_all.py [--quick] [--soak] [--json FILE]

Each benchmark runs as its own process (its JSON line is parsed from stdout), one after the other,
so they do not compete for the two cores. `--quick` uses smaller sizes (a smoke run, not the figures
to quote). `--soak` adds the crash-safety soak (several minutes). `--json FILE` also writes the raw
JSON lines. The machine line under the table says where the figures come from.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Row:
    bench: str
    label: str
    key: str  # dotted path in the bench's JSON line
    goal: float | None = None
    higher_is_better: bool = True
    unit: str = ""


def _runs(quick: bool, soak: bool) -> list[tuple[str, list[str]]]:
    runs = [
        ("startup", ["--runs", "1" if quick else "3"]),
        ("parse", ["--runs", "10" if quick else "60"]),
        ("tick", ["--runs", "5"] if quick else []),
        ("fanout", ["--groups", "100"] if quick else []),
        ("replies", ["--backend", "both", "--replies", "400" if quick else "2000"]),
        ("summary", ["--quick"] if quick else []),
        ("baocao", ["--reports", "500"] if quick else []),
    ]
    if soak:
        runs.append(("soak", ["--backend", "both"] + (["--kills", "20", "--seconds", "40"] if quick else [])))
    return runs


ROWS = [
    # Start-up has no goal in the issues; these two are ours, so a regression shows.
    Row("startup", "start-up to first reply (fresh SQLite, all migrations)", "to_first_reply_s", 3.0, False, "s"),
    Row("startup", "resident memory after the first reply", "rss_mb", 200.0, False, "MB"),
    Row("parse", "parse a 10 KB directive, median", "median_ms_10kb", 50.0, False, "ms"),
    Row("parse", "directives parsed per second", "directives_per_s", None, True, "/s"),
    Row("fanout", "fan-out rate, share of Telegram's 30 msg/s ceiling", "pct_of_ceiling", 95.0, True, "%"),
    Row("fanout", "HTTP 429 refusals during the fan-out", "http_429", 0.0, False, ""),
    Row("tick", "scheduler tick, 100,000 idle assignments", "idle_ms", 20.0, False, "ms"),
    Row("tick", "scheduler tick with 100 due", "due_ms", None, False, "ms"),
    Row("replies:sqlite", "replies/s, SQLite, one at a time", "replies_per_s", 500.0, True, "/s"),
    Row("replies:sqlite", "reply latency p99, SQLite", "p99_ms", 50.0, False, "ms"),
    Row("replies:sqlite", "replies/s, SQLite, 8 at a time", "concurrent.replies_per_s", None, True, "/s"),
    # What PTB and the fake Bot API alone allow: a handler that only acknowledges and edits, no database.
    Row("replies:sqlite", "floor: bare PTB, ack + edit only, no database", "floor.replies_per_s", None, True, "/s"),
    Row("replies:pg", "replies/s, PostgreSQL, one at a time", "replies_per_s", None, True, "/s"),
    Row("replies:pg", "reply latency p99, PostgreSQL", "p99_ms", None, False, "ms"),
    Row("summary", "summary of a week (3,000 reports) with chart and xlsx", "week.total_s", 1.5, False, "s"),
    Row("summary", "a year's export (150,000 reports) with chart and xlsx", "year.total_s", 15.0, False, "s"),
    Row("summary", "a year's export, peak memory", "year.peak_rss_mb", 400.0, False, "MB"),
    Row("summary", "1,000,000 reports in a period, peak memory", "million.peak_rss_mb", 400.0, False, "MB"),
    Row("baocao", "báo cáo .docx, 30 duties x 60 units, 2,000 reports (load + render)", "total_s", 2.0, False, "s"),
    Row("soak:sqlite", "soak, SQLite: replies lost", "losses", 0.0, False, ""),
    Row("soak:sqlite", "soak, SQLite: duplicates", "duplicates", 0.0, False, ""),
    Row("soak:pg", "soak, PostgreSQL: replies lost", "losses", 0.0, False, ""),
    Row("soak:pg", "soak, PostgreSQL: duplicates", "duplicates", 0.0, False, ""),
    Row("soak:sqlite", "soak, SQLite: reminders repeated (at-least-once window)", "duplicate_sends", None, False, ""),
    Row("soak:pg", "soak, PostgreSQL: reminders repeated (at-least-once window)", "duplicate_sends", None, False, ""),
]


def _run(name: str, args: list[str]) -> tuple[list[dict[str, Any]], float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(BENCH / f"{name}.py"), *args], capture_output=True, text=True, check=False
    )
    lines = []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    error = "" if proc.returncode == 0 else (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
    return lines, time.perf_counter() - t0, error


def _key(line: dict[str, Any]) -> str:
    name = str(line.get("bench", "?"))
    return f"{name}:{line['backend']}" if "backend" in line else name


def _get(line: dict[str, Any], path: str) -> Any:
    value: Any = line
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _fmt(value: float) -> str:
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


def table(results: dict[str, dict[str, Any]]) -> str:
    out = ["| benchmark | figure | goal | ratio to goal | met |", "|---|---|---|---|---|"]
    for row in ROWS:
        line = results.get(row.bench)
        if line is None:
            continue
        if "skipped" in line:
            out.append(f"| {row.bench} | {row.label} | — | skipped: {str(line['skipped'])[:60]} | — |")
            continue
        value = _get(line, row.key)
        if not isinstance(value, int | float):
            continue
        shown = f"{_fmt(value)} {row.unit}".strip()
        if row.goal is None:
            out.append(f"| {row.bench} | {row.label}: {shown} | — | — | — |")
            continue
        sign = "≥" if row.higher_is_better else ("=" if row.goal == 0 else "<")
        goal = f"{sign} {_fmt(row.goal)} {row.unit}".strip()
        met = value >= row.goal if row.higher_is_better else (value == 0 if row.goal == 0 else value < row.goal)
        if row.goal == 0:
            ratio = "—"
        else:
            # Above 1 means better than the goal, whichever way the figure points.
            ratio = f"{(value / row.goal if row.higher_is_better else row.goal / value if value else float('inf')):.2f}"
        out.append(f"| {row.bench} | {row.label}: {shown} | {goal} | {ratio} | {'yes' if met else '**no**'} |")
    return "\n".join(out)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}; load average {load}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run")
    parser.add_argument("--soak", action="store_true", help="also run the crash-safety soak (minutes)")
    parser.add_argument("--json", type=Path, help="also write the raw JSON lines here")
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    raw: list[dict[str, Any]] = []
    for name, bench_args in _runs(args.quick, args.soak):
        lines, seconds, error = _run(name, bench_args)
        print(f"{name}: {seconds:.0f} s{' — ' + error if error else ''}", file=sys.stderr, flush=True)
        for line in lines:
            results[_key(line)] = line
            raw.append(line)
    print(table(results))
    print(f"\nMachine: {machine()}.")
    if args.json:
        args.json.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in raw), encoding="utf-8")


if __name__ == "__main__":
    main()
