"""Weekly-summary benchmark: prints one JSON line.

    python bench/summary.py [--directives 50] [--duties 2000] [--units 300] [--reports 100000]

Builds the rows the loader would return, in its order (the database read is not part of this
figure: it reads only the period's reports and pings), then times the pure computation, the HTML
rendering, the chart and the workbook separately, in wall and CPU time, and reports the peak
memory. Goals: figures + text < 1 s, everything < 3 s.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.chart import render_chart  # noqa: E402
from bot.domain.enums import AssignmentRole, AssignmentStatus, PingStatus, ReportKind  # noqa: E402
from bot.domain.summary import AssignmentRow, PingRow, ReportRow, compute  # noqa: E402
from bot.export_xlsx import build_workbook  # noqa: E402
from bot.services.summary import week_of  # noqa: E402
from bot.views_summary import render_summary  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--directives", type=int, default=50)
    parser.add_argument("--duties", type=int, default=2000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--reports", type=int, default=100_000)
    args = parser.parse_args()
    assignments, reports, pings = build(args.directives, args.duties, args.units, args.reports)
    period = week_of(TODAY)
    # Wall time is the goal; CPU time too, because on a shared machine the wall time also counts
    # the waits for a core.
    c0, t0 = time.process_time(), time.perf_counter()
    summary = compute(assignments, reports, pings, period, today=TODAY)
    t1 = time.perf_counter()
    html = render_summary(summary)
    c2, t2 = time.process_time(), time.perf_counter()
    png = render_chart(summary)
    t3 = time.perf_counter()
    xlsx = build_workbook(summary, assignments, reports, tz=TZ)
    c4, t4 = time.process_time(), time.perf_counter()
    figures_text = t2 - t0
    total = t4 - t0
    print(
        json.dumps(
            {
                "bench": "summary",
                "directives": args.directives,
                "duties": args.duties,
                "assignments": len(assignments),
                "units": args.units,
                "reports": len(reports),
                "compute_ms": round((t1 - t0) * 1000, 1),
                "render_ms": round((t2 - t1) * 1000, 1),
                "chart_ms": round((t3 - t2) * 1000, 1),
                "xlsx_ms": round((t4 - t3) * 1000, 1),
                "figures_and_text_s": round(figures_text, 3),
                "total_s": round(total, 3),
                "figures_and_text_cpu_s": round(c2 - c0, 3),
                "total_cpu_s": round(c4 - c0, 3),
                "html_chars": len(html),
                "png_bytes": len(png),
                "xlsx_bytes": len(xlsx),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "goal": {"figures_and_text_s": 1.0, "total_s": 3.0},
                "ok": figures_text < 1.0 and total < 3.0,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
