"""Configuration of units' files and of the drafted báo cáo (the `attachments:` and `baocao:` keys)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from bot.domain.attachments import MAX_BYTES


class AttachmentSettings(BaseModel):
    model_config = {"extra": "forbid"}

    # Never above the Bot API's 20 MB: a bigger file could not be downloaded.
    max_bytes: int = Field(default=MAX_BYTES, ge=1024, le=MAX_BYTES)
    # Keep a copy in <data_dir>/attachments, so the evidence outlives a deleted group.
    store_copies: bool = False
    quota_mb: int = Field(default=2048, ge=1)


class OfficeHeader(BaseModel):
    """The top-left block of the office's documents in one system."""

    model_config = {"extra": "forbid"}

    parent: str  # the body above the office, as printed: "TỈNH ỦY KIÊN GIANG"
    office: str = "VĂN PHÒNG"
    code: str  # in the number: "-BC/VPTU" (Party), "/BC-VP" (government)
    signer: str = "CHÁNH VĂN PHÒNG"


class BaocaoSettings(BaseModel):
    model_config = {"extra": "forbid"}

    place: str = "Kiên Giang"
    # The system a directive belongs to when its number and issuer do not tell.
    issuer_kind: Literal["party", "government"] = "party"
    party: OfficeHeader = Field(default_factory=lambda: OfficeHeader(parent="TỈNH ỦY KIÊN GIANG", code="VPTU"))
    government: OfficeHeader = Field(default_factory=lambda: OfficeHeader(parent="UBND TỈNH KIÊN GIANG", code="VP"))
