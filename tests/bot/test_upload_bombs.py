"""Hostile uploads to /newdirective: each limit gets its own Vietnamese answer, nothing is stored,
and the other chats are answered while a slow file is being read."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot import texts
from bot.clock import FakeClock
from bot.config import Config
from db.models import Directive, DirectiveDraft
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from fakeapi.htmltext import parse_html
from tests.bot.conftest import ADMIN_ID
from tests.support.bombs import DOCX_MIME, docx_bomb, docx_with_body, pdf_pages, pdf_slow_page

_PARA = "<w:p><w:r><w:t>Giao Sở Y tế chủ trì, phối hợp với các sở, ngành.</w:t></w:r></w:p>".encode()


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, extract_timeout_s=1.5)


@pytest.fixture
async def harness(config: Config, world: FakeTelegram, clock: FakeClock) -> AsyncIterator[Harness]:
    async with Harness.running(config, world, clock=clock) as h:
        yield h


def _said(template: str, **values: object) -> str:
    return parse_html(template.format(**values))[0]


async def _nothing_stored(h: Harness, user: FakeUser) -> None:
    async with h.app.bot_data.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Directive)) == 0
        draft = await s.get(DirectiveDraft, user.id)
    assert draft is not None and draft.data.get("parts") in ([], None) and draft.data.get("draft") is None


@pytest.mark.parametrize(
    ("make", "name", "kind", "values"),
    [
        (lambda: docx_bomb(50), "bom.docx", "expanded_too_large", {"size": 50.8, "limit": 30.0}),
        (lambda: docx_bomb(5), "nen.docx", "ratio", None),
        (lambda: pdf_pages(20_000), "20000trang.pdf", "too_many_pages", {"pages": 20000, "limit": 200}),
        (lambda: docx_with_body(_PARA, 3000), "dai.docx", "too_long", {"limit": 60000}),
        (lambda: pdf_slow_page(8), "cham.pdf", "too_slow", {"limit": 2}),
    ],
    ids=["expanded", "ratio", "pages", "text-length", "time"],
)
async def test_each_limit_has_its_own_answer_and_nothing_is_stored(
    harness: Harness, make: object, name: str, kind: str, values: dict[str, object] | None
) -> None:
    h = harness
    user = h.world.user("Lan", "Nguyễn")
    chat = h.world.private(user)
    await h.text(user, chat, "/newdirective")
    data = make()  # type: ignore[operator]
    await h.document(user, chat, data, name, DOCX_MIME if name.endswith(".docx") else "application/pdf")
    answer = h.last_text(chat)
    if values is None:
        assert answer.startswith(_said(texts.EXTRACT_ERRORS[kind], ratio=0, limit=0).split("(")[0])
    else:
        assert answer == _said(texts.EXTRACT_ERRORS[kind], **values)
    await _nothing_stored(h, user)
    # Still collecting: a paste afterwards is taken.
    await h.text(user, chat, "Số 12-CV/TU\n1. Giao Sở Y tế chủ trì.")
    assert "1 phần" in h.last_text(chat)


async def test_other_chats_are_answered_while_a_slow_file_is_read(harness: Harness) -> None:
    h = harness
    secretary, other = h.world.user("Lan", "Nguyễn"), h.world.user("Minh", "Trần")
    chat, other_chat = h.world.private(secretary), h.world.private(other)
    await h.text(secretary, chat, "/newdirective")
    h.world.send_document(secretary, chat, pdf_slow_page(8), "cham.pdf", "application/pdf")
    bomb = [Update.de_json(raw, h.app.bot) for raw in h.world.take_pending()]
    reading = asyncio.ensure_future(h.app.process_update(bomb[0]))
    await asyncio.sleep(0.3)  # the child is running now
    h.world.send_text(other, other_chat, "/whoami")
    started = time.perf_counter()
    for raw in h.world.take_pending():
        await h.app.process_update(Update.de_json(raw, h.app.bot))
    waited = time.perf_counter() - started
    assert str(other.id) in h.last_text(other_chat) and waited < 1
    assert not reading.done()
    await reading
    assert h.last_text(chat) == _said(texts.EXTRACT_ERRORS["too_slow"], limit=2)
