"""`dondoc check`: validate the configuration and the database, in plain words.

`--live` also probes the running system (bot/health.py): a database round-trip, the scheduler's last
tick, and Telegram's getMe through the configured base_url.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from sqlalchemy.engine import make_url

from bot import texts
from bot.clock import SystemClock
from bot.config import Config, ConfigError, config_path
from bot.runtime.health import DEFAULT_API, HealthReport, Probe, api_of, probe_storage, probe_telegram
from db.migrate import current_async, head_revision
from db.session import make_engine

_LIVE_TIMEOUT_S = 5.0
DEFAULT_FILE_API = "https://api.telegram.org/file/bot"


async def _db_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return await asyncio.wait_for(current_async(engine), timeout=15)
    finally:
        await engine.dispose()


async def live_report(cfg: Config, token: str | None) -> HealthReport:
    """The probes /health runs, from outside the bot: its own engine and Bot, short timeouts."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    now = SystemClock().now()
    engine = make_engine(cfg.db_url())
    try:
        db, scheduler = await probe_storage(engine, now, cfg.reminders.tick_seconds)
    finally:
        await engine.dispose()
    if token is None:
        return HealthReport(at=now, probes=(db, scheduler))
    request = HTTPXRequest(connect_timeout=_LIVE_TIMEOUT_S, read_timeout=_LIVE_TIMEOUT_S)
    bot = Bot(
        token,
        base_url=cfg.telegram.base_url or DEFAULT_API,
        base_file_url=cfg.telegram.base_file_url or DEFAULT_FILE_API,
        request=request,
        get_updates_request=request,
    )
    async with request:
        telegram = await probe_telegram(bot, api_of(cfg))
    return HealthReport(at=now, probes=(db, scheduler, telegram))


def _local(iso: str, cfg: Config) -> str:
    from datetime import datetime

    return datetime.fromisoformat(iso).astimezone(cfg.tz).strftime("%d/%m/%Y %H:%M:%S")


def _without_prefix(exc: ConfigError) -> str:
    return str(exc).split(": ", 1)[-1]


def run_checks(cfg: Config, path: str | None, out: TextIO = sys.stdout, *, live: bool = False) -> int:
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
    token: str | None = None
    try:
        token = cfg.token()
        ok(texts.CHECK_TOKEN)
    except ConfigError:
        warn(texts.CHECK_NO_TOKEN)
    wh = cfg.telegram.webhook
    if wh.enabled:
        try:
            cfg.webhook_secret_token()
            public = cfg.webhook_public_url()
        except ConfigError as exc:
            fail(_without_prefix(exc))
        else:
            ok(texts.CHECK_WEBHOOK.format(url=public, listen=wh.listen, port=wh.port, path=wh.url_path))
            if not public.startswith("https://"):
                warn(texts.CHECK_WEBHOOK_NOT_HTTPS.format(url=public))
    else:
        ok(texts.CHECK_POLLING)
    (ok(texts.CHECK_ADMINS.format(n=len(cfg.admins))) if cfg.admins else warn(texts.CHECK_NO_ADMINS))
    if cfg.summary.channel_id is None:
        warn(texts.CHECK_NO_CHANNEL)
    else:
        ok(texts.CHECK_CHANNEL.format(channel=cfg.summary.channel_id))
    (ok(texts.CHECK_UNITS.format(n=len(cfg.units))) if cfg.units else warn(texts.CHECK_NO_UNITS))
    if live:
        report = asyncio.run(live_report(cfg, token))
        for line, good in _live_lines(report, cfg):
            (ok if good else fail)(line)
    print(texts.CHECK_SUMMARY.format(fails=len(fails), warns=len(warns)), file=out)
    return 1 if fails else 0


def _live_lines(report: HealthReport, cfg: Config) -> list[tuple[str, bool]]:
    lines: list[tuple[str, bool]] = []
    db = report.probe("database")
    tick = report.probe("scheduler").info
    if not db.ok:
        # The scheduler's tick lives in the database: its line would only repeat this one.
        lines.append((texts.CHECK_LIVE_DB_FAIL.format(error=db.info.get("error")), False))
    elif tick.get("last_tick") is None:
        lines.append((texts.CHECK_LIVE_TICK_NEVER, False))
    else:
        at = _local(tick["last_tick"], cfg)
        good = report.probe("scheduler").ok
        text = texts.CHECK_LIVE_TICK if good else texts.CHECK_LIVE_TICK_STALE
        lines.append((text.format(age=tick["age_s"], at=at, limit=tick["stale_after_s"]), good))
    if db.ok:
        lines.insert(0, (texts.CHECK_LIVE_DB.format(ms=db.info["latency_ms"]), True))
    tg: Probe | None = next((p for p in report.probes if p.name == "telegram"), None)
    if tg is None:
        lines.append((texts.CHECK_LIVE_NO_TOKEN, False))
    elif tg.ok:
        lines.append(
            (
                texts.CHECK_LIVE_TELEGRAM.format(username=tg.info["bot"], ms=tg.info["latency_ms"], api=tg.info["api"]),
                True,
            )
        )
    else:
        lines.append((texts.CHECK_LIVE_TELEGRAM_FAIL.format(api=tg.info["api"], error=tg.info["error"]), False))
    return lines
