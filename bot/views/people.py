"""Rendering of people and roles (HTML, escaped)."""

from __future__ import annotations

from bot import texts
from bot.services.roles import PersonView


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
