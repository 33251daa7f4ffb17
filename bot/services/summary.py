"""Load the summary's rows from the database, and post the weekly summary exactly once per period.

The figures are computed by the pure `bot.domain.summary.compute`; this module only reads rows
(reports and pings of the period only, so the cost follows the period, not the history) and keeps
the SummaryPost row that makes the weekly post happen once, across restarts and instances.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.config import Config
from bot.domain.attachments import FileRow
from bot.domain.enums import DirectiveStatus, DutyStatus, PingStatus
from bot.domain.lifecycle import finished_at
from bot.domain.ongoing import UNIT_KINDS
from bot.domain.summary import AssignmentRow, Period, PingRow, ReportRow, Summary, compute
from bot.domain.vndates import format_date
from bot.refs import directive_ref
from bot.services import attachments
from bot.services.reports import state_of
from db.models import Assignment, Directive, Duty, Ping, StatusReport, SummaryChannel, SummaryPost, Unit
from db.sqlite_inline import offloaded

# A claimed post that never completed (the process died) is taken over after this long.
POST_LEASE = timedelta(minutes=2)
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Rows:
    assignments: list[AssignmentRow]
    reports: list[ReportRow]
    pings: list[PingRow]
    files: list[FileRow] = field(default_factory=list)  # units' files received in the period


def week_of(day: date) -> Period:
    start = day - timedelta(days=day.weekday())
    end = start + timedelta(days=6)
    return Period(start, end, texts.PERIOD_WEEK.format(start=f"{start:%d/%m}", end=f"{end:%d/%m/%Y}"))


def period_label(start: date, end: date) -> str:
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 1:
            return texts.PERIOD_MONTH.format(month=start.month, year=start.year)
        if months == 3 and start.month in (1, 4, 7, 10):
            return texts.PERIOD_QUARTER.format(quarter=(start.month - 1) // 3 + 1, year=start.year)
        if months == 6 and start.month in (1, 7):
            half = texts.PERIOD_FIRST_HALF if start.month == 1 else texts.PERIOD_SECOND_HALF
            return half.format(year=start.year)
        if months == 12 and start.month == 1:
            return texts.PERIOD_YEAR.format(year=start.year)
    if start.weekday() == 0 and end == start + timedelta(days=6):
        return week_of(start).label
    return f"{format_date(start)}–{format_date(end)}"


def _utc_bounds(config: Config, period: Period) -> tuple[datetime, datetime]:
    start = datetime.combine(period.start, time(0), config.tz).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time(0), config.tz).astimezone(UTC)
    return start, end


async def load_rows(session: AsyncSession, config: Config, period: Period, *, directive_id: int | None = None) -> Rows:
    tz = config.tz
    # The assignments in scope: of active directives (one, if asked), duties not cancelled. The
    # reports and pings are read for these only, so the workbook names a unit on every report.
    in_scope = [Directive.status == DirectiveStatus.ACTIVE, Duty.status != DutyStatus.CANCELLED]
    if directive_id is not None:
        in_scope.append(Directive.id == directive_id)
    scope = (
        select(Assignment.id)
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Directive, Directive.id == Duty.directive_id)
        .where(*in_scope)
    )
    query = (
        select(Assignment, Duty, Directive, Unit)
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Directive, Directive.id == Duty.directive_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(*in_scope)
        .order_by(Directive.id, Duty.position, Assignment.id)
    )
    assignments: list[AssignmentRow] = []
    for a, duty, directive, unit in await session.execute(query):
        done = finished_at(state_of(a), require_confirmation=config.require_confirmation)
        assignments.append(
            AssignmentRow(
                assignment_id=a.id, directive_id=directive.id,
                directive_number=directive_ref(directive), directive_title=directive.title,
                duty_id=duty.id, duty_label=duty.label, duty_text=duty.text, unit_id=unit.id, unit_name=unit.name,
                role=a.role, status=a.status, deadline=a.deadline, original_deadline=a.original_deadline,
                done_on=done.astimezone(tz).date() if done else None,
                assigned_on=directive.created_at.astimezone(tz).date(), percent=a.percent, blocked=a.blocked,
                extension_status=a.extension_status, extension_to=a.extension_to,
            )
        )  # fmt: skip
    start, end = _utc_bounds(config, period)
    reports: list[ReportRow] = []
    pings: list[PingRow] = []
    if any(row.deadline is None for row in assignments):
        assignments = await _with_last_reports(session, scope, end, tz, assignments)
    if assignments:
        # Plain columns, not ORM objects: a busy period has 100,000 reports, and an ORM object costs
        # several times a row tuple to build.
        for rid, aid, kind, text, received_at, requested, percent in await session.execute(
            select(
                StatusReport.id,
                StatusReport.assignment_id,
                StatusReport.kind,
                StatusReport.text,
                StatusReport.received_at,
                StatusReport.requested_deadline,
                StatusReport.percent,
            )
            .where(
                StatusReport.assignment_id.in_(scope),
                StatusReport.received_at >= start,
                StatusReport.received_at < end,
            )
            .order_by(StatusReport.received_at, StatusReport.id)
        ):
            reports.append(
                ReportRow(rid, aid, kind, text, received_at, received_at.astimezone(tz).date(), requested, percent)
            )
        for aid, status, sent_at in await session.execute(
            select(Ping.assignment_id, Ping.status, Ping.sent_at).where(
                Ping.assignment_id.in_(scope),
                or_(
                    and_(Ping.sent_at >= start, Ping.sent_at < end),
                    and_(Ping.status == PingStatus.FAILED, Ping.created_at >= start, Ping.created_at < end),
                ),
            )
        ):
            pings.append(PingRow(aid, status, sent_at.astimezone(tz).date() if sent_at else None))
    files = await attachments.in_period(session, scope, start, end) if assignments else []
    return Rows(assignments, reports, pings, files)


async def _with_last_reports(
    session: AsyncSession, scope: Select[int], end: datetime, tz: tzinfo, rows: list[AssignmentRow]
) -> list[AssignmentRow]:
    """Each ongoing assignment's latest unit report before `end`, however old: how long a unit has
    been silent is counted from it (the period's reports alone cannot tell)."""
    latest = dict(
        (aid, at)
        for aid, at in await session.execute(
            select(StatusReport.assignment_id, func.max(StatusReport.received_at))
            .join(Assignment, Assignment.id == StatusReport.assignment_id)
            .where(
                StatusReport.assignment_id.in_(scope),
                Assignment.deadline.is_(None),
                StatusReport.kind.in_(UNIT_KINDS),
                StatusReport.received_at < end,
            )
            .group_by(StatusReport.assignment_id)
        )
    )
    return [
        dc_replace(row, last_reported_on=latest[row.assignment_id].astimezone(tz).date())
        if row.assignment_id in latest
        else row
        for row in rows
    ]


async def build_summary(
    session: AsyncSession, config: Config, period: Period, *, today: date, directive_id: int | None = None
) -> tuple[Summary, Rows]:
    # A period's rows are a big read: on SQLite it runs on a worker thread, and so does the pure
    # computation, so the updates of everyone else keep being answered meanwhile.
    with offloaded():
        rows = await load_rows(session, config, period, directive_id=directive_id)
    summary = await asyncio.to_thread(compute, rows.assignments, rows.reports, rows.pings, period, today=today)
    summary = dc_replace(summary, files_in_period=len(rows.files))
    return summary, rows


def weekly_due(config: Config, now: datetime) -> tuple[Period, datetime]:
    """This week's period and the moment its summary is due (configured day and time, local)."""
    local = now.astimezone(config.tz)
    period = week_of(local.date())
    day = period.start + timedelta(days=_DAY_NAMES.index(config.summary.day_of_week[:3].lower()))
    due = datetime.combine(day, config.summary.at, config.tz).astimezone(UTC)
    return period, due


async def claim_post(session: AsyncSession, channel_id: int, period: Period, now: datetime) -> SummaryPost | None:
    """Take the right to post this period's summary: once per (channel, period), taken over only
    when an earlier claim has been pending for longer than POST_LEASE (its process died)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    inserted = await session.execute(
        insert(SummaryPost)
        .values(
            channel_id=channel_id,
            period_start=period.start,
            period_end=period.end,
            status=PingStatus.PENDING,
            message_ids=[],
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["channel_id", "period_start", "period_end"])
    )
    row = await session.scalar(
        select(SummaryPost).where(
            SummaryPost.channel_id == channel_id,
            SummaryPost.period_start == period.start,
            SummaryPost.period_end == period.end,
        )
    )
    if row is None or row.status != PingStatus.PENDING:
        return None
    # Ours only if this insert made the row: two instances may claim at the very same `now`, so
    # the claim's time cannot tell them apart.
    if getattr(inserted, "rowcount", 0) == 1:
        return row
    if row.created_at > now - POST_LEASE:
        return None  # another instance is posting it right now
    taken = await session.execute(
        update(SummaryPost)
        .where(SummaryPost.id == row.id, SummaryPost.created_at == row.created_at)
        .values(created_at=now)
    )
    return row if getattr(taken, "rowcount", 0) == 1 else None


async def record_part(session: AsyncSession, post_id: int, message_ids: list[int], now: datetime) -> None:
    """One more message of the post went out: keep it, and keep the claim fresh."""
    await session.execute(
        update(SummaryPost).where(SummaryPost.id == post_id).values(message_ids=message_ids, created_at=now)
    )


async def finish_post(session: AsyncSession, post_id: int, message_ids: list[int], now: datetime) -> None:
    await session.execute(
        update(SummaryPost)
        .where(SummaryPost.id == post_id)
        .values(status=PingStatus.SENT, message_ids=message_ids, posted_at=now)
    )


async def posted(session: AsyncSession, channel_id: int, period: Period) -> bool:
    status = await session.scalar(
        select(SummaryPost.status).where(
            SummaryPost.channel_id == channel_id,
            SummaryPost.period_start == period.start,
            SummaryPost.period_end == period.end,
        )
    )
    return status == PingStatus.SENT


async def channel_since(session: AsyncSession, channel_id: int, now: datetime) -> datetime:
    """When the bot first knew this channel (stored the first time it is asked; the caller commits)."""
    known = select(SummaryChannel.since).where(SummaryChannel.channel_id == channel_id)
    since = await session.scalar(known)
    if since is not None:
        return since
    # Another instance may be storing it at this very moment: keep whichever came first.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(SummaryChannel)
        .values(channel_id=channel_id, since=now)
        .on_conflict_do_nothing(index_elements=["channel_id"])
    )
    return await session.scalar(known) or now


def ended_before(config: Config, period: Period, moment: datetime) -> bool:
    """Whether the period was over (its last local day ended) before `moment`."""
    return _utc_bounds(config, period)[1] <= moment


# --- use cases: one unit of work each (bot.services.uow runs them) ---------------------------------
@dataclass(frozen=True)
class ScopedSummary:
    summary: Summary
    rows: Rows
    scope_number: str | None  # the directive's reference when the summary is of one directive


async def summary_use_case(
    session: AsyncSession, config: Config, period: Period, *, today: date, directive_id: int | None
) -> ScopedSummary | None:
    """/summary [#id] [period]; None when the directive asked for does not exist."""
    number = None
    if directive_id is not None:
        directive = await session.get(Directive, directive_id)
        if directive is None:
            return None
        number = directive_ref(directive)
    summary, rows = await build_summary(session, config, period, today=today, directive_id=directive_id)
    return ScopedSummary(summary, rows, number)


async def claim_use_case(session: AsyncSession, channel_id: int, period: Period, now: datetime) -> SummaryPost | None:
    """The on-demand post's claim; None when this period is already posted or being posted."""
    if await posted(session, channel_id, period):
        return None
    return await claim_post(session, channel_id, period, now)


async def unit_week_use_case(
    session: AsyncSession, config: Config, unit_id: int, period: Period, *, today: date
) -> tuple[str, Summary] | None:
    """/stats: the unit's name and the period's summary; None when the unit is gone."""
    unit = await session.get(Unit, unit_id)
    if unit is None:
        return None
    summary, _rows = await build_summary(session, config, period, today=today)
    return unit.name, summary
