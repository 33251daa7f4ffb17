"""Rendering of people and roles (HTML, escaped)."""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from bot import texts
from bot.services.roles import PersonView
from bot.textsplit import shorten
from db.models import AuditLog


def person_label(user_id: int, full_name: str, username: str | None) -> str:
    parts = [texts.esc(full_name)] if full_name else []
    if username:
        parts.append(f"@{texts.esc(username)}")
    parts.append(f"(<code>{user_id}</code>)")
    return " ".join(parts)


def render_people(people: list[PersonView], admins: list[int]) -> str:
    lines = [texts.PEOPLE_HEADER.format(n=len(people)) if people else texts.PEOPLE_EMPTY]
    for p in people:
        unit = f" — {texts.esc(p.unit_name)}" if p.unit_name else ""
        role = texts.ROLE_NAMES[p.role.value] if p.role else texts.NO_ROLE
        lines.append(
            texts.PEOPLE_LINE.format(person=person_label(p.user_id, p.full_name, p.username), role=role, unit=unit)
        )
    if admins:
        lines.append(texts.PEOPLE_ADMINS.format(ids=", ".join(f"<code>{a}</code>" for a in admins)))
    return "\n".join(lines)


def _change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    if not before and not after:
        return ""
    raw = f"{json.dumps(before, ensure_ascii=False) if before else '∅'} → {json.dumps(after, ensure_ascii=False)}"
    return ": " + texts.esc(shorten(raw, 160))


def render_audit(rows: list[tuple[AuditLog, str | None]], scope: str, tz: tzinfo) -> str:
    if not rows:
        return texts.AUDIT_EMPTY
    lines = [texts.AUDIT_HEADER.format(scope=scope, n=len(rows))]
    for entry, name in rows:
        if entry.actor_user_id is None:
            actor = texts.AUDIT_SYSTEM
        else:
            actor = texts.esc(name) if name else f"<code>{entry.actor_user_id}</code>"
        at = entry.at.astimezone(tz)  # stored UTC, loaded aware
        entity = f"{texts.esc(entry.entity)}#{texts.esc(entry.entity_id or '')}"
        lines.append(
            texts.AUDIT_LINE.format(
                at=at.strftime("%d/%m %H:%M"),
                actor=actor,
                action=texts.esc(entry.action),
                entity=entity,
                change=_change(entry.before, entry.after),
            )
        )
    return "\n".join(lines)
