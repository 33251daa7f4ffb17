"""The fake Bot API itself: realistic payloads, recorded calls and injected faults, seen through PTB's Bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from fakeapi import FakeRequest, FakeTelegram, Fault
from fakeapi.htmltext import HtmlParseError, parse_html


@pytest.fixture
async def bot(world: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(world.token, request=FakeRequest(world), get_updates_request=FakeRequest(world)) as b:
        yield b


@pytest.fixture
def db_url() -> str:  # these tests need no database
    return "sqlite://"


async def test_get_me_and_realistic_ids(bot: Bot, world: FakeTelegram) -> None:
    assert bot.username == world.bot.username
    user = world.user("An")
    group = world.group("Ban Tuyên giáo", [user])
    supergroup = world.group("Công an tỉnh", [user], supergroup=True)
    assert user.id > 0 and group.id < 0 and str(supergroup.id).startswith("-100")
    msg = await bot.send_message(group.id, "<b>Chào</b> nhóm", parse_mode="HTML")
    assert msg.message_id == 1 and msg.text == "Chào nhóm" and msg.entities[0].type == "bold"
    assert msg.date.year >= 2026


async def test_reply_links_and_user_updates(bot: Bot, world: FakeTelegram) -> None:
    user = world.user("An")
    group = world.group("Sở Y tế", [user])
    sent = await bot.send_message(group.id, "Nhắc việc")
    update = world.send_text(user, group, "đã xong", reply_to=sent.message_id)
    reply = update["message"]["reply_to_message"]
    assert reply["message_id"] == sent.message_id and reply["from"]["is_bot"] is True
    answer = await bot.send_message(
        group.id, "Đã ghi nhận", reply_parameters=ReplyParameters(update["message"]["message_id"])
    )
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "đã xong"
    with pytest.raises(BadRequest, match=r"(?i)replied not found"):
        await bot.send_message(group.id, "x", reply_parameters=ReplyParameters(999))


async def test_get_updates_honours_offset_and_allowed_updates(bot: Bot, world: FakeTelegram) -> None:
    user = world.user("An")
    chat = world.private(user)
    world.send_text(user, chat, "/start")
    world.send_sticker(user, chat)
    updates = await bot.get_updates(allowed_updates=["message"])
    assert len(updates) == 2 and updates[0].message is not None and updates[0].message.text == "/start"
    again = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    assert again == ()


async def test_buttons_presses_and_edits(bot: Bot, world: FakeTelegram) -> None:
    user = world.user("An")
    group = world.group("Sở TT&TT", [user])
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("✅ Hoàn thành", callback_data="d:1")]])
    msg = await bot.send_message(group.id, "Việc 1", reply_markup=markup)
    update = world.press_button(user, group, msg.message_id, "✅")
    query_id = update["callback_query"]["id"]
    assert await bot.answer_callback_query(query_id, "Đã ghi nhận")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    edited = await bot.edit_message_text("Việc 1 — đã hoàn thành", chat_id=group.id, message_id=msg.message_id)
    assert isinstance(edited, object)
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("Việc 1 — đã hoàn thành", chat_id=group.id, message_id=msg.message_id)
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(
            group.id, "x", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="x" * 65)]])
        )


async def test_text_rules(bot: Bot, world: FakeTelegram) -> None:
    user = world.user("An")
    chat = world.private(user)
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(chat.id, "a" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(chat.id, "<b>mở", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(chat.id, "A & B", parse_mode="HTML")  # strict: unescaped user text
    with pytest.raises(BadRequest, match=r"(?i)empty"):
        await bot.send_message(chat.id, "   ")
    assert (await bot.send_message(chat.id, "a" * 4096)).text is not None


def test_html_parser_counts_utf16_and_rejects_bad_tags() -> None:
    text, entities = parse_html("😀 <b>Đã</b> &lt;xong&gt;")
    assert text == "😀 Đã <xong>"
    assert entities == [{"offset": 3, "length": 2, "type": "bold"}]
    with pytest.raises(HtmlParseError, match=r"(?i)Unsupported start tag"):
        parse_html("<div>x</div>")


async def test_documents_round_trip(bot: Bot, world: FakeTelegram) -> None:
    user = world.user("An")
    chat = world.private(user)
    update = world.send_document(user, chat, b"hello", "cv.txt", "text/plain")
    file_id = update["message"]["document"]["file_id"]
    tg_file = await bot.get_file(file_id)
    assert bytes(await tg_file.download_as_bytearray()) == b"hello"
    sent = await bot.send_document(chat.id, b"PK\x03\x04data", filename="bao_cao.xlsx", caption="<b>Báo cáo</b>")
    assert sent.document is not None and sent.document.file_name == "bao_cao.xlsx"
    assert world.calls_to("sendDocument")[0].files["document"].content.startswith(b"PK")
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(chat.id, b"not an image")


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.retry_after(7), RetryAfter),
        (Fault.server_error(502), NetworkError),
        (Fault.server_error(500), NetworkError),
        (Fault.timeout(), TimedOut),
        (Fault.network_error(), NetworkError),
        (Fault.forbidden(), Forbidden),
        (Fault.chat_migrated(-1009999), ChatMigrated),
    ],
)
async def test_injected_faults_raise_what_ptb_raises(
    bot: Bot, world: FakeTelegram, fault: Fault, error: type[Exception]
) -> None:
    user = world.user("An")
    group = world.group("Sở Y tế", [user])
    other = world.group("Sở Tài chính", [user])
    world.inject("sendMessage", fault, chat_id=group.id, times=1)
    await bot.send_message(other.id, "không bị ảnh hưởng")  # another chat is not hit
    with pytest.raises(error) as info:
        await bot.send_message(group.id, "x")
    if isinstance(info.value, RetryAfter):
        delay = info.value.retry_after
        assert (delay.total_seconds() if isinstance(delay, timedelta) else delay) == 7
    if isinstance(info.value, ChatMigrated):
        assert info.value.new_chat_id == -1009999
    assert (await bot.send_message(group.id, "lần sau thì được")).text == "lần sau thì được"
    assert [c.injected for c in world.calls_to("sendMessage", group.id)] == [True, False]


async def test_timeout_with_after_effect_still_delivers(bot: Bot, world: FakeTelegram) -> None:
    user = world.user("An")
    group = world.group("Sở Y tế", [user])
    world.inject("sendMessage", Fault.timeout(after_effect=True))
    with pytest.raises(TimedOut):
        await bot.send_message(group.id, "đến nơi nhưng mất phản hồi")
    assert world.last_bot_message(group)["text"] == "đến nơi nhưng mất phản hồi"


async def test_membership_migration_and_blocking(bot: Bot, world: FakeTelegram) -> None:
    owner = world.user("Chủ nhóm")
    group = world.group("Huyện ủy An Biên", [owner], bot_member=False)
    with pytest.raises(Forbidden, match=r"(?i)not a member"):
        await bot.send_message(group.id, "x")
    updates = world.add_bot(group, owner, start_param="tok123")
    assert updates[0]["my_chat_member"]["new_chat_member"]["status"] == "member"
    assert updates[1]["message"]["text"] == f"/start@{world.bot.username} tok123"
    await bot.send_message(group.id, "đã vào nhóm")
    new = world.migrate(group, owner)
    with pytest.raises(ChatMigrated) as info:
        await bot.send_message(group.id, "x")
    assert info.value.new_chat_id == new.id
    await bot.send_message(new.id, "ở siêu nhóm")
    world.remove_bot(new, owner, ban=True)
    with pytest.raises(Forbidden, match=r"(?i)kicked"):
        await bot.send_message(new.id, "x")
    person = world.user("Bị chặn")
    world.block_bot(person)
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await bot.send_message(person.id, "x")
    member = await bot.get_chat_member(new.id, owner.id)
    assert member.status == "creator"
    chat = await bot.get_chat(new.id)
    assert chat.type == "supergroup"


async def test_transcript_is_readable(bot: Bot, world: FakeTelegram) -> None:
    user = world.user("Lan", "Trần")
    chat = world.private(user)
    world.send_text(user, chat, "/help")
    await bot.send_message(chat.id, "<b>Hướng dẫn</b>", parse_mode="HTML")
    assert world.render_transcript().splitlines() == [
        "[Lan Trần (private)] Lan Trần: /help",
        "[Lan Trần (private)] dondoc: Hướng dẫn",
    ]


async def test_edit_reply_markup_removes_the_keyboard(bot: Bot, world: FakeTelegram) -> None:
    user = world.user("An")
    group = world.group("Sở Tư pháp", [user])
    done = InlineKeyboardMarkup([[InlineKeyboardButton("✅ Xong", callback_data="d:1")]])
    msg = await bot.send_message(group.id, "Việc 1", reply_markup=done)
    one = InlineKeyboardMarkup([[InlineKeyboardButton("↩️ Hoàn tác", callback_data="u:1")]])
    swapped = await bot.edit_message_reply_markup(chat_id=group.id, message_id=msg.message_id, reply_markup=one)
    assert not isinstance(swapped, bool) and swapped.reply_markup == one
    removed = await bot.edit_message_reply_markup(chat_id=group.id, message_id=msg.message_id)
    assert not isinstance(removed, bool) and removed.reply_markup is None and removed.edit_date is not None
    stored = world.messages[(group.id, msg.message_id)]
    assert "reply_markup" not in stored and stored["text"] == "Việc 1"
    with pytest.raises(KeyError, match="no button"):
        world.press_button(user, group, msg.message_id, "↩️")  # nothing left to tap
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_reply_markup(chat_id=group.id, message_id=msg.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_reply_markup(chat_id=group.id, message_id=999, reply_markup=one)
    assert len(world.calls_to("editMessageReplyMarkup", group.id)) == 4  # failures are recorded too


async def test_delete_message_once(bot: Bot, world: FakeTelegram) -> None:
    user = world.user("An")
    chat = world.private(user)
    keep = await bot.send_message(chat.id, "giữ lại")
    gone = await bot.send_message(chat.id, "xóa đi")
    assert await bot.delete_message(chat.id, gone.message_id) is True
    assert (chat.id, gone.message_id) not in world.messages
    assert [m["text"] for m in world.bot_messages(chat)] == ["giữ lại"]
    with pytest.raises(BadRequest, match=r"^Message to delete not found$"):
        await bot.delete_message(chat.id, gone.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(chat.id, 999)
    assert world.messages[(chat.id, keep.message_id)]["text"] == "giữ lại"
