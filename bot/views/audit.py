"""/audit as a Vietnamese log: who, when, what, on which directive, duty and unit, before → after.

Values in (bot.services.audit.AuditPage), HTML out; texts.py holds the words. One codec for the page
buttons: "au|<scope a/d/u>|<directive or unit id, 0 for all>|<anchor row id>|<page>".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.domain import callbacks
from bot.domain.textnorm import fold
from bot.domain.vndates import format_date
from bot.refs import directive_ref
from bot.services.audit import Actor, AuditEntry, AuditPage, AuditScope
from bot.textsplit import shorten

PAGE_PREFIX = "au"
MAX_PAGES = 10_000
# Bounds that keep a page of entries under Telegram's 4096 characters.
VALUE_CHARS, NAME_CHARS, CHANGE_CHARS = 60, 48, 240
_DIRECTIVE = re.compile(r"^(?:vb|van ban|directive|#)\s*#?([0-9]{1,9})$")
_UNIT = re.compile(r"^(?:dv|don vi|unit)\s+(.+)$")
# Keys shown from `after` even when `before` lacks them (a decision's reason).
_ALWAYS_AFTER = ("reason",)


@dataclass(frozen=True)
class AuditRequest:
    kind: str  # "a", "d" or "u"
    directive_id: int | None = None
    unit_text: str = ""


def parse_request(raw: str) -> AuditRequest | None:
    """`/audit`, `/audit vb 12`, `/audit dv Sở Y tế`; None for anything else."""
    key = fold(raw)
    if not key:
        return AuditRequest("a")
    if m := _DIRECTIVE.match(key):
        return AuditRequest("d", directive_id=int(m.group(1)))
    if _UNIT.match(key) and " " in raw.strip():
        return AuditRequest("u", unit_text=raw.strip().split(maxsplit=1)[1])
    return None


# --- the page button ------------------------------------------------------------------------------
def encode_page(scope: AuditScope, anchor: int, page: int) -> str:
    data = f"{PAGE_PREFIX}|{scope.kind}|{scope.ref_id or 0}|{anchor}|{page}"
    assert len(data.encode()) <= callbacks.MAX_DATA_BYTES, data
    return data


def decode_page(data: str | None) -> tuple[AuditScope, int, int] | None:
    """(scope, anchor, page), or None for anything the bot did not write."""
    parts = callbacks.fields(data, PAGE_PREFIX, 4)
    if parts is None or parts[0] not in ("a", "d", "u"):
        return None
    ref = None if parts[0] == "a" and parts[1] == "0" else callbacks.row_id(parts[1])
    anchor, page = callbacks.row_id(parts[2]), callbacks.index(parts[3], MAX_PAGES)
    if (ref is None) != (parts[0] == "a") or anchor is None or page is None:
        return None
    return AuditScope(parts[0], ref), anchor, page


def page_keyboard(page: AuditPage) -> InlineKeyboardMarkup | None:
    row = [
        InlineKeyboardButton(label, callback_data=encode_page(page.scope, page.anchor, target))
        for label, target in ((texts.AUDIT_BTN_NEWER, page.page - 1), (texts.AUDIT_BTN_OLDER, page.page + 1))
        if 0 <= target < page.pages
    ]
    return InlineKeyboardMarkup([row]) if row else None


# --- the text -------------------------------------------------------------------------------------
def render_page(page: AuditPage, tz: tzinfo) -> tuple[str, InlineKeyboardMarkup | None]:
    if not page.entries:
        return texts.AUDIT_EMPTY, None
    lines = [
        texts.AUDIT_HEADER.format(scope=_scope(page), page=page.page + 1, pages=page.pages, n=page.total),
        *(_entry(e, tz) for e in page.entries),
    ]
    return "\n".join(lines), page_keyboard(page)


def _scope(page: AuditPage) -> str:
    if page.scope.kind == "d":
        if page.scope_directive is None:
            return texts.AUDIT_SCOPE_DIRECTIVE_GONE.format(id=page.scope.ref_id)
        return texts.AUDIT_SCOPE_DIRECTIVE.format(ref=texts.esc(directive_ref(page.scope_directive)))
    if page.scope.kind == "u":
        return texts.AUDIT_SCOPE_UNIT.format(unit=texts.esc(page.scope_name or ""))
    return ""


def actor_text(actor: Actor | None) -> str:
    if actor is None:
        return texts.AUDIT_SYSTEM
    role = texts.ROLE_NAMES[actor.role.value] if actor.role else texts.NO_ROLE
    if actor.unit_name:
        role = texts.AUDIT_ACTOR_UNIT.format(role=role, unit=shorten(actor.unit_name, NAME_CHARS))
    name = shorten(actor.name, NAME_CHARS) if actor.name else texts.AUDIT_NO_NAME.format(id=actor.user_id)
    return texts.esc(texts.AUDIT_ACTOR.format(name=name, role=role))


def verb(action: str) -> str:
    return texts.AUDIT_VERBS.get(action) or texts.AUDIT_VERB_UNKNOWN.format(code=action)


def _where(e: AuditEntry) -> str:
    parts = []
    if e.directive is not None:
        parts.append(texts.AUDIT_WHERE_DIRECTIVE.format(ref=texts.esc(directive_ref(e.directive))))
    if e.duty_label is not None:
        parts.append(texts.AUDIT_WHERE_DUTY.format(label=texts.esc(e.duty_label), code=texts.esc(e.row.entity_id)))
    if e.unit_name:
        parts.append(texts.AUDIT_WHERE_UNIT.format(unit=texts.esc(shorten(e.unit_name, NAME_CHARS))))
    if e.chat_title:
        parts.append(texts.AUDIT_WHERE_CHAT.format(title=texts.esc(shorten(e.chat_title, NAME_CHARS))))
    if e.subject is not None:
        parts.append(texts.AUDIT_WHERE_PERSON.format(person=actor_text(e.subject)))
    return texts.AUDIT_WHERE.format(parts=" · ".join(parts)) if parts else ""


def _entry(e: AuditEntry, tz: tzinfo) -> str:
    at = e.row.at.astimezone(tz).strftime("%d/%m/%Y %H:%M")  # stored UTC, loaded aware
    return texts.AUDIT_ENTRY.format(
        at=at, actor=actor_text(e.actor), verb=texts.esc(verb(e.row.action)), where=_where(e), change=_change(e)
    )


def _change(e: AuditEntry) -> str:
    before, after = e.row.before or {}, e.row.after or {}
    parts: list[str] = []
    if not before:  # a creation: what it was created with
        parts = [
            texts.AUDIT_FIELD_SET.format(field=_field(e, k), value=_value(e, k, v))
            for k, v in after.items()
            if v not in (None, "", [], {}) and not (k == "number" and e.directive is not None)
        ]
    else:
        parts = [_changed(e, k, before[k], v) for k, v in after.items() if k in before and before[k] != v]
        parts += [
            texts.AUDIT_FIELD_SET.format(field=_field(e, k), value=_value(e, k, after[k]))
            for k in _ALWAYS_AFTER
            if after.get(k) and k not in before
        ]
    if not parts:
        return ""
    return texts.AUDIT_CHANGE.format(parts=texts.esc(shorten(" · ".join(parts), CHANGE_CHARS)))


def _changed(e: AuditEntry, key: str, old: Any, new: Any) -> str:
    if isinstance(old, list) and isinstance(new, list):
        added, removed = [x for x in new if x not in old], [x for x in old if x not in new]
        words = [texts.AUDIT_LIST_ADDED.format(items=_items(added))] if added else []
        words += [texts.AUDIT_LIST_REMOVED.format(items=_items(removed))] if removed else []
        return texts.AUDIT_FIELD_SET.format(field=_field(e, key), value=", ".join(words))
    return texts.AUDIT_FIELD_CHANGED.format(field=_field(e, key), before=_value(e, key, old), after=_value(e, key, new))


def _field(e: AuditEntry, key: str) -> str:
    return texts.AUDIT_FIELDS.get(f"{e.row.entity}.{key}") or texts.AUDIT_FIELDS.get(key, key)


def _items(values: list[Any]) -> str:
    # Names contain commas ("phòng, chống dịch"): quote each one.
    return "; ".join(f"“{shorten(str(v), VALUE_CHARS)}”" for v in values)


def _member(code: str) -> str:
    if code.startswith("kind:"):
        kind = code.removeprefix("kind:")
        return texts.AUDIT_MEMBERS_OF_KIND.format(kind=texts.UNIT_KIND_NAMES.get(kind, kind))
    return code


def _value(e: AuditEntry, key: str, value: Any) -> str:
    """One recorded value in words: statuses, roles, dates, yes/no, units by name."""
    if value is None or value == "None":  # a decision stores str(None) for "no deadline"
        return texts.AUDIT_NO_DEADLINE if key == "deadline" else texts.AUDIT_NONE
    if isinstance(value, bool):
        return texts.AUDIT_YES if value else texts.AUDIT_NO
    if key == "status":
        names = texts.STATUS_NAMES if e.row.entity == "directive" else texts.ASSIGNMENT_STATUS_NAMES
        return names.get(str(value), str(value))
    if key == "deadline":
        try:
            return format_date(date.fromisoformat(str(value)))
        except ValueError:
            return shorten(str(value), VALUE_CHARS)
    if key == "role":
        return texts.ROLE_NAMES.get(str(value), str(value))
    if key == "extension_status":
        return texts.AUDIT_EXTENSION_NAMES.get(str(value), str(value))
    if key == "unit_id" and isinstance(value, int):
        return e.unit_names.get(value, texts.AUDIT_NONE)
    if key == "kind":
        names = texts.AUDIT_UPDATE_KINDS if e.row.entity == "update" else texts.UNIT_KIND_NAMES
        return names.get(str(value), str(value))
    if key == "plan" and isinstance(value, dict):
        return texts.ND_PLANS.get(str(value.get("preset")), str(value.get("preset")))
    if key == "members" and isinstance(value, list):
        return _items([_member(str(v)) for v in value])
    if isinstance(value, list):
        return _items(value)
    return shorten(str(value), VALUE_CHARS)
