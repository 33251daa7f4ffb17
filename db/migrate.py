"""Alembic, driven programmatically (no alembic.ini to ship or find)."""

from __future__ import annotations

import asyncio
import io
from contextlib import redirect_stdout
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(Path(next(iter(migrations.__path__)))))
    # ConfigParser interpolation would choke on a '%' in a password.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations. Must run outside an event loop (env.py uses asyncio.run)."""
    command.upgrade(alembic_config(url), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_async(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(_current)


async def upgrade_async(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply migrations on an existing engine from inside an event loop."""
    cfg = alembic_config(str(engine.url))

    def _do(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        with redirect_stdout(io.StringIO()):
            command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_do)


def current(url: str) -> str | None:
    from db.session import make_engine

    async def _go() -> str | None:
        engine = make_engine(url)
        try:
            return await current_async(engine)
        finally:
            await engine.dispose()

    return asyncio.run(_go())
