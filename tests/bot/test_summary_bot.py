"""The weekly summary through the real Application: posted once per period, with its chart and
workbook; /summary, /stats and /export on demand."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot import texts
from bot.clock import FakeClock
from bot.config import Config, SummarySettings
from bot.services.summary import claim_post, week_of
from db.models import SummaryPost
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from fakeapi.models import JSONDict
from tests.bot.conftest import ADMIN_ID, ROOT, directory_units
from tests.support.flows import bind, local, notice_of, register


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


def channel_posts(world: FakeTelegram, chat_id: int) -> list[JSONDict]:
    # A channel post has no "from" (it is signed by the channel), so bot_messages() does not see it.
    return [m for (cid, mid), m in sorted(world.messages.items()) if cid == chat_id]


async def _scenario(h: Harness) -> None:
    group = await bind(h, "so_yte")
    contact = h.world.user("Đầu mối")
    await register(
        h,
        [
            ("Sở Y tế chủ trì rà soát.", ["so_yte"], date(2026, 11, 25)),
            ("Công an tỉnh chủ trì bảo đảm an ninh.", ["cong_an"], date(2026, 11, 20)),
        ],
    )
    await h.tick()
    await h.text(contact, group, "[1] vướng: thiếu kinh phí", reply_to=notice_of(h, group)["message_id"])


async def test_weekly_summary_is_posted_once_with_chart_and_workbook(
    harness: Harness, world: FakeTelegram, clock: FakeClock, config: Config
) -> None:
    h = harness
    channel = world.chats[config.summary.channel_id or 0]
    await _scenario(h)
    clock.set(local(2026, 11, 27, 15, 59))
    await h.tick()
    assert channel_posts(world, channel.id) == []
    clock.set(local(2026, 11, 27, 16, 0))  # Friday 16:00: due
    for _ in range(3):
        await h.tick()
    posts = channel_posts(world, channel.id)
    text = "\n".join(str(m.get("text", "")) for m in posts)
    assert text.startswith("📊 Tổng hợp tình hình thực hiện nhiệm vụ — tuần 23/11–29/11/2026")
    assert "<b>" not in text  # HTML was parsed, not shown
    assert "Quá hạn chưa hoàn thành: 2" in text and "Chưa báo cáo trong kỳ (1): Công an tỉnh" in text
    assert "thiếu kinh phí" in text
    photos = [m for m in posts if "photo" in m]
    documents = [m for m in posts if "document" in m]
    assert len(photos) == 1 and len(documents) == 1
    async with h.app.bot_data.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(SummaryPost)) == 1
    workbook = load_workbook(io.BytesIO(world.files[documents[0]["document"]["file_id"]].content))
    assert "Giao việc" in workbook.sheetnames


async def test_summary_stats_and_export_on_demand(harness: Harness, admin: FakeUser) -> None:
    h = harness
    await _scenario(h)
    private = h.world.private(admin)
    await h.text(admin, private, "/summary")
    assert any(str(m.get("text", "")).startswith("📊") for m in h.world.bot_messages(private))
    await h.text(admin, private, "/summary tháng 11")
    assert "tháng 11/2026" in "".join(str(m.get("text", "")) for m in h.world.bot_messages(private))
    await h.text(admin, private, "/summary kỳ nào đó")
    assert h.last_text(private).startswith("Chưa hiểu kỳ báo cáo")
    await h.text(admin, private, "/stats Công an tỉnh")
    assert "Công an tỉnh" in h.last_text(private) and "quá" in h.last_text(private)
    await h.text(admin, private, "/stats Sở Không Tồn Tại")
    assert "Sở Không Tồn Tại" in h.last_text(private)
    actions = len(h.world.calls_to("sendChatAction", private.id))
    await h.text(admin, private, "/export quý 4")
    doc = h.last_message(private)
    assert doc["document"]["file_name"].endswith(".xlsx")
    # While the workbook was built, the chat showed "sending a file…".
    shown = h.world.calls_to("sendChatAction", private.id)[actions:]
    assert shown and all(call.params["action"] == "upload_document" for call in shown)


async def test_summary_needs_a_reader_role(harness: Harness, admin: FakeUser) -> None:
    h = harness
    stranger = h.world.user("Người lạ")
    chat = h.world.private(stranger)
    await h.text(stranger, chat, "/summary")
    assert "/summary" in h.last_text(chat) and texts.ROLE_NAMES["leader"] in h.last_text(chat)


def titles(posts: list[JSONDict]) -> list[str]:
    return [str(m["text"]).split("\n")[0] for m in posts if str(m.get("text", "")).startswith("📊")]


async def post_count(h: Harness) -> int:
    async with h.app.bot_data.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(SummaryPost)) or 0)


async def test_two_instances_and_a_restart_post_once(
    harness: Harness, world: FakeTelegram, clock: FakeClock, config: Config
) -> None:
    h = harness
    channel = config.summary.channel_id or 0
    await _scenario(h)
    clock.set(local(2026, 11, 27, 16, 0))
    async with Harness.running(config, world, clock=clock) as second:
        # Both instances tick at the same moment: one claims the period, the other finds the claim.
        await asyncio.gather(h.tick(), second.tick(), h.tick(), second.tick())
    assert len(titles(channel_posts(world, channel))) == 1
    # A restart later that day, or the next day, finds the period posted.
    async with Harness.running(config, world, clock=clock) as restarted:
        clock.set(local(2026, 11, 28, 9, 0))
        await restarted.tick()
    assert len(titles(channel_posts(world, channel))) == 1
    assert await post_count(h) == 1


async def test_a_claim_left_by_a_dead_instance_is_taken_over_after_the_lease(
    harness: Harness, world: FakeTelegram, clock: FakeClock, config: Config
) -> None:
    h = harness
    channel = config.summary.channel_id or 0
    await _scenario(h)
    due = local(2026, 11, 27, 16, 0)
    async with h.app.bot_data.sessions() as s:  # an instance claims the week, then dies before posting
        assert await claim_post(s, channel, week_of(date(2026, 11, 27)), due) is not None
        await s.commit()
    clock.set(due + timedelta(minutes=1))
    await h.tick()
    assert titles(channel_posts(world, channel)) == []  # it may still be posting: wait
    clock.set(due + timedelta(minutes=3))
    await h.tick()
    await h.tick()
    assert len(titles(channel_posts(world, channel))) == 1
    assert await post_count(h) == 1


async def test_a_post_cut_short_by_a_crash_is_finished_without_repeating_what_went_out(
    harness: Harness, world: FakeTelegram, clock: FakeClock, config: Config
) -> None:
    from bot.services.summary import record_part

    h = harness
    channel = config.summary.channel_id or 0
    await _scenario(h)
    due = local(2026, 11, 27, 16, 0)
    async with h.app.bot_data.sessions() as s:  # the text went out, then the process died
        row = await claim_post(s, channel, week_of(date(2026, 11, 27)), due)
        assert row is not None
        await record_part(s, row.id, [999_001], due)
        await s.commit()
    clock.set(due + timedelta(minutes=3))
    calls = await h.tick()
    to_channel = [c for c in calls if c.ok and str(c.params.get("chat_id")) == str(channel)]
    methods = [c.method for c in to_channel]
    assert methods.count("sendPhoto") == 1 and methods.count("sendDocument") == 1
    assert titles(channel_posts(world, channel)) == []  # the first text message is not sent again
    assert await post_count(h) == 1


async def test_a_quiet_week_gets_a_short_no_change_post(
    harness: Harness, world: FakeTelegram, clock: FakeClock, config: Config
) -> None:
    h = harness
    channel = config.summary.channel_id or 0
    await _scenario(h)
    clock.set(local(2026, 11, 27, 16, 0))
    await h.tick()
    first = len(channel_posts(world, channel))
    # The next week: no report, nothing changes (both duties were overdue already).
    clock.set(local(2026, 12, 4, 16, 0))
    await h.tick()
    posts = channel_posts(world, channel)[first:]
    assert len(posts) == 1  # text only: no chart, no workbook
    text = str(posts[0]["text"])
    assert text.startswith("📊 Tổng hợp tình hình thực hiện nhiệm vụ — tuần 30/11–06/12/2026")
    assert texts.SUMMARY_NOTHING_NEW in text
    assert "Quá hạn chưa hoàn thành: 2" in text
    assert "Theo đơn vị" not in text  # short: the headline only
    assert await post_count(h) == 2


async def test_a_secretary_posts_an_on_demand_summary_to_the_channel_once(
    harness: Harness, world: FakeTelegram, admin: FakeUser, config: Config
) -> None:
    h = harness
    channel = config.summary.channel_id or 0
    await _scenario(h)
    secretary, leader = world.user("Thư ký"), world.user("Lãnh đạo")
    for user, role in ((secretary, "thu_ky"), (leader, "lanh_dao")):
        await h.text(admin, world.private(admin), f"/grant {user.id} {role}")
    chat = world.private(secretary)
    await h.text(secretary, chat, "/summary tháng 11")
    with_button = [m for m in world.bot_messages(chat) if "reply_markup" in m]
    assert len(with_button) == 1 and str(with_button[0]["text"]).startswith("📊")
    await h.press_button(secretary, chat, with_button[0]["message_id"], texts.SUMMARY_BTN_POST)
    assert titles(channel_posts(world, channel)) == ["📊 Tổng hợp tình hình thực hiện nhiệm vụ — tháng 11/2026"]
    assert h.last_text(chat) == "✅ Đã đăng bản tổng hợp tháng 11/2026 lên kênh."
    # Pressed again (or by a second secretary): told it is already there, nothing posted twice.
    calls = await h.press_button(secretary, chat, with_button[0]["message_id"], texts.SUMMARY_BTN_POST)
    alerts = [c.params for c in calls if c.method == "answerCallbackQuery"]
    assert alerts and "đã được đăng" in str(alerts[0].get("text"))
    assert len(titles(channel_posts(world, channel))) == 1

    # A leader reads the summary but gets no button, and a forged press changes nothing.
    leader_chat = world.private(leader)
    await h.text(leader, leader_chat, "/summary tháng 10")
    assert str(h.last_text(leader_chat)).startswith("📊") or any(
        str(m.get("text", "")).startswith("📊") for m in world.bot_messages(leader_chat)
    )
    assert not [m for m in world.bot_messages(leader_chat) if "reply_markup" in m]
    message_id = world.bot_messages(leader_chat)[0]["message_id"]
    await h.press(leader, leader_chat, message_id, "sum|20261001|20261031")
    assert len(titles(channel_posts(world, channel))) == 1


@pytest.mark.parametrize(
    ("words", "title"),
    [
        ("tuần này", "tuần 23/11–29/11/2026"),
        ("tháng 6", "tháng 6/2026"),
        ("quý 2", "quý 2/2026"),
        ("01/06-30/06", "tháng 6/2026"),
        ("01/06-15/06", "01/06/2026–15/06/2026"),
        ("6 tháng đầu năm", "6 tháng đầu năm 2026"),
        ("năm 2026", "năm 2026"),
    ],
)
async def test_summary_periods(harness: Harness, admin: FakeUser, words: str, title: str) -> None:
    h = harness
    private = h.world.private(admin)
    await h.text(admin, private, f"/summary {words}")
    assert titles(h.world.bot_messages(private)) == [f"📊 Tổng hợp tình hình thực hiện nhiệm vụ — {title}"]


async def test_summary_of_one_directive(harness: Harness, admin: FakeUser) -> None:
    h = harness
    await _scenario(h)
    private = h.world.private(admin)
    await h.text(admin, private, "/summary #1 tháng 11")
    (title,) = titles(h.world.bot_messages(private))
    assert title == "📊 Tổng hợp tình hình thực hiện nhiệm vụ — tháng 11/2026 (văn bản 1046-CV/TU)"
    await h.text(admin, private, "/summary #99")
    assert "#99" in h.last_text(private) or "99" in h.last_text(private)


def _dondoc(tmp_path: Path, db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "cli.yaml").write_text(f'timezone: "Asia/Ho_Chi_Minh"\ndatabase_url: "{db_url}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DONDOC_") and k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(tmp_path / "cli.yaml"), *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


async def test_command_line_summary_and_export(harness: Harness, tmp_path: Path, db_url: str) -> None:
    await _scenario(harness)
    out = tmp_path / "tong-hop.xlsx"
    done = await asyncio.to_thread(
        _dondoc, tmp_path, db_url, "export", "--from", "23/11/2026", "--to", "29/11/2026", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Đã ghi {out} (số liệu tuần 23/11–29/11/2026)."
    book = load_workbook(out)
    assert book.sheetnames == ["Tổng hợp", "Đơn vị", "Văn bản", "Nhiệm vụ", "Giao việc", "Báo cáo"]
    assert book["Nhiệm vụ"].max_row == 3 and book["Giao việc"].max_row == 3
    (report,) = book["Báo cáo"].iter_rows(min_row=2, values_only=True)
    assert report[4] == "Vướng mắc" and "thiếu kinh phí" in str(report[6])

    printed = await asyncio.to_thread(_dondoc, tmp_path, db_url, "summary", "--dry-run", "23/11-29/11/2026")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.startswith("📊 Tổng hợp tình hình thực hiện nhiệm vụ — tuần 23/11–29/11/2026")
    # Plain text; the figures are as of the real today (the command line has no fake clock).
    assert "<b>" not in printed.stdout and "Quá hạn chưa hoàn thành:" in printed.stdout
    assert "“vướng: thiếu kinh phí”" in printed.stdout

    bad = await asyncio.to_thread(_dondoc, tmp_path, db_url, "export", "--from", "30/11/2026", "--to", "1/11/2026",
                                  "--out", str(out))  # fmt: skip
    assert bad.returncode == 2 and texts.CLI_BAD_PERIOD in bad.stderr
