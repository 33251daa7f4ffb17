"""attachments.store_copies: keep a copy of each unit's file in <data_dir>/attachments, within
attachments.quota_mb, so the office keeps its evidence if a group (and its files) is deleted.

Runs after the report is committed: a download that fails or would pass the quota leaves the
report and its file_id as they are (Telegram still has the file), and says so in the log.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

from sqlalchemy import func, select, update
from telegram import Bot
from telegram.error import TelegramError

from bot.context import BotServices
from db.models import ReportAttachment

log = logging.getLogger("dondoc.copies")
FOLDER = "attachments"
_UNSAFE = re.compile(r"[^\w.\-]+")


def folder(services_data_dir: Path) -> Path:
    return services_data_dir / FOLDER


def _safe_name(attachment_id: int, name: str) -> str:
    # The id first: unique on disk whatever names units choose; the name only helps a person browsing.
    return f"{attachment_id}-{_UNSAFE.sub('_', name)[-120:]}"


async def keep(bot: Bot, services: BotServices, attachment_id: int) -> Path | None:
    """Download one stored file into the copy folder; None when off, over quota or failed."""
    config = services.config.attachments
    if not services.config.attachments.store_copies:
        return None
    async with services.sessions() as session:
        row = await session.get(ReportAttachment, attachment_id)
        used = await session.scalar(
            select(func.coalesce(func.sum(ReportAttachment.file_size), 0)).where(
                ReportAttachment.stored_path.is_not(None)
            )
        )
    if row is None or row.stored_path is not None:
        return None
    if int(used or 0) + row.file_size > config.quota_mb * 1024 * 1024:
        log.warning("event=copy_skipped attachment=%s reason=quota used=%s", attachment_id, used)
        return None
    target_dir = folder(services.config.resolved_data_dir)
    target = target_dir / _safe_name(row.id, row.file_name)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        data = await (await bot.get_file(row.file_id)).download_as_bytearray()
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(bytes(data))
        os.replace(partial, target)  # never a half file under the final name
    except (TelegramError, OSError) as exc:
        log.warning("event=copy_failed attachment=%s error=%s", attachment_id, type(exc).__name__)
        return None
    async with services.sessions() as session:
        await session.execute(
            update(ReportAttachment).where(ReportAttachment.id == row.id).values(stored_path=target.name)
        )
        await session.commit()
    log.info("event=copy_kept attachment=%s bytes=%s", attachment_id, len(data))
    return target


def backup_copies(data_dir: Path, out: Path) -> tuple[Path, int] | None:
    """Copy the kept files beside a database backup (OUT.attachments/); None when there are none."""
    source = folder(data_dir)
    if not source.is_dir():
        return None
    target = out.with_name(out.name + "." + FOLDER)
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(source.iterdir()):
        if path.is_file() and not path.name.endswith(".part"):
            dest = target / path.name
            if not dest.exists() or dest.stat().st_size != path.stat().st_size:
                shutil.copy2(path, dest)  # files never change once kept: name and size say enough
            count += 1
    return target, count
