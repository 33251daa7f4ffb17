"""The assignment notice: what a unit's group reads when a duty is given to it.

Notices are Ping rows (kind notice) sent by the dispatcher (bot/dispatch.py): at once when the
directive is saved, or as soon as the unit's group is bound.
"""

from __future__ import annotations

import logging
from datetime import date

from bot import texts
from bot.domain.vndates import format_date
from bot.refs import directive_ref
from bot.textsplit import shorten
from db.models import Assignment, Directive, Duty

log = logging.getLogger("dondoc.notices")
NOTICE_DUTY_CHARS = 2500


def render_notice(directive: Directive, duty: Duty, assignment: Assignment) -> str:
    deadline = format_date(duty.deadline) if isinstance(duty.deadline, date) else texts.ND_ONGOING
    # "Công văn 1046-CV/TU"; a directive without a number is named by its reference alone ("TB ngày …").
    kind = (directive.kind or "").capitalize() if directive.number else ""
    return texts.NOTICE.format(
        directive=texts.esc(f"{kind} {directive_ref(directive)}".strip()),
        title=texts.esc(directive.title),
        code=assignment.id,
        label=texts.esc(duty.label),
        text=texts.esc(shorten(duty.text, NOTICE_DUTY_CHARS)),
        role=texts.NOTICE_ROLE[assignment.role.value],
        deadline=texts.esc(deadline),
    )
