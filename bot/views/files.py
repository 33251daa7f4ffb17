"""What people see of units' files: the answer to a file, the list under /directive and its
re-send buttons. One codec for the button kind: "af|<attachment id>" (at most 13 bytes)."""

from __future__ import annotations

from datetime import tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.domain import callbacks
from bot.domain.vndates import format_date
from bot.refs import directive_ref
from bot.services.attachments import Listed, Outcome
from bot.texts import files as texts_files
from db.models import Directive, ReportAttachment

PREFIX = "af"
MAX_LISTED = 40  # buttons under one message; the workbook lists them all
_PER_ROW = 5


def encode(attachment_id: int) -> str:
    return f"{PREFIX}|{attachment_id}"


def decode(data: str | None) -> int | None:
    found = callbacks.fields(data, PREFIX, 1)
    return callbacks.row_id(found[0]) if found else None


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return texts_files.SIZE_KB.format(n=max(1, round(size / 1024)))
    return texts_files.SIZE_MB.format(n=size / (1024 * 1024))


def render_outcome(outcome: Outcome, max_bytes: int) -> str:
    if outcome.status != "saved" or outcome.saved is None or outcome.attachment is None:
        codes = ", ".join(str(c) for c in outcome.codes)
        return texts_files.FILE_REFUSED[outcome.status].format(
            limit=max_bytes // (1024 * 1024),
            codes=codes,
            code=outcome.codes[0] if outcome.codes else "",
        )
    t, att, report = outcome.saved.target, outcome.attachment, outcome.saved.report
    names = {
        "name": texts.esc(att.file_name), "size": size_text(att.file_size), "label": texts.esc(t.duty.label),
        "number": texts.esc(directive_ref(t.directive)), "unit": texts.esc(t.unit.name),
    }  # fmt: skip
    if outcome.stale is not None:
        return texts_files.FILE_SAVED_STALE.format(**names, why=texts.REPORT_STALE[outcome.stale])
    if outcome.saved.error is not None:
        status = texts.REPORT_KIND_NAMES["note"]
    else:
        status = texts.REPORT_KIND_NAMES[report.kind.value]
        if report.percent is not None and report.kind == "progress":
            status += texts.REPORT_SAVED_EXTRA_PERCENT.format(percent=report.percent)
    return texts_files.FILE_SAVED.format(**names, status=status)


def render_list(files: list[Listed], tz: tzinfo) -> tuple[str, InlineKeyboardMarkup | None]:
    """The files of one directive, numbered, with one re-send button each (the first MAX_LISTED)."""
    shown = files[:MAX_LISTED]
    lines = [texts_files.FILES_TITLE.format(n=len(files))]
    for n, item in enumerate(shown, 1):
        a = item.attachment
        lines.append(
            texts_files.FILES_LINE.format(
                n=n, label=texts.esc(item.duty_label), unit=texts.esc(item.unit_name), name=texts.esc(a.file_name),
                size=size_text(a.file_size), date=format_date(a.received_at.astimezone(tz).date()),
            )
        )  # fmt: skip
    if len(files) > len(shown):
        lines.append(texts_files.FILES_MORE.format(n=len(files) - len(shown)))
    buttons = [
        InlineKeyboardButton(texts_files.FILE_BUTTON.format(n=n), callback_data=encode(item.attachment.id))
        for n, item in enumerate(shown, 1)
    ]
    rows = [buttons[k : k + _PER_ROW] for k in range(0, len(buttons), _PER_ROW)]
    return "\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


def caption(att: ReportAttachment, directive: Directive, label: str, tz: tzinfo) -> str:
    return texts_files.FILE_CAPTION.format(
        name=texts.esc(att.file_name), label=texts.esc(label), number=texts.esc(directive_ref(directive)),
        date=format_date(att.received_at.astimezone(tz).date()),
    )  # fmt: skip
