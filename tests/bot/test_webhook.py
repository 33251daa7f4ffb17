"""Webhook mode through PTB's real webhook server (tornado) on 127.0.0.1, and GET /health.

Outgoing Bot API calls (setWebhook, sendMessage, getMe) go to the in-process fake world, never to Telegram.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import ALLOWED_UPDATES, build_application, prepare_database
from bot.clock import FakeClock
from bot.config import Config, TelegramSettings, WebhookSettings
from bot.context import DondocApp
from bot.jobs.tick import run_tick
from bot.runtime.webhook import HealthServer, WebhookPlan, start_webhook
from fakeapi import FakeTelegram
from fakeapi.faults import Fault
from fakeapi.request import FakeRequest
from tests.bot.conftest import ADMIN_ID

SECRET = "test-Secret_0123456789"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    webhook = WebhookSettings(
        enabled=True,
        port=_free_port(),
        url_path="tg/updates",
        webhook_url="https://bot.example.vn/tg/updates",
        health_port=0,  # any free port; the server reports the one it got
    )
    return Config(
        database_url=db_url,
        admins=[ADMIN_ID],
        config_dir=tmp_path,
        webhook_secret=SECRET,
        telegram=TelegramSettings(webhook=webhook),
    )


@pytest.fixture
async def served(config: Config, world: FakeTelegram, clock: FakeClock) -> AsyncIterator[DondocApp]:
    """The app as `dondoc run --webhook` runs it (PTB's run_webhook order), on the fake world."""
    app = build_application(
        config,
        FakeRequest(world),
        clock=clock,
        token=world.token,
        rate_limit=False,
        scheduler=False,
        health_server=True,
        webhook=True,
    )
    try:
        await prepare_database(app)
        await app.initialize()
        assert app.post_init is not None and app.post_stop is not None
        await app.post_init(app)
        await start_webhook(app, WebhookPlan.from_config(config))
        await app.start()
        try:
            yield app
        finally:
            assert app.updater is not None
            await app.updater.stop()
            await app.stop()
            await app.post_stop(app)
            await app.shutdown()
    finally:
        await app.bot_data.engine.dispose()


def _url(config: Config) -> str:
    wh = config.telegram.webhook
    return f"http://127.0.0.1:{wh.port}/{wh.url_path}"


async def _post(client: httpx.AsyncClient, config: Config, update: dict[str, Any], secret: str | None) -> int:
    headers = {HEADER: secret} if secret is not None else {}
    response = await client.post(_url(config), json=update, headers=headers)
    return response.status_code


async def test_set_webhook_sends_the_secret_and_the_allowed_updates(served: DondocApp, world: FakeTelegram) -> None:
    (call,) = world.calls_to("setWebhook")
    assert call.params["url"] == "https://bot.example.vn/tg/updates"
    assert call.params["secret_token"] == SECRET
    assert list(call.params["allowed_updates"]) == ALLOWED_UPDATES
    assert not call.params.get("drop_pending_updates")  # nothing queued while the bot was down is lost
    assert world.webhook_url == "https://bot.example.vn/tg/updates"
    assert world.calls_to("deleteWebhook") == []


async def test_only_the_right_secret_gets_an_update_in_and_it_is_processed_once(
    served: DondocApp, world: FakeTelegram, config: Config
) -> None:
    admin = world.user("Lan")
    chat = world.private(admin)
    world.send_text(admin, chat, "/start")
    (update,) = world.take_pending()
    async with httpx.AsyncClient(timeout=10) as client:
        assert await _post(client, config, update, None) == 403
        assert await _post(client, config, update, "wrong-secret") == 403
        assert await _post(client, config, update, SECRET[:-1]) == 403
        await asyncio.wait_for(served.update_queue.join(), 10)
        assert world.calls_to("sendMessage", chat.id) == []  # a forged request reaches no handler

        assert await _post(client, config, update, SECRET) == 200
        # Telegram got its 200 only after the update was handled: the answer is already out.
        assert len(world.calls_to("sendMessage", chat.id)) == 1
        await asyncio.wait_for(served.update_queue.join(), 10)
    answers = world.calls_to("sendMessage", chat.id)
    assert len(answers) == 1 and answers[0].ok
    assert "Lan" in str(answers[0].result["text"])


async def test_health_reports_database_scheduler_and_telegram(served: DondocApp, world: FakeTelegram) -> None:
    health = served.bot_data.extras["health_server"]
    assert isinstance(health, HealthServer) and health.port > 0
    url = f"http://127.0.0.1:{health.port}/health"
    async with httpx.AsyncClient(timeout=10) as client:
        before = await client.get(url)
        # No tick yet: the scheduler is not known to be alive, so the instance is unhealthy.
        assert before.status_code == 503
        body = before.json()
        assert body["ok"] is False and body["scheduler"] == {"ok": False, "last_tick": None, "stale_after_s": 300}
        assert body["database"]["ok"] is True and body["telegram"]["ok"] is True
        assert body["telegram"]["bot"] == world.bot.username

        await run_tick(served.bot, served.bot_data)
        after = await client.get(url)
        assert after.status_code == 200, after.text
        body = after.json()
        assert body["ok"] is True
        assert body["scheduler"]["age_s"] == 0  # the fake clock has not moved since the tick
        assert body["scheduler"]["last_tick"] == served.bot_data.clock.now().isoformat()
        assert after.headers["content-type"].startswith("application/json")


async def test_health_is_503_when_telegram_is_unreachable(served: DondocApp, world: FakeTelegram) -> None:
    await run_tick(served.bot, served.bot_data)
    world.inject("getMe", Fault.network_error(), times=None)
    health = served.bot_data.extras["health_server"]
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(f"http://127.0.0.1:{health.port}/health")
    assert response.status_code == 503
    body = response.json()
    assert body["telegram"]["ok"] is False and body["database"]["ok"] is True and body["scheduler"]["ok"] is True
    assert world.token not in response.text


@pytest.mark.parametrize(
    "body",
    [b'{"update_id": 1, "message": {', b"\xff\xfe not utf-8", b"[1, 2]", b'{"no_update_id": "secret-text"}', b""],
    ids=["truncated", "bytes", "list", "no-id", "empty"],
)
async def test_a_body_that_is_not_an_update_gets_400_and_is_not_logged_whole(
    served: DondocApp, world: FakeTelegram, config: Config, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {HEADER: SECRET, "Content-Type": "application/json"}
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(_url(config), content=body, headers=headers)
        assert response.status_code == 400
        # The server is fine afterwards: a real update still gets in.
        admin = world.user("Lan")
        chat = world.private(admin)
        world.send_text(admin, chat, "/start")
        (update,) = world.take_pending()
        assert await _post(client, config, update, SECRET) == 200
    assert not [r for r in caplog.records if r.levelno >= 50]  # nothing at CRITICAL
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "secret-text" not in logged and "event=webhook_bad_body" in logged
