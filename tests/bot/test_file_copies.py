"""attachments.store_copies: each unit's file is kept in <data_dir>/attachments within the quota,
and `dondoc backup` copies them beside the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import Config
from bot.runtime.attachment_copies import backup_copies
from bot.settings_files import AttachmentSettings
from db.models import ReportAttachment
from fakeapi import FakeTelegram, FakeUser
from fakeapi.harness import Harness
from tests.bot.conftest import ADMIN_ID, directory_units
from tests.support.directives import DutySpec, bind, notice_of, register


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(
        database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path, units=directory_units(),
        attachments=AttachmentSettings(store_copies=True, quota_mb=1),
    )  # fmt: skip


@pytest.fixture
def admin(world: FakeTelegram) -> FakeUser:
    user = world.user("Lan", "Văn phòng")
    world.private(user)
    return user


async def test_files_are_kept_within_the_quota_and_backed_up(
    harness: Harness, admin: FakeUser, config: Config, tmp_path: Path
) -> None:
    h = harness
    group = await bind(h, "so_yte")
    await register(h, [DutySpec("Rà soát.", ["so_yte"], date(2027, 3, 31))], actor=admin.id)
    await h.tick()
    notice = notice_of(h, group)["message_id"]
    small = b"%PDF-1.4 signed report " * 100
    big = b"%PDF-1.4 " + b"0" * (1024 * 1024)  # over what is left of the 1 MB quota
    await h.document(h.world.user("Hoa"), group, small, "Báo cáo/số 12.pdf", "application/pdf", reply_to=notice)
    await h.document(h.world.user("Hoa"), group, big, "ban-do.pdf", "application/pdf", reply_to=notice)
    async with h.app.bot_data.sessions() as s:
        rows = list(await s.scalars(select(ReportAttachment).order_by(ReportAttachment.id)))
    assert [r.file_name for r in rows] == ["Báo cáo/số 12.pdf", "ban-do.pdf"]  # both reports stand
    kept = config.resolved_data_dir / "attachments"
    assert rows[0].stored_path is not None and "/" not in rows[0].stored_path
    assert (kept / rows[0].stored_path).read_bytes() == small
    assert rows[1].stored_path is None  # the quota is a ceiling: no copy, the file_id still works
    out = tmp_path / "backup" / "dondoc.sqlite3"
    out.parent.mkdir()
    copied = backup_copies(config.resolved_data_dir, out)
    assert copied is not None and copied[1] == 1
    assert (copied[0] / rows[0].stored_path).read_bytes() == small
