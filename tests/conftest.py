"""Shared fixtures: database URLs on SQLite and on a throwaway PostgreSQL 15 cluster."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.migrate import upgrade_async
from db.session import make_engine
from tests.support.pg import PgCluster

_problems: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed:
        crash = getattr(report.longrepr, "reprcrash", None)
        message = getattr(crash, "message", "") or str(report.longrepr)[-300:]
        _problems.append(f"{report.when} {report.nodeid}: {message.splitlines()[0] if message else ''}")


def pytest_unconfigure(config: pytest.Config) -> None:
    # CI keeps only the tail of the log: repeat what failed after pytest's own last line.
    if _problems:
        print("\nfailed: " + " | ".join(_problems[:6]), flush=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    cluster = PgCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.url(cluster.create_database())


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    eng = make_engine(db_url)
    await upgrade_async(eng)
    try:
        yield eng
    finally:
        await eng.dispose()
