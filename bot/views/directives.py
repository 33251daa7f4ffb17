"""HTML renderers for directives: the preview of a draft, the saved confirmation, lists and details.

Every line keeps its tags closed, so `split_html` can cut between any two lines.
"""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.domain import callbacks
from bot.domain.draft import Deadline, Draft, DraftDuty
from bot.domain.enums import DirectiveStatus
from bot.domain.units import UnitDirectory
from bot.domain.vndates import Ongoing, format_date
from bot.refs import directive_ref
from bot.services.directives import DirectiveDetail, DirectiveRow, SavedDirective
from bot.textsplit import shorten

esc = texts.esc
_MAX_DUTY_CHARS = 600
_MAX_GENERAL_NAMES = 6
_MAX_DETAIL_UNITS = 8
_MAX_LISTED = 8  # past this many units a role shows its count and a button lists them all
MANY_UNITS = 15


def _names(codes: list[str], directory: UnitDirectory) -> list[str]:
    return [(u.name if (u := directory.get(c)) else c) for c in codes]


def deadline_text(deadline: Deadline | None) -> str:
    if isinstance(deadline, Ongoing):
        return texts.ND_ONGOING
    if isinstance(deadline, date):
        return format_date(deadline)
    return texts.ND_NO_DEADLINE


def _role_line(role: str, codes: list[str], directory: UnitDirectory, template: str) -> str:
    names = _names(codes, directory)
    if len(names) <= _MAX_LISTED:
        return template.format(units=esc(", ".join(names)))
    shown = ", ".join(names[:_MAX_GENERAL_NAMES]) + texts.SUMMARY_MORE_UNITS.format(n=len(names) - _MAX_GENERAL_NAMES)
    return texts.ND_DUTY_COUNTED.format(role=role, n=len(names), units=esc(shown))


def _duty_lines(duty: DraftDuty, directory: UnitDirectory) -> list[str]:
    lines = [texts.ND_DUTY.format(label=esc(duty.label), text=esc(shorten(duty.text, _MAX_DUTY_CHARS)))]
    if duty.general and duty.leads:
        names = _names(duty.leads, directory)
        shown = ", ".join(names[:_MAX_GENERAL_NAMES])
        if len(names) > _MAX_GENERAL_NAMES:
            shown += texts.SUMMARY_MORE_UNITS.format(n=len(names) - _MAX_GENERAL_NAMES)
        lines.append(texts.ND_DUTY_GENERAL.format(units=esc(shown)))
    elif duty.leads:
        lines.append(_role_line(texts.ND_ROLE_LEADS, duty.leads, directory, texts.ND_DUTY_LEADS))
    if duty.supports:
        lines.append(_role_line(texts.ND_ROLE_SUPPORTS, duty.supports, directory, texts.ND_DUTY_SUPPORTS))
    if not duty.unit_codes and not duty.unresolved:
        lines.append(texts.ND_DUTY_NO_UNITS)
    for item in duty.unresolved:
        names = _names(item.suggestions, directory)
        hint = texts.suggestion_hint(names)
        lines.append(texts.ND_DUTY_UNRESOLVED.format(text=esc(item.text), hint=esc(hint)))
    lines += duty_warnings(duty)
    lines.append(texts.ND_DUTY_DEADLINE.format(deadline=esc(deadline_text(duty.deadline))))
    return lines


def duty_warnings(duty: DraftDuty) -> list[str]:
    """What the secretary must not miss: too many units, units from "Kính gửi", names left unassigned."""
    lines: list[str] = []
    if len(duty.unit_codes) > MANY_UNITS:
        lines.append(texts.ND_DUTY_MANY.format(n=len(duty.unit_codes), limit=MANY_UNITS))
    if duty.source == "recipients" and duty.parent is not None:
        lines.append(texts.ND_DUTY_FROM_RECIPIENTS)
    if duty.mentioned:
        names = ", ".join(f"“{n}”" for n in duty.mentioned[:_MAX_GENERAL_NAMES])
        lines.append(texts.ND_DUTY_MENTIONED.format(names=esc(names)))
    return lines


def render_duty_units(duty: DraftDuty, directory: UnitDirectory) -> str:
    """Every unit of one duty, by role (the preview shows only counts past a few)."""
    parts = [
        texts.ND_UNITS_ROLE.format(role=role, n=len(codes), names=esc("\n".join(_names(codes, directory))))
        for role, codes in ((texts.ND_ROLE_LEADS, duty.leads), (texts.ND_ROLE_SUPPORTS, duty.supports))
        if codes
    ]
    return texts.ND_UNITS_ALL.format(label=esc(duty.label), lines="\n".join(parts) or texts.ND_DUTY_NO_UNITS)


def render_totals(draft: Draft, bound: set[str] | None) -> str:
    codes = {c for d in draft.duties for c in d.unit_codes}
    unbound = "" if bound is None else texts.ND_TOTALS_UNBOUND.format(n=len(codes - bound)) if codes - bound else ""
    return texts.ND_TOTALS.format(
        duties=len(draft.duties),
        assignments=sum(len(d.unit_codes) for d in draft.duties),
        units=len(codes),
        unbound=unbound,
    )


def render_save_confirm(draft: Draft) -> str | None:
    """The question asked before saving names never resolved or duties nobody is given; None if all is set."""
    parents = {d.parent for d in draft.duties if d.parent}
    items: list[str] = []
    for duty in draft.duties:
        if duty.unresolved:
            names = ", ".join(f"“{u.text}”" for u in duty.unresolved)
            items.append(texts.ND_SAVE_CONFIRM_UNRESOLVED.format(label=esc(duty.label), names=esc(names)))
        elif not duty.unit_codes and duty.label not in parents:  # a heading: its sub-items carry the work
            items.append(texts.ND_SAVE_CONFIRM_NO_UNITS.format(label=esc(duty.label)))
    return texts.ND_SAVE_CONFIRM.format(items="\n".join(items)) if items else None


def render_note(code: str, values: dict[str, str]) -> str:
    """A parser note in words; an unknown code (a draft saved by a newer version) is shown as is."""
    template = texts.PARSE_NOTES.get(code)
    try:
        return template.format(**values) if template else code
    except (KeyError, IndexError):
        return template or code


def render_preview(draft: Draft, directory: UnitDirectory, bound: set[str] | None = None) -> str:
    missing = texts.ND_MISSING
    monitor = directory.get(draft.monitor_code) if draft.monitor_code else None
    signer = f"{draft.signer_name} ({draft.signer_title})" if draft.signer_name else missing
    issued = format_date(draft.issued_on) if draft.issued_on else missing
    if draft.place and draft.issued_on:
        issued = f"{draft.place}, {issued}"
    fields = [
        (texts.ND_FIELD_NUMBER, draft.number or missing),
        (texts.ND_FIELD_KIND, draft.kind or missing),
        (texts.ND_FIELD_TITLE, draft.title or missing),
        (texts.ND_FIELD_DATE, issued),
        (texts.ND_FIELD_SIGNER, signer),
        (texts.ND_FIELD_MONITOR, monitor.name if monitor else missing),
        (texts.ND_FIELD_PLAN, texts.ND_PLANS[draft.plan]),
    ]
    lines = [texts.ND_PREVIEW_HEADER]
    lines += [texts.ND_FIELD.format(name=name, value=esc(value)) for name, value in fields]
    lines.append(texts.ND_DUTIES_TITLE.format(n=len(draft.duties)))
    for duty in draft.duties:
        lines += _duty_lines(duty, directory)
    if draft.notes:
        lines.append(texts.ND_WARNINGS)
        lines += [texts.ND_WARNING.format(text=esc(render_note(n.code, n.values))) for n in draft.notes]
    lines.append(render_totals(draft, bound))
    return "\n".join(lines)


def render_saved(saved: SavedDirective, number: str | None, title: str | None) -> str:
    out = texts.ND_SAVED.format(
        id=saved.directive_id,
        number=esc(number or ""),
        title=esc(title or ""),
        duties=saved.duties,
        assignments=saved.assignments,
        units=len(saved.units),
    )
    if saved.unbound:
        names = ", ".join(name for _, name in saved.unbound)
        out += texts.ND_UNBOUND.format(n=len(saved.unbound), names=esc(names))
    else:
        out += texts.ND_ALL_BOUND
    return out


def render_list(rows: list[DirectiveRow], *, include_closed: bool) -> str:
    if not rows:
        return texts.LIST_EMPTY
    title = texts.LIST_TITLE_ALL if include_closed else texts.LIST_TITLE
    lines = [title.format(n=len(rows))]
    for row in rows:
        status = "" if row.status.value == "active" else f" · {texts.STATUS_NAMES[row.status.value]}"
        lines.append(
            texts.LIST_ROW.format(
                id=row.id,
                ref=esc(directive_ref(row, with_title=False)),
                title=esc(shorten(row.title, 120)),
                done=row.duties_done,
                total=row.duties,
                adone=row.assignments_done,
                atotal=row.assignments,
                status=status,
            )
        )
    lines.append(texts.LIST_HINT)
    return "\n".join(lines)


def render_detail(detail: DirectiveDetail) -> str:
    d = detail.directive
    lines = [
        texts.DETAIL_HEADER.format(
            id=d.id,
            ref=esc(directive_ref(d, with_title=False)),
            title=esc(d.title),
            status=texts.STATUS_NAMES[d.status.value],
        )
    ]
    if detail.monitor is not None:
        lines.append(texts.ND_FIELD.format(name=texts.ND_FIELD_MONITOR, value=esc(detail.monitor.name)))
    for item in detail.duties:
        duty = item.duty
        deadline: Deadline | None = duty.deadline or (Ongoing.ONGOING if duty.recurrence == "ongoing" else None)
        lines.append(
            texts.DETAIL_DUTY.format(
                label=esc(duty.label), text=esc(shorten(duty.text, 300)), deadline=esc(deadline_text(deadline))
            )
        )
        if len(item.units) > _MAX_DETAIL_UNITS:
            # A general duty reaches dozens of units: show counts per status, not a page of names.
            counts: dict[str, int] = {}
            for _, assignment in item.units:
                name = texts.ASSIGNMENT_STATUS_NAMES[assignment.status.value]
                counts[name] = counts.get(name, 0) + 1
            summary = ", ".join(f"{n} {name}" for name, n in counts.items())
            lines.append(texts.DETAIL_MANY_UNITS.format(n=len(item.units), summary=esc(summary)))
            continue
        for unit, assignment in item.units:
            lead = assignment.role.value == "lead"
            lines.append(
                texts.DETAIL_UNIT.format(
                    mark="•" if lead else "·",
                    role=texts.ROLE_LEAD if lead else texts.ROLE_SUPPORT,
                    unit=f"<b>{esc(unit.name)}</b>" if lead else esc(unit.name),
                    status=texts.ASSIGNMENT_STATUS_NAMES[assignment.status.value],
                )
            )
    return "\n".join(lines)


# --- the directive status buttons: one codec, "dir|<id>|<status>" ------------------------------
_STATUSES = {s.value: s for s in DirectiveStatus}


def encode_status(directive_id: int, status: DirectiveStatus) -> str:
    return f"dir|{directive_id}|{status.value}"


def decode_status(data: str | None) -> tuple[int, DirectiveStatus] | None:
    """The directive and the status a button asks for; None when forged or garbled."""
    found = callbacks.fields(data, "dir", 2)
    directive_id = callbacks.row_id(found[0]) if found else None
    status = _STATUSES.get(found[1]) if found else None
    return None if directive_id is None or status is None else (directive_id, status)


def status_keyboard(directive_id: int, status: DirectiveStatus) -> InlineKeyboardMarkup:
    def button(label: str, to: DirectiveStatus) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=encode_status(directive_id, to))

    if status == DirectiveStatus.ACTIVE:
        row = [
            button(texts.DETAIL_BTN_CLOSE, DirectiveStatus.CLOSED),
            button(texts.DETAIL_BTN_ARCHIVE, DirectiveStatus.ARCHIVED),
        ]
    else:
        row = [button(texts.DETAIL_BTN_REOPEN, DirectiveStatus.ACTIVE)]
    return InlineKeyboardMarkup([row])


def status_refusal(key: str, directive_id: int) -> str:
    text = texts.DIRECTIVE_SAME_STATUS if key == "same_status" else texts.DETAIL_NOT_FOUND.format(id=directive_id)
    return texts.strip_tags(text)[:190]


def status_done(directive_id: int, status: DirectiveStatus) -> str:
    return texts.DIRECTIVE_STATUS_SET.format(id=directive_id, status=texts.STATUS_NAMES[status.value])[:190]
