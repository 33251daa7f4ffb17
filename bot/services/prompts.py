"""Use cases of replies and decisions: a reply to the bot (`reply`), the answer to a prompt (percent,
difficulty, date, a return's reason), an edited report, and the secretaries' decisions.

As in bot/services/replies.py, each commits before it returns; Telegram is the caller's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import AssignmentStatus, PingKind, ReportKind, ReportSource
from bot.domain.replies import parse_reply
from bot.services import copies, decisions, reports
from bot.services.decisions import DecisionError
from bot.services.replies import (
    Notice,
    Origin,
    Outcome,
    may_report,
    notice_state,
    report_on_notice,
    submit_parsed,
    today,
)
from bot.services.reports import NoticeTargets, Saved, Target
from bot.services.uow import unit_of_work
from db.models import ReplyPrompt, StatusReport

if TYPE_CHECKING:
    from bot.context import BotServices


@dataclass(frozen=True)
class Decision:
    """A secretary's decision: `error` is a DECIDE_ERRORS key, "not_allowed", "stale", or None when applied."""

    action: str
    target: Target | None
    error: str | None = None


async def reply(
    services: BotServices, origin: Origin, replied_id: int, text: str, *, edited: bool, copy_buttons: Sequence[int] = ()
) -> Outcome:
    """A reply to one of the bot's messages: an edited report, a report on the notice's duty, or a
    prompt's answer. `copy_buttons`: the assignments the replied message's own answer buttons name, for
    a copy the bot sent but never recorded (a kill between Telegram accepting it and the commit)."""
    async with unit_of_work(services) as session:
        if edited and (stored := await reports.find_report(session, origin.chat_id, origin.message_id)) is not None:
            return await revise(services, session, stored, text, replied_id)
        # The notice first: a notice is never a prompt, so the prompt lookup runs only when it is none.
        found = await reports.notice_targets(session, origin.chat_id, replied_id, lock=True)
        if not found.items:
            prompt = await reports.find_prompt(session, origin.chat_id, replied_id)
            if prompt is not None:
                return await answer_prompt(services, session, origin, prompt, text)
            found = await _unrecorded_copy(session, origin, list(copy_buttons))
            if not found.items:
                return Outcome("unknown")
        out = await report_on_notice(services, session, origin, found, replied_id, text)
        await session.commit()
    return out


async def _unrecorded_copy(session: AsyncSession, origin: Origin, assignment_ids: list[int]) -> NoticeTargets:
    """The copy's duties, only those of the unit the replying chat may report for."""
    if not assignment_ids:
        return NoticeTargets([], None, None)
    unit_id = await reports.reporter_unit_id(
        session, chat_id=origin.chat_id, private=origin.private, user_id=origin.user_id
    )
    targets = await copies.targets_of_copy(session, assignment_ids, unit_id)
    return NoticeTargets([(PingKind.NOTICE, t) for t in targets], None if origin.private else unit_id, None)


async def revise(
    services: BotServices, session: AsyncSession, stored: StatusReport, text: str, replied_id: int
) -> Outcome:
    parsed = parse_reply(text, today=today(services))
    saved = await reports.revise(
        session, services.config, stored, kind=parsed.kind, text=parsed.text, now=services.clock.now(),
        percent=parsed.percent, requested_deadline=parsed.requested_deadline,
    )  # fmt: skip
    if saved is None:
        await session.commit()
        return Outcome("ignored")
    notice = await notice_state(session, stored.chat_id or 0, replied_id)
    await session.commit()
    return Outcome("revised", saved.target, saved, parsed, notice=notice)


async def answer_prompt(
    services: BotServices, session: AsyncSession, origin: Origin, prompt: ReplyPrompt, text: str
) -> Outcome:
    """The answer to a ⏳/⚠️/📅 prompt, or to the return prompt (a reason)."""
    target = await reports.load_target(session, prompt.assignment_id)
    if target is None:
        return Outcome("unknown")
    if prompt.expects == ReportKind.RETURNED:
        decision = await _apply_decision(
            services, session, target, "return", origin.user_id, origin.chat_id, text, user_name=origin.user_name
        )
        return Outcome("decision", target, decision=decision)
    if not await may_report(session, target, origin):
        return Outcome("wrong_chat")
    if await reports.find_report(session, origin.chat_id, origin.message_id) is not None:
        return Outcome("ignored")  # redelivered
    answer = await _store_answer(services, session, origin, prompt, target, text)
    if answer is None:
        return Outcome("bad_date", target)
    saved, shown_changes = answer
    if saved is None:
        await session.commit()
        return Outcome("ignored")
    notice: Notice | None = None
    if shown_changes and not saved.duplicate:
        ping = await reports.last_ping_message(session, target.assignment.id, origin.chat_id)
        notice = await notice_state(session, origin.chat_id, ping) if ping is not None else None
    await session.commit()
    return Outcome("stored", target, saved, notice=notice)


async def _store_answer(
    services: BotServices, session: AsyncSession, origin: Origin, prompt: ReplyPrompt, target: Target, text: str
) -> tuple[Saved | None, bool] | None:
    """The report the answer makes, and whether the notice's status line changes (None: no date given)."""
    parsed = parse_reply(text, today=today(services))
    if prompt.expects == ReportKind.EXTENSION:
        if parsed.kind != ReportKind.EXTENSION:
            parsed = parse_reply(f"xin gia hạn đến {text}", today=today(services))
        if parsed.requested_deadline is None:
            return None
        saved = await reports.submit(
            session, services.config, target, kind=ReportKind.EXTENSION, text=text, source=ReportSource.REPLY,
            now=services.clock.now(), requested_deadline=parsed.requested_deadline, user_id=origin.user_id,
            chat_id=origin.chat_id, message_id=origin.message_id, user_name=origin.user_name,
        )  # fmt: skip
        return saved, True
    stored = await session.get(StatusReport, prompt.report_id) if prompt.report_id else None
    # A reason or note alone leaves the status line as it is: no edit ("message is not modified").
    own_status = parsed.kind in (ReportKind.DONE, ReportKind.EXTENSION)
    shown_changes = stored is None or own_status or parsed.percent is not None
    if stored is None or own_status:
        # No tap to complete, or the answer is a status of its own ("xong"): a report in its own right.
        saved = await submit_parsed(
            services, session, target, parsed, user_id=origin.user_id, chat_id=origin.chat_id,
            message_id=origin.message_id, user_name=origin.user_name,
        )  # fmt: skip
        return saved, shown_changes
    completed = await decisions.complete(
        session, services.config, stored, text=text, percent=parsed.percent, chat_id=origin.chat_id,
        message_id=origin.message_id, now=services.clock.now(),
    )  # fmt: skip
    return completed, shown_changes


async def decide(
    services: BotServices, assignment_id: int, action: str, *, user_id: int, chat_id: int, callback_id: str,
    user_name: str = "",
) -> Decision:
    """A decision button. "return" only checks: the reason is asked first (then `answer_prompt`)."""
    async with unit_of_work(services) as session:
        target = await reports.load_target(session, assignment_id)
        if target is None:
            return Decision(action, None, "stale")
        if action == "return":
            if not await decisions.may_decide(session, services.config, target, user_id=user_id, chat_id=chat_id):
                return Decision(action, target, "not_allowed")
            if target.assignment.status != AssignmentStatus.REPORTED_DONE:
                return Decision(action, target, "not_reported")
            return Decision(action, target)
        return await _apply_decision(
            services, session, target, action, user_id, chat_id, "", callback_id, user_name=user_name
        )


async def _apply_decision(
    services: BotServices,
    session: AsyncSession,
    target: Target,
    action: str,
    user_id: int,
    chat_id: int,
    reason: str,
    callback_id: str | None = None,
    user_name: str = "",
) -> Decision:
    if not await decisions.may_decide(session, services.config, target, user_id=user_id, chat_id=chat_id):
        return Decision(action, target, "not_allowed")
    try:
        await decisions.decide(
            session, services.config, target, action, actor=user_id, now=services.clock.now(), reason=reason,
            callback_id=callback_id, actor_name=user_name,
        )  # fmt: skip
    except DecisionError as exc:
        await session.rollback()
        return Decision(action, target, exc.code)
    await session.commit()
    return Decision(action, target)
