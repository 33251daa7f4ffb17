"""Who is who: roles come from config (admins) and from the people table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.domain.enums import Role
from db.models import Person, Unit


@dataclass(frozen=True)
class Identity:
    user_id: int
    role: Role | None
    unit_code: str | None = None
    unit_name: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.ADMIN, Role.SECRETARY)


async def identify(session: AsyncSession, config: Config, user_id: int) -> Identity:
    """Admins listed in config.yaml always win over whatever the table says."""
    row = (
        await session.execute(
            select(Person.role, Unit.code, Unit.name)
            .outerjoin(Unit, Unit.id == Person.unit_id)
            .where(Person.telegram_user_id == user_id)
        )
    ).first()
    role, code, name = (row.role, row.code, row.name) if row else (None, None, None)
    if user_id in config.admins:
        role = Role.ADMIN
    return Identity(user_id=user_id, role=role, unit_code=code, unit_name=name)
