"""What people type for a unit, against the shipped provincial directory (bot.domain.unit_lookup)."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import pytest

from bot.config import load_config
from bot.domain.draft import Draft, DraftDuty, EditError, apply_edit
from bot.domain.unit_lookup import resolve, resolve_list
from bot.domain.units import UnitDirectory

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def directory() -> UnitDirectory:
    return UnitDirectory.from_config(load_config(ROOT / "config.yaml").units)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Ban Chỉ đạo phòng chống dịch", "bcd_covid"),
        ("ban chi dao phong chong dich", "bcd_covid"),
        ("phòng chống dịch Ban Chỉ đạo", "bcd_covid"),  # word order
        ("BCĐ", "bcd_covid"),  # initialism of "Ban Chỉ đạo"
        ("UBND tỉnh", "ubnd"),
        ("MTTQ", "mttq"),
        ("Sở TT&TT", "so_tttt"),
        ("Sở TT và TT", "so_tttt"),  # "&" and "và" are the same
        ("So KH&ĐT", "so_khdt"),
        ("so kh va dt", "so_khdt"),
        ("Sở Kế hoạch Đầu tư", "so_khdt"),
        ("Sở Giáo dụcc và Đào tạo", "so_gddt"),  # one mistyped word
        ("Văn phòng UBND", "vp_ubnd"),
        ("Sở TN-MT", "so_tnmt"),
    ],
)
def test_what_people_type_finds_the_unit(typed: str, code: str) -> None:
    d = directory()
    assert d.get(code) is not None, code
    found = resolve(d, typed)
    assert found.unit is not None and found.unit.code == code, (typed, found)


@pytest.mark.parametrize("typed", ["Y tế", "Sở", "Huyện ủy"])
def test_close_candidates_are_offered_never_guessed(typed: str) -> None:
    found = resolve(directory(), typed)
    assert found.unit is None and len(found.candidates) >= 2


def test_a_near_spelling_of_another_unit_is_only_suggested() -> None:
    # "Sở Ngoại vụ" is not "Sở Nội vụ": a suggestion, not a pick.
    found = resolve(directory(), "Sở Ngoại vụ")
    assert found.unit is None and [u.code for u in found.candidates] == ["so_noivu"]
    assert resolve(directory(), "Sở Ngoại giao vũ trụ") == resolve(directory(), "zzz")


def test_a_list_splits_only_between_names() -> None:
    names = resolve_list(directory(), "Ban Chỉ đạo phòng, chống dịch, Sở Kế hoạch và Đầu tư và UBND tỉnh; Y tế")
    assert [n.unit.code if n.unit else None for n in names] == ["bcd_covid", "so_khdt", "ubnd", None]
    assert len(names[-1].candidates) >= 2


def test_edit_line_takes_short_names_and_asks_about_unclear_ones() -> None:
    draft = Draft(source_text="", duties=[DraftDuty(label="2", parent=None, text="x", general=False)])
    apply_edit(draft, "chủ trì 2: BCĐ, Sở KH&ĐT và Y tế", directory(), date(2026, 11, 23))
    duty = draft.duties[0]
    assert duty.leads == ["bcd_covid", "so_khdt"]
    assert [(u.text, u.role) for u in duty.unresolved] == [("Y tế", "lead")]
    with pytest.raises(EditError) as refused:
        apply_edit(draft, "theo dõi: Y tế", directory(), date(2026, 11, 23))
    assert refused.value.key == "ambiguous_unit" and "\n" in refused.value.values["hints"]
