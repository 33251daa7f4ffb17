"""`dondoc check`: validate the configuration and the database, in plain words."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from sqlalchemy.engine import make_url

from bot import texts
from bot.config import Config, ConfigError, config_path
from db.migrate import current_async, head_revision
from db.session import make_engine


async def _db_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return await asyncio.wait_for(current_async(engine), timeout=15)
    finally:
        await engine.dispose()


def run_checks(cfg: Config, path: str | None, out: TextIO = sys.stdout) -> int:
    fails: list[str] = []
    warns: list[str] = []

    def ok(what: str) -> None:
        print(texts.CHECK_OK.format(what=what), file=out)

    def warn(what: str) -> None:
        warns.append(what)
        print(texts.CHECK_WARN.format(what=what), file=out)

    def fail(what: str) -> None:
        fails.append(what)
        print(texts.CHECK_FAIL.format(what=what), file=out)

    ok(texts.CHECK_CONFIG.format(path=config_path(path)))
    ok(texts.CHECK_TIMEZONE.format(tz=cfg.timezone))
    url = cfg.db_url()
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        revision = asyncio.run(_db_revision(url))
    except Exception as exc:
        fail(texts.CHECK_DB_UNREACHABLE.format(db=shown, error=str(exc).splitlines()[0][:200] if str(exc) else exc))
    else:
        head = head_revision()
        if revision == head:
            ok(texts.CHECK_DB.format(db=shown, revision=revision))
        else:
            fail(texts.CHECK_DB_BEHIND.format(db=shown, revision=revision or "-", head=head))
    try:
        cfg.token()
        ok(texts.CHECK_TOKEN)
    except ConfigError:
        warn(texts.CHECK_NO_TOKEN)
    (ok(texts.CHECK_ADMINS.format(n=len(cfg.admins))) if cfg.admins else warn(texts.CHECK_NO_ADMINS))
    if cfg.summary.channel_id is None:
        warn(texts.CHECK_NO_CHANNEL)
    else:
        ok(texts.CHECK_CHANNEL.format(channel=cfg.summary.channel_id))
    (ok(texts.CHECK_UNITS.format(n=len(cfg.units))) if cfg.units else warn(texts.CHECK_NO_UNITS))
    print(texts.CHECK_SUMMARY.format(fails=len(fails), warns=len(warns)), file=out)
    return 1 if fails else 0
