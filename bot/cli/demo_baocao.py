"""The demo's last scene: a unit sends its signed report as a PDF, the secretary gets it back from
/directive, and /baocao drafts the office's báo cáo, written next to the summary's files."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fakeapi import FakeChat, FakeUser
from fakeapi.harness import Harness

# A one-page PDF, small enough to read: what a unit's scanned, stamped report would be.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _notice(h: Harness, chat: FakeChat) -> tuple[int, str]:
    """The group's latest notice or reminder, and the first duty code it lists."""
    found = [m for m in h.world.bot_messages(chat) if str(m.get("text", "")).startswith(("📌", "⏰"))]
    code = re.search(r"^\[(\d+)\]", str(found[-1]["text"]), re.MULTILINE)
    return int(found[-1]["message_id"]), code.group(1) if code else ""


async def scene(h: Harness, secretary: FakeUser, contact: FakeUser, group: FakeChat, folder: str | None) -> str:
    """Play the scene; returns the folder the báo cáo was written to."""
    private = h.world.private(secretary)
    notice, code = _notice(h, group)
    caption = f"[{code}] đang thực hiện 80%, gửi kèm báo cáo số 215-BC/CAT"
    await h.document(contact, group, _PDF, "BC-215-CAT-PA03.pdf", "application/pdf", caption=caption, reply_to=notice)
    await h.text(secretary, private, "/directive 1")
    listing = h.last_message(private)
    for _label, data in Harness.buttons(listing)[:1]:
        if isinstance(data, str) and data.startswith("af|"):
            await h.press(secretary, private, int(listing["message_id"]), data)
    await h.text(secretary, private, "/baocao 1")
    target = Path(folder or tempfile.mkdtemp(prefix="dondoc-demo-baocao-"))
    document = h.last_message(private).get("document")
    if document:
        (target / str(document["file_name"])).write_bytes(h.world.files[document["file_id"]].content)
    return str(target)
