"""Summary benchmark: prints one JSON line.

    python bench/summary.py [--quick]            # the three cases below, each in its own process
    python bench/summary.py --reports N          # one case

Builds the rows the loader would return, in its order (the database read is not part of this
figure: it reads only the period's reports and pings), then times the pure computation, the HTML
rendering, the chart and the workbook separately, in wall and CPU time, and reports the peak
memory (which includes the rows themselves, as the loader would hold them). Goals, for 50
directives, 2,000 duties and 300 units:
  week     3,000 reports:     everything, chart and workbook included, < 1.5 s
  year     150,000 reports:   everything < 15 s, peak memory < 400 MB
  million  1,000,000 reports: peak memory <= 400 MB
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.domain.enums import AssignmentRole, AssignmentStatus, PingStatus, ReportKind  # noqa: E402
from bot.domain.summary import AssignmentRow, PingRow, ReportRow, compute  # noqa: E402
from bot.services.summary import week_of  # noqa: E402
from bot.views.chart import render_chart  # noqa: E402
from bot.views.summary import render_summary  # noqa: E402
from bot.views.workbook import build_workbook  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 27)
KINDS = [ReportKind.PROGRESS, ReportKind.DONE, ReportKind.NOTE, ReportKind.BLOCKED, ReportKind.EXTENSION]


def build(
    directives: int, duties: int, units: int, reports: int, seed: int = 7
) -> tuple[list[AssignmentRow], list[ReportRow], list[PingRow]]:
    rnd = random.Random(seed)
    rows: list[AssignmentRow] = []
    for duty in range(duties):
        directive = duty % directives
        deadline = TODAY + timedelta(days=rnd.randint(-60, 60)) if rnd.random() < 0.85 else None
        for k, unit in enumerate(rnd.sample(range(units), 3)):
            done = rnd.random() < 0.4
            done_on = (deadline or TODAY) + timedelta(days=rnd.randint(-10, 5)) if done else None
            rows.append(
                AssignmentRow(
                    assignment_id=len(rows) + 1, directive_id=directive + 1, directive_number=f"{directive + 1}-CV/TU",
                    directive_title=f"Văn bản chỉ đạo số {directive + 1}", duty_id=duty + 1,
                    duty_label=str(duty % 40 + 1), duty_text="Chủ trì, phối hợp triển khai thực hiện nhiệm vụ.",
                    unit_id=unit + 1, unit_name=f"Sở, ban, ngành số {unit + 1}",
                    role=AssignmentRole.LEAD if k == 0 else AssignmentRole.SUPPORT,
                    status=AssignmentStatus.CONFIRMED if done else AssignmentStatus.IN_PROGRESS,
                    deadline=deadline, original_deadline=deadline,
                    done_on=min(done_on, TODAY) if done_on else None, assigned_on=TODAY - timedelta(days=90),
                    percent=None, blocked=False, extension_status=None, extension_to=None,
                )
            )  # fmt: skip
    start = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)
    # Ids in arrival order, rows oldest first: what the loader's ORDER BY received_at, id returns.
    moments = sorted(start + timedelta(seconds=rnd.randint(0, 5 * 86400)) for _ in range(reports))
    report_rows = []
    for i, at in enumerate(moments):
        kind = rnd.choice(KINDS)
        report_rows.append(
            ReportRow(
                i + 1,
                rnd.randint(1, len(rows)),
                kind,
                "Đang triển khai, chờ số liệu.",
                at,
                at.astimezone(TZ).date(),
                None,
                rnd.randint(0, 100) if kind is ReportKind.PROGRESS else None,
            )
        )
    pings = [PingRow(a.assignment_id, PingStatus.SENT, TODAY - timedelta(days=rnd.randint(0, 4))) for a in rows]
    return rows, report_rows, pings


CASES = {"week": 3_000, "year": 150_000, "million": 1_000_000}
GOALS = {"week": {"total_s": 1.5}, "year": {"total_s": 15.0, "peak_rss_mb": 400.0}, "million": {"peak_rss_mb": 400.0}}


def one(directives: int, duties: int, units: int, reports: int) -> dict[str, object]:
    assignments, report_rows, pings = build(directives, duties, units, reports)
    period = week_of(TODAY)
    # Wall time is the goal; CPU time too, because on a shared machine the wall time also counts
    # the waits for a core.
    c0, t0 = time.process_time(), time.perf_counter()
    summary = compute(assignments, report_rows, pings, period, today=TODAY)
    t1 = time.perf_counter()
    html = render_summary(summary)
    c2, t2 = time.process_time(), time.perf_counter()
    png = render_chart(summary)
    t3 = time.perf_counter()
    xlsx = build_workbook(summary, assignments, report_rows, tz=TZ)
    c4, t4 = time.process_time(), time.perf_counter()
    return {
        "directives": directives,
        "duties": duties,
        "assignments": len(assignments),
        "units": units,
        "reports": len(report_rows),
        "compute_ms": round((t1 - t0) * 1000, 1),
        "render_ms": round((t2 - t1) * 1000, 1),
        "chart_ms": round((t3 - t2) * 1000, 1),
        "xlsx_ms": round((t4 - t3) * 1000, 1),
        "figures_and_text_s": round(t2 - t0, 3),
        "total_s": round(t4 - t0, 3),
        "figures_and_text_cpu_s": round(c2 - c0, 3),
        "total_cpu_s": round(c4 - c0, 3),
        "html_chars": len(html),
        "png_bytes": len(png),
        "xlsx_bytes": len(xlsx),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _child(reports: int) -> dict[str, object]:
    """One case in a fresh process, so that each peak memory is its own."""
    out = subprocess.run(
        [sys.executable, __file__, "--reports", str(reports)], capture_output=True, text=True, check=True
    ).stdout
    line: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--directives", type=int, default=50)
    parser.add_argument("--duties", type=int, default=2000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--reports", type=int, help="one case of this many reports, not the three")
    parser.add_argument("--quick", action="store_true", help="a smoke run: the million case with 100,000")
    args = parser.parse_args()
    if args.reports is not None:
        line = {"bench": "summary", **one(args.directives, args.duties, args.units, args.reports)}
        print(json.dumps(line, ensure_ascii=False))
        return
    result: dict[str, object] = {"bench": "summary"}
    ok = True
    for name, reports in CASES.items():
        case = _child(100_000 if args.quick and name == "million" else reports)
        case.pop("bench", None)
        figures = {key: float(case[key]) for key in GOALS[name]}  # type: ignore[arg-type]
        case["ratio"] = {key: round(goal / figures[key], 2) for key, goal in GOALS[name].items()}  # > 1: goal met
        # The million case's memory goal is "at most"; the others are "under".
        ok = ok and all(
            figures[key] <= goal if name == "million" else figures[key] < goal for key, goal in GOALS[name].items()
        )
        result[name] = case
    result["goal"] = GOALS
    result["ok"] = ok
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
