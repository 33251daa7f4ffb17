from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from db.base import Base
from db.migrate import current_async, head_revision
from db.sqlite_inline import InlineConnection


def _diff(conn: Connection) -> list[object]:
    ctx = MigrationContext.configure(conn, opts={"compare_type": True, "target_metadata": Base.metadata})
    return list(compare_metadata(ctx, Base.metadata))


async def test_migrations_reach_head(engine: AsyncEngine) -> None:
    assert await current_async(engine) == head_revision()


async def test_models_and_migrations_do_not_drift(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    assert diff == []


async def test_every_table_exists(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert set(Base.metadata.tables) <= tables


async def test_sqlite_pragmas_are_set(engine: AsyncEngine) -> None:
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        # SQLite's own busy handler would block the event loop: the inline driver waits instead.
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 0
        driver = (await conn.get_raw_connection()).driver_connection
        assert isinstance(driver, InlineConnection)
