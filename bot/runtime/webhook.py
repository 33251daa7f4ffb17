"""Webhook mode: PTB's own webhook server (tornado) behind a reverse proxy, plus GET /health.

Telegram posts each update to `webhook_url`; the proxy forwards it to http://listen:port/url_path.
PTB answers 403 to any request whose X-Telegram-Bot-Api-Secret-Token is not the secret given to
setWebhook, so only Telegram can inject updates.

/health runs on its own port (health_listen:health_port) so the proxy can keep it off the internet.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import ExtBot
from telegram.ext import _updater as ptb_updater
from telegram.ext._utils import webhookhandler as ptb_webhook
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.config import Config
from bot.context import DondocApp
from bot.runtime.health import HealthReport
from bot.updates import ALLOWED_UPDATES

log = logging.getLogger("dondoc.webhook")


class _UpdateHandler(ptb_webhook.TelegramHandler):
    """PTB's handler, except for a body that is not an update: PTB answers 500 to malformed JSON
    and logs any other bad body whole at CRITICAL. Here both get 400 and one short warning line
    (the body may be large, or hostile, and holds people's messages)."""

    async def post(self) -> None:
        self._validate_post()  # content type and secret token, exactly as PTB checks them
        body = self.request.body
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, self.bot)
        except Exception as exc:  # anything a bad body raises is the sender's fault: 400
            log.warning("event=webhook_bad_body bytes=%d error=%s", len(body), type(exc).__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST, reason="Not a Telegram update") from None
        self.set_status(HTTPStatus.OK)
        if isinstance(self.bot, ExtBot):
            self.bot.insert_callback_data(update)
        await self.update_queue.put(update)


class _WebhookApp(ptb_webhook.WebhookAppClass):
    def __init__(self, webhook_path: str, bot: Any, update_queue: Any, secret_token: str | None = None) -> None:
        self.shared_objects = {"bot": bot, "update_queue": update_queue, "secret_token": secret_token}
        tornado.web.Application.__init__(self, [(rf"{webhook_path}/?", _UpdateHandler, self.shared_objects)])


# PTB's Updater builds its webhook app from this module-level name and offers no hook for the handler.
ptb_updater.WebhookAppClass = _WebhookApp  # type: ignore[attr-defined,misc]


@dataclass(frozen=True)
class WebhookPlan:
    listen: str
    port: int
    url_path: str
    webhook_url: str
    secret_token: str
    max_connections: int

    @classmethod
    def from_config(cls, config: Config, *, port: int | None = None) -> WebhookPlan:
        """Raises ConfigError (one line) when the secret or the public URL is missing."""
        wh = config.telegram.webhook
        secret = config.webhook_secret_token()
        return cls(
            listen=wh.listen,
            port=wh.port if port is None else port,
            url_path=wh.url_path,
            webhook_url=config.webhook_public_url(),
            secret_token=secret,
            max_connections=wh.max_connections,
        )

    def options(self) -> dict[str, Any]:

        return {
            "listen": self.listen,
            "port": self.port,
            "url_path": self.url_path,
            "webhook_url": self.webhook_url,
            "secret_token": self.secret_token,
            # As in polling: the list is sent explicitly, and nothing queued while we were down is dropped.
            "allowed_updates": ALLOWED_UPDATES,
            "drop_pending_updates": False,
            "max_connections": self.max_connections,
        }


async def start_webhook(app: DondocApp, plan: WebhookPlan) -> None:
    """For an app the caller initialises and starts itself (tests); `run_webhook` is the blocking form."""
    if app.updater is None:
        raise RuntimeError("the application was built without an updater")
    await app.updater.start_webhook(**plan.options())


def run_webhook(app: DondocApp, plan: WebhookPlan) -> None:
    """Initialise, setWebhook, serve until SIGINT/SIGTERM, shut down (PTB's Application.run_webhook)."""
    app.run_webhook(**plan.options())


class _HealthHandler(tornado.web.RequestHandler):
    def initialize(self, check: Callable[[], Awaitable[HealthReport]]) -> None:
        self._check = check

    async def get(self) -> None:
        report = await self._check()
        self.set_status(HTTPStatus.OK if report.ok else HTTPStatus.SERVICE_UNAVAILABLE)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(report.as_json(), ensure_ascii=False))


class HealthServer:
    """GET /health: 200 with the JSON report when every probe passes, 503 otherwise."""

    def __init__(self, check: Callable[[], Awaitable[HealthReport]], *, host: str, port: int) -> None:
        self._check = check
        self.host = host
        self.port = port
        self._server: HTTPServer | None = None

    async def start(self) -> None:
        app = tornado.web.Application(
            [(r"/health/?", _HealthHandler, {"check": self._check})],
            log_function=lambda _handler: None,  # a load balancer polls this; its requests are not events
        )
        sockets = bind_sockets(self.port, address=self.host)
        self.port = sockets[0].getsockname()[1]  # the real one when port 0 was asked for
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None
