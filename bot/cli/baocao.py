"""`dondoc report <id> [--period …] --out FILE.docx`: the drafted báo cáo, without Telegram."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot.clock import SystemClock
from bot.config import Config
from bot.domain.vndates import format_date
from bot.domain.vnperiods import parse_period
from bot.texts import files as texts_files


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    report = sub.add_parser(
        "report", parents=[common], help="write the báo cáo kết quả thực hiện of a directive (.docx)"
    )
    report.add_argument("directive_id", type=int, help="the directive's id (/directives)")
    report.add_argument("--period", default=None, help='e.g. "tháng 11", "quý 4/2026", "01/10-30/11" (default: all)')
    report.add_argument("--out", required=True, help="FILE.docx")
    report.set_defaults(func=cmd_report)


async def build(
    cfg: Config, directive_id: int, period: tuple[date, date] | None, today: date
) -> tuple[bytes, str, str] | None:
    """The document, the directive's reference and the period in words; None when there is no such directive."""
    # Imported here: `dondoc --help` and the other commands need neither python-docx nor the database.
    from bot.refs import directive_ref
    from bot.services import baocao
    from bot.views.baocao import render
    from db.session import make_engine, make_session_factory

    engine = make_engine(cfg.db_url())
    try:
        async with make_session_factory(engine)() as session:
            start, end = period if period else (None, None)
            model = await baocao.load(session, cfg, directive_id, today=today, start=start, end=end)
    finally:
        await engine.dispose()
    if model is None:
        return None
    data = await asyncio.to_thread(render, model, cfg.baocao, today)
    return data, directive_ref(model.directive), f"{format_date(model.start)}–{format_date(model.end)}"


def cmd_report(args: argparse.Namespace, cfg: Config) -> int:
    from db.migrate import upgrade

    today = SystemClock().now().astimezone(cfg.tz).date()
    period = parse_period(args.period, today) if args.period else None
    if args.period and period is None:
        print(texts_files.CLI_BAOCAO_BAD_PERIOD.format(text=args.period), file=sys.stderr)
        return 2
    upgrade(cfg.db_url())
    built = asyncio.run(build(cfg, args.directive_id, period, today))
    if built is None:
        print(texts_files.CLI_BAOCAO_NOT_FOUND.format(id=args.directive_id), file=sys.stderr)
        return 1
    data, ref, words = built
    Path(args.out).write_bytes(data)
    print(texts_files.CLI_BAOCAO_WRITTEN.format(path=args.out, ref=ref, period=words))
    return 0
