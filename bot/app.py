"""build_application(): the one composition root."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, cast

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults, ExtBot
from telegram.request import BaseRequest, HTTPXRequest

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.context import BotContext, BotServices, DondocApp
from bot.handlers import register_handlers
from bot.jobs.tick import schedule_ticks
from bot.logs import bound, update_fields
from bot.runtime import cluster, spool_replay
from bot.runtime.lanes import ChatLanes
from bot.runtime.menus import publish_commands
from bot.runtime.ratelimit import WindowRateLimiter
from bot.runtime.replyout import EDIT_GAP_S, reply_out
from bot.runtime.replyout import install as install_reply_out
from bot.runtime.summary_post import remember_channel
from bot.services.units import sync_from_config
from bot.updates import ALLOWED_UPDATES as ALLOWED_UPDATES  # re-exported: callers ask the app
from db.migrate import upgrade_async
from db.session import make_engine, make_session_factory

log = logging.getLogger("dondoc.app")

_HEALTH = "health_server"


class TracedApplication(Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotServices, Any]):
    """Every log record emitted while an update is handled carries its update_id, chat_id and user_id
    (handlers, services, PTB itself, and tasks they start), and each update ends with one `update` line."""

    async def process_update(self, update: object) -> None:
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        started = time.perf_counter()
        with bound(update_fields(update)):
            try:
                await super().process_update(update)
            finally:
                kind = next((k for k in ALLOWED_UPDATES if getattr(update, k, None) is not None), "other")
                log.info("update kind=%s ms=%d", kind, round((time.perf_counter() - started) * 1000))


class HandledOnPut(asyncio.Queue[object]):
    """The update queue PTB's webhook handler puts each update in. Handling happens inside `put`, so
    the handler answers Telegram's POST (200) only once the update was handled: a process killed
    before that leaves the update with Telegram, which sends it again, instead of losing it.
    With webhook.max_connections > 1 Telegram posts concurrently: each update goes to its chat's
    lane (bot/lanes.py), so one chat's stay in order and a slow chat holds only its own requests."""

    def __init__(self) -> None:
        super().__init__()
        self.app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self.lanes: ChatLanes | None = None

    async def put(self, item: object) -> None:
        if self.app is not None and isinstance(item, Update):
            if self.lanes is None:
                self.lanes = ChatLanes(self.app.process_update)
            await self.lanes.room()
            await self.lanes.submit(item)
            return
        await super().put(item)  # PTB's own signals, e.g. the stop sentinel


async def prepare_database(app: DondocApp) -> None:
    """Apply migrations on the app's own engine (the CLI does it synchronously before polling)."""
    await upgrade_async(app.bot_data.engine)


async def seed_directory(app: DondocApp) -> None:
    """Add the config's units missing from the database; admin edits made in chat are kept."""
    services = app.bot_data
    async with services.sessions() as session:
        added = await sync_from_config(session, services.config.units, services.clock.now())
        await session.commit()
    if added:
        log.info("unit directory seeded added=%s", added)


async def _post_init(app: DondocApp) -> None:
    await spool_replay.start(app)  # first: what an earlier run kept is stored as soon as it can be
    await cluster.start(app)  # before any send: this instance's share of the rate budget
    app.bot_data.bot_username = app.bot.username
    await seed_directory(app)
    await remember_channel(app.bot_data)
    await publish_commands(app)
    health = app.bot_data.extras.get(_HEALTH)
    if health is not None:
        await health.start()
        log.info("health server listening on http://%s:%s/health", health.host, health.port)
    log.info("initialised bot=@%s", app.bot.username)


async def _post_stop(app: DondocApp) -> None:
    await reply_out(app.bot, app.bot_data.extras).drain()  # queued acknowledgements still go out
    await spool_replay.stop(app)
    await cluster.stop(app)
    health = app.bot_data.extras.get(_HEALTH)
    if health is not None:
        await health.stop()


async def _post_shutdown(app: DondocApp) -> None:
    await app.bot_data.engine.dispose()
    log.info("shut down cleanly")


def build_application(
    config: Config,
    request: BaseRequest | None = None,
    *,
    clock: Clock | None = None,
    token: str | None = None,
    rate_limit: bool = True,
    scheduler: bool = True,
    health_server: bool = False,
    webhook: bool = False,
) -> DondocApp:
    """Wire configuration, database, Telegram and handlers together.

    `request` replaces the HTTP layer (the tests and `dondoc demo` pass the fake Bot API).
    `scheduler=False` leaves the reminder tick to the caller (tests drive it with a fake clock).
    `health_server=True` (webhook mode) serves GET /health on telegram.webhook.health_port from
    post_init to post_stop; the server is kept in bot_data.extras["health_server"].
    `webhook=True` makes PTB's webhook server answer Telegram only after the update was handled.
    """
    engine = make_engine(config.db_url())
    services = BotServices(
        config=config, clock=clock or SystemClock(), engine=engine, sessions=make_session_factory(engine)
    )
    context_types: ContextTypes[BotContext, dict[Any, Any], dict[Any, Any], BotServices] = ContextTypes(
        context=BotContext, bot_data=cast(type[BotServices], lambda: services)
    )
    builder = (
        ApplicationBuilder()
        .application_class(TracedApplication)
        .token(token or config.token())
        .context_types(context_types)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=config.tz))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if rate_limit:
        # Telegram's ceilings (30 msg/s, 20 msg/min per group) as sliding windows; RetryAfter is retried.
        journal = config.resolved_data_dir / "recent-sends.log"  # carries the group windows across a restart
        builder = builder.rate_limiter(WindowRateLimiter(max_retries=3, journal=journal))  # type: ignore[arg-type]
    if config.telegram.base_url:
        builder = builder.base_url(config.telegram.base_url)
    if config.telegram.base_file_url:
        builder = builder.base_file_url(config.telegram.base_file_url)
    queue = HandledOnPut() if webhook else None
    if queue is not None:
        builder = builder.update_queue(queue)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        tg = config.telegram
        builder = builder.request(
            HTTPXRequest(connection_pool_size=64, connect_timeout=tg.connect_timeout, read_timeout=tg.read_timeout)
        ).get_updates_request(
            HTTPXRequest(connect_timeout=tg.connect_timeout, read_timeout=tg.poll_timeout + tg.read_timeout)
        )
    app: DondocApp = builder.build()  # type: ignore[assignment]
    if queue is not None:
        queue.app = app
    register_handlers(app)
    spool_replay.register(app)
    # Without the limiter there is no send budget to save: notice edits go out at once.
    install_reply_out(app.bot, services.extras, edit_gap=EDIT_GAP_S if rate_limit else 0.0)
    if scheduler:
        schedule_ticks(app)
    health_port = config.telegram.webhook.health_port
    if health_server and health_port is not None:
        from bot.runtime.health import LiveChecker
        from bot.runtime.webhook import HealthServer  # needs tornado, which only webhook mode installs

        checker = LiveChecker(bot=app.bot, engine=engine, config=config, clock=services.clock)
        services.extras[_HEALTH] = HealthServer(
            checker.report, host=config.telegram.webhook.health_listen, port=health_port
        )
    return app
