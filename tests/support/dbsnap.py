"""A whole-database snapshot, to assert that a refused action stored nothing at all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.base import Base
from fakeapi.harness import Harness


async def snapshot(h: Harness) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    async with h.app.bot_data.sessions() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out
