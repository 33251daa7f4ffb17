"""Catch-up of the weekly post: never a week that was over before the bot knew the channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import texts
from bot.clock import FakeClock
from bot.config import Config, SummarySettings
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from fakeapi.models import JSONDict
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.flows import local

THIS_WEEK = "📊 Tổng hợp tình hình thực hiện nhiệm vụ — tuần 23/11–29/11/2026"
LAST_WEEK = "📊 Tổng hợp tình hình thực hiện nhiệm vụ — tuần 16/11–22/11/2026"


@pytest.fixture
def config(db_url: str, tmp_path: Path, world: FakeTelegram) -> Config:
    channel = world.channel("Tổng hợp Tỉnh ủy")
    return Config(
        database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units(),
        summary=SummarySettings(channel_id=channel.id),
    )  # fmt: skip


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Văn phòng")
    world.private(user)
    return user


def titles(world: FakeTelegram, config: Config) -> list[str]:
    posts: list[JSONDict] = [m for (cid, _), m in sorted(world.messages.items()) if cid == config.summary.channel_id]
    return [str(m["text"]).split("\n")[0] for m in posts if str(m.get("text", "")).startswith("📊")]


async def test_a_manual_post_on_day_one_does_not_let_the_tick_post_the_week_before(
    harness: Harness, world: FakeTelegram, admin: FakeUser, config: Config, clock: FakeClock
) -> None:
    h = harness  # installed on Monday 23/11 09:00
    chat = world.private(admin)
    await h.text(admin, chat, "/summary")
    (with_button,) = [m for m in world.bot_messages(chat) if "reply_markup" in m]
    await h.press_button(admin, chat, with_button["message_id"], texts.SUMMARY_BTN_POST)
    assert titles(world, config) == [THIS_WEEK]
    for hour, minute in ((9, 1), (9, 5), (10, 0)):
        clock.set(local(2026, 11, 23, hour, minute))
        await h.tick()
    assert titles(world, config) == [THIS_WEEK]  # not the week of 16/11, before the bot existed


async def test_a_configured_channel_posts_its_first_week_once(
    harness: Harness, world: FakeTelegram, config: Config, clock: FakeClock
) -> None:
    h = harness
    await h.tick()
    assert titles(world, config) == []  # the week before the installation is not caught up
    for moment in (local(2026, 11, 27, 16, 0), local(2026, 11, 27, 16, 1), local(2026, 11, 28, 9, 0),
                   local(2026, 11, 30, 9, 0)):  # fmt: skip
        clock.set(moment)
        await h.tick()
    assert titles(world, config) == [THIS_WEEK]


async def test_a_week_missed_while_the_bot_was_down_is_posted_once(
    harness: Harness, world: FakeTelegram, config: Config, clock: FakeClock
) -> None:
    await harness.tick()  # Monday 23/11: the bot runs, then goes down before Friday's post
    clock.set(local(2026, 11, 30, 9, 0))
    async with Harness.running(config, world, clock=clock) as restarted:
        await restarted.tick()
        clock.set(local(2026, 11, 30, 9, 1))
        await restarted.tick()
    assert titles(world, config) == [THIS_WEEK]
    assert LAST_WEEK not in titles(world, config)
