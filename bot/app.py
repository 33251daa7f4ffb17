"""build_application(): the one composition root."""

from __future__ import annotations

import logging
from typing import Any, cast

from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.context import BotContext, BotServices, DondocApp
from bot.handlers import register_handlers
from bot.jobs import schedule_ticks
from bot.menus import publish_commands
from bot.ratelimit import WindowRateLimiter
from bot.services.units import sync_from_config
from db.migrate import upgrade_async
from db.session import make_engine, make_session_factory

log = logging.getLogger("dondoc.app")

# Telegram keeps the last list it was given, so it is always sent explicitly.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


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
    app.bot_data.bot_username = app.bot.username
    await seed_directory(app)
    await publish_commands(app)
    log.info("initialised bot=@%s", app.bot.username)


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
) -> DondocApp:
    """Wire configuration, database, Telegram and handlers together.

    `request` replaces the HTTP layer (the tests and `dondoc demo` pass the fake Bot API).
    `scheduler=False` leaves the reminder tick to the caller (tests drive it with a fake clock).
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
        .token(token or config.token())
        .context_types(context_types)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=config.tz))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if rate_limit:
        # Telegram's ceilings (30 msg/s, 20 msg/min per group) as sliding windows; RetryAfter is retried.
        builder = builder.rate_limiter(WindowRateLimiter(max_retries=3))  # type: ignore[arg-type]
    if config.telegram.base_url:
        builder = builder.base_url(config.telegram.base_url)
    if config.telegram.base_file_url:
        builder = builder.base_file_url(config.telegram.base_file_url)
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
    register_handlers(app)
    if scheduler:
        schedule_ticks(app)
    return app
