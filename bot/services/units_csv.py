"""The unit directory as a CSV file an admin can edit in Excel, and the `dondoc units` commands.

Columns: code,name,kind,aliases,members,active (aliases and members separated by "|").
Export is UTF-8 with a BOM, so Excel shows Vietnamese correctly. Import upserts by code and is
all-or-nothing: the whole file is checked first, then applied in one transaction, and any bad row
(reported with its line number) leaves the database as it was.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.config import UnitConfig
from bot.domain.textnorm import fold, nfc, squash_spaces
from bot.domain.tokens import token_key
from bot.services.units import (
    UnitError,
    add_alias,
    add_unit,
    check_code,
    check_kind,
    check_members,
    clean_name,
    deactivate_unit,
    list_units,
    reactivate_unit,
    rename_unit,
    sync_from_config,
    unit_keys,
    update_unit,
)
from db.models import Unit

COLUMNS = ("code", "name", "kind", "aliases", "members", "active")
SEPARATOR = "|"
BOM = "\ufeff"
_TRUE = {"1", "true", "yes", "co", "x"}
_FALSE = {"0", "false", "no", "khong"}

T = TypeVar("T")
log = logging.getLogger("dondoc.units")


class UnitCsvError(UnitError):
    """A problem in the CSV file; the message names the line."""


@dataclass(frozen=True, slots=True)
class CsvUnitRow:
    line: int
    code: str
    name: str
    # None: the cell (or column) is empty, so an existing unit keeps its value.
    kind: str | None
    aliases: tuple[str, ...]
    members: tuple[str, ...] | None
    active: bool | None


@dataclass(slots=True)
class ImportSummary:
    added: int = 0
    renamed: int = 0
    aliases: int = 0
    updated: int = 0
    deactivated: int = 0
    reactivated: int = 0
    unchanged: int = 0

    def text(self) -> str:
        return texts.CSV_IMPORT_SUMMARY.format(
            added=self.added,
            renamed=self.renamed,
            aliases=self.aliases,
            updated=self.updated,
            deactivated=self.deactivated,
            reactivated=self.reactivated,
            unchanged=self.unchanged,
        )


# --- export -------------------------------------------------------------------------------------
def render_units_csv(units: Iterable[Unit]) -> str:
    """The directory as CSV text, starting with a BOM."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # CRLF: what Excel writes and expects
    writer.writerow(COLUMNS)
    for unit in units:
        writer.writerow(
            [
                unit.code,
                unit.name,
                unit.kind,
                SEPARATOR.join(unit.aliases),
                SEPARATOR.join(unit.members),
                "1" if unit.active else "0",
            ]
        )
    return BOM + buf.getvalue()


# --- parsing ------------------------------------------------------------------------------------
def _line_error(line: int, error: str) -> UnitCsvError:
    return UnitCsvError(texts.CSV_LINE, line=line, error=error)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part for part in (squash_spaces(nfc(p)) for p in cell.split(SEPARATOR)) if part)


def _active(cell: str, line: int) -> bool | None:
    value = fold(cell)
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _line_error(line, texts.CSV_BAD_ACTIVE.format(value=cell.strip()))


def _header(cells: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = cell.strip().lower()
        if not name:
            continue  # Excel leaves empty trailing columns
        if name not in COLUMNS:
            raise _line_error(1, texts.CSV_UNKNOWN_COLUMN.format(column=cell.strip()))
        index[name] = i
    missing = [c for c in ("code", "name") if c not in index]
    if missing:
        raise _line_error(1, texts.CSV_MISSING_COLUMNS.format(columns=", ".join(missing)))
    return index


def _row(cells: list[str], columns: dict[str, int], line: int) -> CsvUnitRow:
    def cell(name: str) -> str | None:
        i = columns.get(name)
        return None if i is None else (cells[i] if i < len(cells) else "")

    code, name = (cell("code") or "").strip(), cell("name") or ""
    if not code:
        raise _line_error(line, texts.CSV_MISSING_CODE)
    if not squash_spaces(nfc(name)):
        raise _line_error(line, texts.CSV_MISSING_NAME)
    kind, members = cell("kind"), cell("members")
    try:
        return CsvUnitRow(
            line=line,
            code=check_code(code),
            name=clean_name(name),
            kind=check_kind(kind) if kind and kind.strip() else None,
            aliases=tuple(clean_name(a) for a in _split(cell("aliases") or "")),
            members=None if members is None else tuple(check_members(_split(members))),
            active=_active(cell("active") or "", line),
        )
    except UnitCsvError:
        raise
    except UnitError as exc:
        raise _line_error(line, exc.text) from None


def parse_units_csv(text: str) -> list[CsvUnitRow]:
    """Check the whole file; raises UnitCsvError naming the first bad line."""
    text = text.removeprefix(BOM)
    first = text.split("\n", 1)[0]
    # Excel in a Vietnamese locale saves "CSV" with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[CsvUnitRow] = []
    seen: dict[str, int] = {}
    try:
        header = next(reader, None)
        if header is None or not any(c.strip() for c in header):
            raise _line_error(1, texts.CSV_EMPTY)
        columns = _header(header)
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            row = _row(cells, columns, reader.line_num)
            if row.code in seen:
                raise _line_error(row.line, texts.CSV_DUPLICATE_CODE.format(code=row.code, first=seen[row.code]))
            seen[row.code] = row.line
            rows.append(row)
    except csv.Error as exc:
        raise _line_error(reader.line_num, texts.CSV_BAD_FORMAT.format(error=exc)) from None
    return rows


# --- import -------------------------------------------------------------------------------------
async def _apply(
    session: AsyncSession, row: CsvUnitRow, summary: ImportSummary, actor: int | None, now: datetime
) -> None:
    # Exact code, never a name: a new code must not be mistaken for some unit's alias.
    unit = await session.scalar(select(Unit).where(Unit.code == row.code))
    if unit is None:
        await add_unit(
            session,
            code=row.code,
            name=row.name,
            kind=row.kind or "unit",
            aliases=row.aliases,
            members=row.members or (),
            actor=actor,
            now=now,
        )
        summary.added += 1
        if row.active is False:
            await deactivate_unit(session, row.code, actor, now)
            summary.deactivated += 1
        return
    changes = 0
    if row.name != unit.name:
        await rename_unit(session, row.code, row.name, actor, now)
        summary.renamed += 1
        changes += 1
    for alias in row.aliases:
        # Aliases missing from the file are kept: a stale file must not drop a rename's old name.
        if token_key(alias) not in unit_keys(unit):
            await add_alias(session, row.code, alias, actor, now)
            summary.aliases += 1
            changes += 1
    kind = row.kind if row.kind is not None and row.kind != unit.kind else None
    members = row.members if row.members is not None and list(row.members) != unit.members else None
    if kind is not None or members is not None:
        await update_unit(session, row.code, kind=kind, members=members, actor=actor, now=now)
        summary.updated += 1
        changes += 1
    if row.active is False and unit.active:
        await deactivate_unit(session, row.code, actor, now)
        summary.deactivated += 1
        changes += 1
    elif row.active is True and not unit.active:
        await reactivate_unit(session, row.code, actor, now)
        summary.reactivated += 1
        changes += 1
    if not changes:
        summary.unchanged += 1


async def import_units(
    session: AsyncSession, rows: Sequence[CsvUnitRow], *, actor: int | None, now: datetime
) -> ImportSummary:
    """Upsert parsed rows by code, in file order, auditing each change as `actor`.

    Flushes, never commits. On UnitCsvError (naming the line) the caller must roll back.
    """
    summary = ImportSummary()
    for row in rows:
        try:
            await _apply(session, row, summary, actor, now)
        except UnitError as exc:
            raise _line_error(row.line, exc.text) from None
    # Checked last: a collective unit may list members defined further down the file.
    codes = {u.code for u in await list_units(session, include_inactive=True)}
    for row in rows:
        for member in row.members or ():
            if not member.startswith("kind:") and member not in codes:
                raise _line_error(row.line, texts.CSV_UNKNOWN_MEMBER.format(member=member))
    return summary


# --- the `dondoc units` commands ----------------------------------------------------------------
def read_units_file(path: str) -> list[CsvUnitRow]:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise UnitError(texts.CSV_NOT_FOUND, path=path) from None
    except OSError as exc:
        raise UnitError(texts.CSV_UNREADABLE, path=path, error=exc.strerror or exc) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnitError(texts.CSV_NOT_UTF8, path=path) from None
    return parse_units_csv(text)


async def _in_database(
    url: str, seed: Sequence[UnitConfig], now: datetime, work: Callable[[AsyncSession], Awaitable[T]]
) -> T:
    from db.session import make_engine, make_session_factory

    engine = make_engine(url)
    try:
        factory = make_session_factory(engine)
        # The seed is committed on its own, so a fresh database has the default directory
        # even when the import that follows is refused.
        async with factory() as session, session.begin():
            await sync_from_config(session, seed, now)
        async with factory() as session, session.begin():
            return await work(session)
    finally:
        await engine.dispose()


def _list_lines(units: Sequence[Unit]) -> list[str]:
    if not units:
        return [texts.UNITS_LIST_EMPTY]
    lines = [
        texts.UNITS_LIST_LINE.format(
            code=u.code, name=u.name, kind=u.kind, inactive="" if u.active else texts.UNITS_LIST_INACTIVE
        )
        for u in units
    ]
    inactive = sum(1 for u in units if not u.active)
    return [*lines, texts.UNITS_LIST_TOTAL.format(n=len(units), inactive=inactive)]


def run_units_cli(
    action: str,
    url: str,
    seed: Sequence[UnitConfig],
    *,
    now: datetime,
    file: str | None = None,
    out: str | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """`dondoc units import|export|list`. Must run outside an event loop (migrations come first)."""
    from db.migrate import upgrade

    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        rows = read_units_file(file or "") if action == "import" else []
    except UnitError as exc:  # checked before the database is touched at all
        print(texts.csv_import_failed(exc.text), file=stderr)
        return 1

    async def do_import(session: AsyncSession) -> str:
        return (await import_units(session, rows, actor=None, now=now)).text()

    async def do_export(session: AsyncSession) -> str:
        return render_units_csv(await list_units(session, include_inactive=True))

    async def do_list(session: AsyncSession) -> str:
        return "\n".join(_list_lines(await list_units(session, include_inactive=True)))

    work = {"import": do_import, "export": do_export, "list": do_list}[action]
    try:
        upgrade(url)
        result = asyncio.run(_in_database(url, seed, now, work))
    except UnitError as exc:
        print(texts.csv_import_failed(exc.text), file=stderr)
        return 1
    except Exception as exc:  # the database is unreachable or refuses: one line, no traceback
        log.debug("units %s failed", action, exc_info=True)
        error = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        print(texts.CLI_DB_ERROR.format(error=error), file=stderr)
        return 1
    if action == "export" and out:
        try:
            # newline="": the CSV already carries its CRLF line ends.
            Path(out).write_text(result, encoding="utf-8", newline="")
        except OSError as exc:
            print(texts.CLI_UNITS_ERROR.format(error=exc), file=stderr)
            return 1
        count = sum(1 for _ in csv.reader(io.StringIO(result.removeprefix(BOM), newline=""))) - 1
        print(texts.CSV_EXPORTED.format(n=count, path=out), file=stderr)
    elif action == "export":
        stdout.flush()
        stdout.buffer.write(result.encode("utf-8"))  # bytes: UTF-8 whatever the locale says
        stdout.buffer.flush()
    else:
        print(result, file=stdout)
    return 0
