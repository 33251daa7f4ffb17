"""/start, /help, unknown commands, the error handler and start-up wiring, through the real Application."""

from __future__ import annotations

import pytest
from telegram.ext import CommandHandler

from bot import texts
from bot.app import ALLOWED_UPDATES
from fakeapi import FakeTelegram
from fakeapi.harness import Harness
from fakeapi.htmltext import parse_html
from tests.bot.conftest import ADMIN_ID
from tests.support.dbsnap import snapshot


async def test_start_in_private_names_the_role(harness: Harness, world: FakeTelegram) -> None:
    admin = world.user("Lan", "Nguyễn")
    assert admin.id == ADMIN_ID
    chat = world.private(admin)
    calls = await harness.text(admin, chat, "/start")
    assert [c.method for c in calls] == ["sendMessage"]
    text = harness.last_text(chat)
    assert "Lan Nguyễn" in text
    assert texts.ROLE_NAMES["admin"] in text


async def test_start_for_unknown_user_gives_id_to_send_to_admin(harness: Harness, world: FakeTelegram) -> None:
    world.user("Admin")
    stranger = world.user("Bình", username="binh")
    chat = world.private(stranger)
    await harness.text(stranger, chat, "/start")
    assert str(stranger.id) in harness.last_text(chat)
    assert texts.NO_ROLE in harness.last_text(chat)


async def test_help_is_role_aware(harness: Harness, world: FakeTelegram) -> None:
    admin = world.user("Admin")
    stranger = world.user("Khách")
    await harness.text(admin, world.private(admin), "/help")
    await harness.text(stranger, world.private(stranger), "/help")
    admin_help = harness.last_text(world.private(admin))
    stranger_help = harness.last_text(world.private(stranger))
    assert admin_help != stranger_help
    assert "/help" in admin_help and "/start" in stranger_help


async def test_help_in_group_explains_replying(harness: Harness, world: FakeTelegram) -> None:
    member = world.user("Thành viên")
    group = world.group("Sở TT&TT", [member])
    await harness.text(member, group, f"/help@{world.bot.username}")
    assert "trả lời" in harness.last_text(group).lower()


async def test_unknown_command_in_private_gets_a_hint_and_is_silent_in_groups(
    harness: Harness, world: FakeTelegram
) -> None:
    user = world.user("Admin")
    calls = await harness.text(user, world.private(user), "/khongco abc")
    assert "/khongco" in harness.sent_texts(calls)[0]
    group = world.group("Nhóm", [user])
    assert await harness.text(user, group, "/khongco") == []


async def test_plain_text_in_group_from_nobody_is_ignored(harness: Harness, world: FakeTelegram) -> None:
    user = world.user("Admin")
    group = world.group("Nhóm", [user])
    assert await harness.text(user, group, "chào mọi người") == []


@pytest.mark.handler_errors
async def test_error_handler_answers_in_vietnamese_without_internals(harness: Harness, world: FakeTelegram) -> None:
    async def boom(update: object, context: object) -> None:
        raise RuntimeError("secret internals /etc/passwd")

    harness.app.add_handler(CommandHandler("boom", boom), group=-1)
    user = world.user("Admin")
    chat = world.private(user)
    calls = await harness.text(user, chat, "/boom")
    sent = harness.sent_texts(calls)
    assert parse_html(texts.ERROR_GENERIC)[0] in sent
    assert not any("secret" in t or "RuntimeError" in t for t in sent)


async def test_commands_are_published_per_scope(harness: Harness, world: FakeTelegram) -> None:
    assert {"all_private_chats", "all_group_chats"} <= set(world.commands)
    private = {c["command"] for c in world.commands["all_private_chats"]}
    group = {c["command"] for c in world.commands["all_group_chats"]}
    assert {"start", "help"} <= private
    assert "help" in group and "start" not in group


async def test_admin_menu_published_when_admin_has_a_chat(config: object, world: FakeTelegram) -> None:
    from bot.config import Config

    assert isinstance(config, Config)
    admin = world.user("Admin")
    world.private(admin)
    async with Harness.running(config, world):
        assert f"chat:{admin.id}" in world.commands


@pytest.mark.parametrize("rate_limit", [False, True])
async def test_polling_asks_for_explicit_allowed_updates(config: object, rate_limit: bool) -> None:
    """The real Updater polls the fake: the allowed_updates list reaches getUpdates."""
    import asyncio

    from bot.app import build_application, prepare_database
    from bot.config import Config
    from fakeapi import FakeRequest

    assert isinstance(config, Config)
    world = FakeTelegram()
    user = world.user("Admin")
    world.send_text(user, world.private(user), "/start")
    app = build_application(config, FakeRequest(world), token=world.token, rate_limit=rate_limit)
    await prepare_database(app)
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=1, poll_interval=0)
        await app.start()
        for _ in range(200):
            if world.bot_messages(world.private(user)):
                break
            await asyncio.sleep(0.01)
        await app.updater.stop()
        await app.stop()
    await app.bot_data.engine.dispose()  # `async with app` skips post_shutdown, which run_polling would call
    assert world.allowed_updates == ALLOWED_UPDATES
    assert world.bot_messages(world.private(user)), "the /start sent before start-up was answered"


async def test_whoami_shows_role_and_id(harness: Harness, world: FakeTelegram) -> None:
    admin = world.user("Admin")
    stranger = world.user("Khách")
    await harness.text(admin, world.private(admin), "/whoami")
    assert texts.ROLE_NAMES["admin"] in harness.last_text(world.private(admin))
    await harness.text(stranger, world.private(stranger), "/whoami")
    answer = harness.last_text(world.private(stranger))
    assert str(stranger.id) in answer and texts.NO_ROLE in answer


async def test_whoami_in_an_unbound_group_stores_nothing(harness: Harness, world: FakeTelegram) -> None:
    world.user("Admin")
    newcomer = world.user("Mới", username="moi")
    group = world.group("Nhóm lạ", [newcomer])
    before = await snapshot(harness)
    await harness.text(newcomer, group, f"/whoami@{world.bot.username}")
    assert await snapshot(harness) == before  # no Person row for someone who never opened the bot
    answer = harness.last_text(group)
    assert str(newcomer.id) in answer and parse_html(texts.GROUP_NOT_BOUND)[0] in answer
    await harness.text(newcomer, world.private(newcomer), "/whoami")
    assert await snapshot(harness) != before  # in private the name is kept, so admins can /grant @moi
