"""Báo cáo benchmark: prints one JSON line.

    python bench/baocao.py [--duties 30] [--units 60] [--reports 2000]

Builds one directive on a fresh SQLite database (duties x units assignments, one notice each,
`reports` unit reports with one file in ten), then times what /baocao does: load the rows
(bot.services.baocao.load) and render the .docx (bot.views.baocao.render). Goal: < 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.config import Config  # noqa: E402
from bot.domain.enums import AssignmentRole, AssignmentStatus, PingKind, PingStatus, ReportKind, ReportSource  # noqa: E402
from bot.services.baocao import load  # noqa: E402
from bot.views.baocao import render  # noqa: E402
from db.migrate import upgrade_async  # noqa: E402
from db.models import Assignment, Directive, Duty, Ping, ReportAttachment, StatusReport, Unit  # noqa: E402
from db.session import make_engine, make_session_factory  # noqa: E402

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
TODAY = date(2026, 12, 7)
KINDS = [ReportKind.PROGRESS, ReportKind.DONE, ReportKind.NOTE, ReportKind.BLOCKED, ReportKind.EXTENSION]


async def build(config: Config, duties: int, units: int, reports: int) -> int:
    engine = make_engine(config.db_url())
    await upgrade_async(engine)
    sessions = make_session_factory(engine)
    rnd = random.Random(7)
    start = NOW - timedelta(days=60)
    async with sessions() as s:
        unit_rows = [Unit(code=f"u{i}", name=f"Sở, ban, ngành số {i + 1}", kind="so", aliases=[], members=[],
                          created_at=start, updated_at=start) for i in range(units)]  # fmt: skip
        directive = Directive(
            number="1046-CV/TU", kind="công văn", title="Về việc thử nghiệm hiệu năng",
            issuer="Ban Thường vụ Tỉnh ủy", issued_on=date(2026, 10, 1), created_at=start,
        )  # fmt: skip
        s.add_all([*unit_rows, directive])
        await s.flush()
        assignments: list[Assignment] = []
        for p in range(duties):
            deadline = TODAY + timedelta(days=rnd.randint(-30, 30)) if p % 5 else None
            duty = Duty(directive_id=directive.id, position=p + 1, label=str(p + 1), deadline=deadline,
                        text="Chủ trì, phối hợp triển khai thực hiện nhiệm vụ được giao; báo cáo kết quả.")  # fmt: skip
            s.add(duty)
            await s.flush()
            for k, unit in enumerate(unit_rows):
                status = rnd.choice(list(AssignmentStatus))
                assignments.append(Assignment(
                    duty_id=duty.id, unit_id=unit.id, role=AssignmentRole.LEAD if k < 2 else AssignmentRole.SUPPORT,
                    status=status, deadline=deadline, original_deadline=deadline, created_at=start, updated_at=start,
                    completed_at=NOW - timedelta(days=2) if status == AssignmentStatus.CONFIRMED else None,
                ))  # fmt: skip
        s.add_all(assignments)
        await s.flush()
        s.add_all(Ping(assignment_id=a.id, kind=PingKind.NOTICE, scheduled_for=start, status=PingStatus.SENT,
                       created_at=start, sent_at=start) for a in assignments)  # fmt: skip
        for i in range(reports):
            a = rnd.choice(assignments)
            kind = rnd.choice(KINDS)
            at = start + timedelta(seconds=rnd.randint(3600, 59 * 86400))
            report = StatusReport(
                assignment_id=a.id, kind=kind, source=ReportSource.REPLY, text="Đang triển khai, chờ số liệu.",
                percent=rnd.randint(0, 100) if kind == ReportKind.PROGRESS else None, chat_id=-1, message_id=i + 1,
                requested_deadline=TODAY + timedelta(days=30) if kind == ReportKind.EXTENSION else None,
                received_at=at, revisions=[],
            )  # fmt: skip
            s.add(report)
            if i % 10 == 0:
                await s.flush()
                s.add(ReportAttachment(report_id=report.id, assignment_id=a.id, file_id=f"F{i}",
                                       file_unique_id=f"U{i}", file_name=f"bao-cao-{i}.pdf", kind="document",
                                       file_size=1000, chat_id=-1, message_id=i + 1, received_at=at))  # fmt: skip
        await s.commit()
        directive_id = directive.id
    await engine.dispose()
    return directive_id


async def measure(config: Config, directive_id: int) -> dict[str, float | int]:
    engine = make_engine(config.db_url())
    sessions = make_session_factory(engine)
    t0 = time.perf_counter()
    async with sessions() as s:
        model = await load(s, config, directive_id, today=TODAY)
    assert model is not None
    t1 = time.perf_counter()
    data = render(model, config.baocao, TODAY)
    t2 = time.perf_counter()
    await engine.dispose()
    rows = sum(len(d.units) for d in model.duties)
    return {"load_s": round(t1 - t0, 3), "render_s": round(t2 - t1, 3), "total_s": round(t2 - t0, 3),
            "docx_bytes": len(data), "annex_rows": rows}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duties", type=int, default=30)
    ap.add_argument("--units", type=int, default=60)
    ap.add_argument("--reports", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(database_url=f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", config_dir=Path(tmp))
        directive_id = asyncio.run(build(config, args.duties, args.units, args.reports))
        figures = asyncio.run(measure(config, directive_id))
    print(json.dumps({"bench": "baocao", "duties": args.duties, "units": args.units, "reports": args.reports,
                      **figures, "goal_s": 2.0, "ok": figures["total_s"] < 2.0}))  # fmt: skip


if __name__ == "__main__":
    main()
