"""`dondoc parse FILE [--json]`: run the directive parser on a file, as the bot would on an upload."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import TextIO

from bot import texts
from bot.config import Config
from bot.domain.extract import ExtractError, extract_text
from bot.domain.parser import Note, ParsedDirective, ParsedDuty, parse_directive
from bot.domain.units import UnitDirectory, UnitRef
from bot.domain.vndates import format_date
from bot.services.units import UnitError
from bot.views.directives import render_note

log = logging.getLogger("dondoc.parse")
_TEXT_PREVIEW = 160
_UNITS_SHOWN = 8


def csv_directory(path: str) -> UnitDirectory:
    """A directory from a CSV in the `dondoc units export` format (raises UnitError, worded)."""
    from bot.services.units_csv import read_units_file

    return UnitDirectory(
        UnitRef(
            code=row.code,
            name=row.name,
            kind=row.kind or "unit",
            aliases=row.aliases,
            members=row.members or (),
            active=row.active is not False,
        )
        for row in read_units_file(path)
    )


def database_directory(cfg: Config) -> UnitDirectory | None:
    """The bot's own directory when its database exists and answers; None otherwise (config.yaml then)."""
    from sqlalchemy.engine import make_url

    url = cfg.db_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not (parsed.database and Path(parsed.database).exists()):
        return None

    async def load() -> UnitDirectory:
        from bot.services.units import load_directory
        from db.session import make_engine, make_session_factory

        engine = make_engine(url)
        try:
            async with make_session_factory(engine)() as session:
                return await load_directory(session)
        finally:
            await engine.dispose()

    try:
        directory = asyncio.run(asyncio.wait_for(load(), timeout=10))
    except Exception:  # no database yet, or unreachable: the shipped directory is the fallback
        log.debug("parse: database directory unavailable", exc_info=True)
        return None
    return directory if len(directory) else None


def pick_directory(cfg: Config, units_path: str | None) -> UnitDirectory:
    """`--units FILE.csv`, else the database the bot uses, else config.yaml: the same names the bot knows."""
    if units_path:
        return csv_directory(units_path)
    return database_directory(cfg) or UnitDirectory.from_config(cfg.units)


def run_parse(
    path: str, cfg: Config, *, as_json: bool = False, out: TextIO | None = None, units: str | None = None
) -> int:
    """Print the parse of `path`; 0 on success, 1 (one Vietnamese line on stderr) when the file is unusable."""
    out = out or sys.stdout
    try:
        directory = pick_directory(cfg, units)
    except UnitError as exc:
        print(texts.csv_import_failed(exc.text), file=sys.stderr)
        return 1
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        print(texts.CLI_PARSE_NOT_FOUND.format(path=path), file=sys.stderr)
        return 1
    except OSError as exc:
        print(texts.CLI_PARSE_UNREADABLE.format(path=path, error=exc.strerror or exc), file=sys.stderr)
        return 1
    try:
        text = extract_text(data, file.name, limits=cfg.extract_limits())
    except ExtractError as exc:
        values = {"limit": cfg.max_file_bytes // (1024 * 1024), **exc.values}
        reason = texts.EXTRACT_ERRORS[exc.kind].format(**values)
        print(texts.CLI_PARSE_ERROR.format(path=path, error=reason), file=sys.stderr)
        return 1
    result = parse_directive(text, directory)
    if as_json:
        print(json.dumps(result.to_json(_note), ensure_ascii=False, indent=2), file=out)
    else:
        print(render_summary(result, directory), file=out)
    return 0


def _note(note: Note) -> str:
    return render_note(note.code, note.as_dict())


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:_UNITS_SHOWN])
    extra = len(names) - _UNITS_SHOWN
    return shown + (texts.SUMMARY_MORE_UNITS.format(n=extra) if extra > 0 else "")


def _preview(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _TEXT_PREVIEW else line[: _TEXT_PREVIEW - 1] + "…"


def _duty_lines(duty: ParsedDuty, directory: UnitDirectory | None) -> list[str]:
    lines = [texts.SUMMARY_DUTY.format(label=duty.label, text=_preview(duty.text))]
    leads = [u.name for u in duty.units if u.role == "lead"]
    supports = [u.name for u in duty.units if u.role == "support"]
    if duty.general:
        lines.append(texts.SUMMARY_GENERAL.format(units=_names(leads) or texts.SUMMARY_MISSING))
    elif leads:
        lines.append(texts.SUMMARY_LEADS.format(units=_names(leads)))
    elif not duty.unresolved and not supports:
        lines.append(texts.SUMMARY_GROUP)
    if supports:
        lines.append(texts.SUMMARY_SUPPORTS.format(units=_names(supports)))
    for un in duty.unresolved:
        names = [(directory.get(code) if directory else None) for code in un.suggestions]
        shown = [ref.name if ref else code for ref, code in zip(names, un.suggestions, strict=True)]
        hint = texts.suggestion_hint(shown)
        lines.append(texts.SUMMARY_UNRESOLVED.format(text=un.text, hint=hint))
    return lines


def render_summary(result: ParsedDirective, directory: UnitDirectory | None = None) -> str:
    """A readable Vietnamese summary of a parsed directive (plain text)."""
    missing = texts.SUMMARY_MISSING
    lines = [
        texts.SUMMARY_NUMBER.format(value=result.number or missing),
        texts.SUMMARY_KIND.format(value=result.kind or missing),
        texts.SUMMARY_TITLE.format(value=result.title or missing),
        texts.SUMMARY_PLACE_DATE.format(
            place=result.place or missing, date=format_date(result.date) if result.date else missing
        ),
        texts.SUMMARY_ISSUER.format(value=result.issuer or missing),
        texts.SUMMARY_SIGNER.format(name=result.signer.name, title=result.signer.title or missing)
        if result.signer
        else texts.SUMMARY_SIGNER.format(name=missing, title=missing),
    ]
    if result.recipients:
        lines.append(texts.SUMMARY_RECIPIENTS)
        for rec in result.recipients:
            codes = f" [{', '.join(u.code for u in rec.units)}]" if rec.units else ""
            lines.append(texts.SUMMARY_RECIPIENT.format(text=rec.text, units=codes))
    lines.append(texts.SUMMARY_DUTIES.format(n=len(result.duties)))
    for duty in result.duties:
        lines.extend(_duty_lines(duty, directory))
    lines.append(texts.SUMMARY_MONITOR.format(name=result.monitor.name) if result.monitor else texts.SUMMARY_NO_MONITOR)
    if result.notes:
        lines.append(texts.SUMMARY_WARNINGS)
        lines.extend(texts.SUMMARY_WARNING.format(text=_note(n)) for n in result.notes)
    return "\n".join(lines)
