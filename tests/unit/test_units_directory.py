"""The unit directory: the shipped default, matching names in text, expanding collectives, suggestions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import load_config
from bot.domain.tokens import token_key
from bot.domain.units import UnitDirectory, UnitRef

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def directory() -> UnitDirectory:
    return UnitDirectory.from_config(load_config(REPO / "config.yaml").units)


def _codes(units: list[UnitRef]) -> list[str]:
    return [u.code for u in units]


# --- the default directory in config.yaml -------------------------------------------------------
def test_default_directory_is_a_realistic_province(directory: UnitDirectory) -> None:
    concrete = [u for u in directory.all() if not u.is_collective]
    assert len(concrete) >= 40
    required = {
        "btc_tu", "btg_tu", "bdv_tu", "bnc_tu", "ubkt_tu", "vptu", "bcs_ubnd", "ubnd", "cong_an", "bchqs", "bdbp",
        "mttq", "ldld", "hnd", "hlhpn", "tinh_doan", "hccb", "bcd_covid", "bao_kg", "dai_ptth", "duk_cq",
        "so_yte", "so_gddt", "so_tttt", "so_taichinh", "so_khdt", "so_nnptnt", "so_ldtbxh", "so_vhtt",
        "so_congthuong", "so_noivu", "so_tuphap", "so_tnmt", "so_gtvt", "so_xaydung",
    }  # fmt: skip
    assert required <= {u.code for u in directory.all()}
    assert len([u for u in directory.all() if u.kind == "huyen_uy"]) == 15
    assert all(re.fullmatch(r"[a-z0-9_]{1,48}", u.code) for u in directory.all())


def test_no_name_or_alias_is_shared_by_two_units(directory: UnitDirectory) -> None:
    owner: dict[tuple[str, ...], str] = {}
    for unit in directory.all():
        for name in (unit.name, *unit.aliases):
            key = token_key(name)
            assert owner.setdefault(key, unit.code) == unit.code, f"{name!r}: {owner[key]} and {unit.code}"


def test_every_collective_member_exists(directory: UnitDirectory) -> None:
    kinds = {u.kind for u in directory.all()}
    for unit in directory.all():
        for member in unit.members:
            if member.startswith("kind:"):
                assert member[5:] in kinds, (unit.code, member)
            else:
                assert directory.get(member) is not None, (unit.code, member)
        if unit.is_collective:
            assert directory.expand(unit.code), unit.code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BTG", "btg_tu"), ("Ban TG Tỉnh ủy", "btg_tu"), ("Sở TT&TT", "so_tttt"), ("Sở TTTT", "so_tttt"),
        ("UBMTTQ", "mttq"), ("MTTQ tỉnh", "mttq"), ("BCS đảng UBND tỉnh", "bcs_ubnd"), ("BCH Quân sự tỉnh", "bchqs"),
        ("BĐBP", "bdbp"), ("Sở LĐ-TB&XH", "so_ldtbxh"), ("Sở VH-TT&DL", "so_vhtt"), ("Sở GD&ĐT", "so_gddt"),
        ("Sở NN&PTNT", "so_nnptnt"), ("Sở KH&ĐT", "so_khdt"), ("Sở TN&MT", "so_tnmt"), ("Sở GTVT", "so_gtvt"),
        ("Đài PT-TH tỉnh", "dai_ptth"), ("Thành ủy Phú Quốc", "tu_phuquoc"),
        ("Huyện ủy U Minh Thượng", "hu_uminhthuong"),
        ("lực lượng vũ trang", "llvt"), ("ngành Y tế", "nganh_yte"), ("các sở, ban, ngành", "cac_so_nganh"),
        ("các đoàn thể chính trị - xã hội", "cac_doan_the"),
        ("các huyện, thành ủy, đảng ủy trực thuộc", "cac_huyen_dang_uy"),
    ],
)  # fmt: skip
def test_abbreviations_and_aliases_resolve(directory: UnitDirectory, text: str, code: str) -> None:
    ref = directory.lookup(text)
    assert ref is not None and ref.code == code


# --- lookup and mentions ------------------------------------------------------------------------
def test_lookup_is_accent_case_and_punctuation_insensitive(directory: UnitDirectory) -> None:
    for text in ("Sở Thông tin và Truyền thông", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "so thong tin va truyen thong",
                 "  Sở  TT - TT ", "so_tttt"):  # fmt: skip
        ref = directory.lookup(text)
        assert ref is not None and ref.code == "so_tttt", text
    assert directory.lookup("Ủy ban nhân dân tỉnh") == directory.get("ubnd")
    assert directory.lookup("Uỷ ban nhân dân tỉnh") == directory.get("ubnd")  # old tone placement
    assert directory.lookup("Sở Ngoại vụ") is None
    assert directory.lookup("") is None


def test_mentions_take_the_longest_name_with_spans(directory: UnitDirectory) -> None:
    text = "Ban cán sự đảng Ủy ban nhân dân tỉnh chỉ đạo Ủy ban nhân dân tỉnh, Công an tỉnh"
    mentions = directory.find_mentions(text)
    assert [m.unit.code for m in mentions] == ["bcs_ubnd", "ubnd", "cong_an"]
    for m in mentions:
        assert text[m.start : m.end] == m.matched_text
    assert mentions[0].matched_text == "Ban cán sự đảng Ủy ban nhân dân tỉnh"


def test_mentions_ignore_punctuation_inside_a_name_but_not_across_sentences(directory: UnitDirectory) -> None:
    [m] = directory.find_mentions("Đảng ủy - Bộ Chỉ huy Bộ đội Biên phòng tỉnh chủ trì")
    assert m.unit.code == "bdbp" and m.matched_text == "Đảng ủy - Bộ Chỉ huy Bộ đội Biên phòng tỉnh"
    [m] = directory.find_mentions("các đoàn thể chính trị-xã hội các cấp")
    assert m.unit.code == "cac_doan_the"
    assert directory.find_mentions("Sở Thông tin. Và Truyền thông") == []


def test_a_name_followed_by_another_level_is_not_the_provincial_unit(directory: UnitDirectory) -> None:
    assert directory.find_mentions("Ban Tuyên giáo Trung ương") == []
    assert directory.find_mentions("Ban Dân vận Huyện ủy") == []
    assert _codes([m.unit for m in directory.find_mentions("Ban Tuyên giáo Tỉnh ủy, huyện ủy")]) == ["btg_tu"]


def test_short_capitalised_aliases_need_their_capitals(directory: UnitDirectory) -> None:
    assert directory.find_mentions("toàn tỉnh đoàn kết một lòng") == []
    assert _codes([m.unit for m in directory.find_mentions("Tỉnh đoàn phối hợp")]) == ["tinh_doan"]
    assert directory.find_mentions("trên mặt trận tư tưởng") == []


# --- collectives --------------------------------------------------------------------------------
def test_collectives_expand_to_concrete_members(directory: UnitDirectory) -> None:
    assert set(_codes(directory.expand("cac_doan_the"))) == {"ldld", "hnd", "hlhpn", "tinh_doan", "hccb"}
    assert _codes(directory.expand("llvt")) == ["cong_an", "bchqs", "bdbp"]
    huyen = _codes(directory.expand("cac_huyen_dang_uy"))
    assert "tu_rachgia" in huyen and "hu_kienhai" in huyen and "duk_cq" in huyen and len(huyen) == len(set(huyen))
    assert "so_yte" in _codes(directory.expand("cac_so_nganh"))
    assert _codes(directory.expand("nganh_yte"))[0] == "so_yte"
    assert _codes(directory.expand("so_yte")) == ["so_yte"]
    assert directory.expand("no_such_code") == []


def test_expansion_is_recursive_deduplicated_skips_inactive_and_survives_cycles() -> None:
    d = UnitDirectory(
        [
            UnitRef("a", "Sở A", "so"),
            UnitRef("b", "Sở B", "so", active=False),
            UnitRef("c", "Ban C", "ban"),
            UnitRef("all_so", "Các sở", "collective", members=("kind:so",)),
            UnitRef("mix", "Hỗn hợp", "collective", members=("all_so", "c", "a", "loop")),
            UnitRef("loop", "Vòng", "collective", members=("mix",)),
        ]
    )
    assert _codes(d.expand("mix")) == ["a", "c"]
    assert _codes(d.all()) == ["a", "c", "all_so", "mix", "loop"]
    assert d.get("b") is not None and d.lookup("Sở B") == d.get("b")  # old duties still resolve
    assert _codes([m.unit for m in d.find_mentions("Sở B và Sở A")]) == ["a"]  # never matched in new text


# --- suggestions --------------------------------------------------------------------------------
def test_suggestions_are_close_names_above_a_cutoff(directory: UnitDirectory) -> None:
    assert _codes(directory.suggest("Sở Ngoại vụ"))[0] == "so_noivu"
    assert _codes(directory.suggest("Ban Chỉ đạo XYZ"))[0] == "bcd_covid"
    assert _codes(directory.suggest("Ban Tuyen giao tinh"))[0] == "btg_tu"
    assert directory.suggest("Hội Chữ thập đỏ tỉnh") == []
    assert directory.suggest("") == []
    assert len(directory.suggest("Sở", limit=2)) <= 2


def test_directory_builds_from_plain_records_and_is_cached() -> None:
    records = [UnitRef("x", "Sở X", "so", aliases=("SX",))]
    first, second = UnitDirectory(records), UnitDirectory(list(records))
    assert first._ix is second._ix
    ref = first.lookup("sx")
    assert ref is not None and ref.code == "x"
