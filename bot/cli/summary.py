"""`dondoc summary --dry-run` and `dondoc export`: the same summary and workbook, without Telegram."""

from __future__ import annotations

import asyncio
import re
import sys
from datetime import date
from pathlib import Path

from bot import texts
from bot.clock import SystemClock
from bot.config import Config
from bot.domain.summary import Period
from bot.domain.vnperiods import parse_period
from bot.services.summary import build_summary, period_label, week_of
from db.session import make_engine, make_session_factory


def parse_day(raw: str) -> date | None:
    """dd/mm/yyyy or yyyy-mm-dd."""
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw.strip()):
        d, mo, y = (int(g) for g in m.groups())
    elif m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw.strip()):
        y, mo, d = (int(g) for g in m.groups())
    else:
        return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def resolve_period(cfg: Config, *, start: str | None, end: str | None, text: str | None) -> Period | None:
    today = SystemClock().now().astimezone(cfg.tz).date()
    if start or end:
        first = parse_day(start) if start else None
        last = parse_day(end) if end else today
        if first is None or last is None or first > last:
            return None
        return Period(first, last, period_label(first, last))
    if text:
        found = parse_period(text, today)
        return Period(found[0], found[1], period_label(*found)) if found else None
    return week_of(today)


async def _render(cfg: Config, period: Period, *, workbook: bool) -> bytes:
    """The summary as plain text, or the workbook."""
    from bot.views.summary import render_summary
    from bot.views.workbook import build_workbook

    engine = make_engine(cfg.db_url())
    try:
        async with make_session_factory(engine)() as session:
            today = SystemClock().now().astimezone(cfg.tz).date()
            summary, rows = await build_summary(session, cfg, period, today=today)
    finally:
        await engine.dispose()
    if not workbook:
        return texts.strip_tags(render_summary(summary)).encode()
    return build_workbook(summary, rows.assignments, rows.reports, tz=cfg.tz, files=rows.files)


def run_summary_cli(cfg: Config, *, start: str | None, end: str | None, text: str | None, out: str | None) -> int:
    from db.migrate import upgrade

    period = resolve_period(cfg, start=start, end=end, text=text)
    if period is None:
        print(texts.CLI_BAD_PERIOD, file=sys.stderr)
        return 2
    upgrade(cfg.db_url())
    data = asyncio.run(_render(cfg, period, workbook=out is not None))
    if out is None:
        print(data.decode())
        return 0
    Path(out).write_bytes(data)
    print(texts.CLI_EXPORT_WRITTEN.format(path=out, period=period.label))
    return 0
