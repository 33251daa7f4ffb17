"""The parser's rules, one at a time, on small texts; and the property that it never raises."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import load_config
from bot.domain.parser import normalise_text, parse_directive, parse_strict
from bot.domain.units import UnitDirectory
from tests.support.parsing import warnings

REPO = Path(__file__).resolve().parents[2]
DIRECTORY = UnitDirectory.from_config(load_config(REPO / "config.yaml").units)
DOAN_THE = {"ldld", "hnd", "hlhpn", "tinh_doan", "hccb"}


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_directive(text, DIRECTORY)


# --- normalisation ------------------------------------------------------------------------------
def test_normalise_composes_nfc_and_strips_markdown() -> None:
    raw = unicodedata.normalize("NFD", "**2.** Sở Y tế\n*Kính gửi:* - Sở Y tế\n\\- Công an tỉnh\n## TỈNH ỦY")
    assert normalise_text(raw) == "2. Sở Y tế\nKính gửi: - Sở Y tế\n- Công an tỉnh\nTỈNH ỦY"


def test_normalise_repairs_page_breaks_but_keeps_headers_apart() -> None:
    raw = "tổ chức vận động, tuyên\n\ntruyền cho nhân dân\n\n3\n\nBan Thường vụ\nPHÓ BÍ THƯ\n\nMai Văn Huỳnh"
    assert normalise_text(raw).split("\n") == [
        "tổ chức vận động, tuyên truyền cho nhân dân", "", "Ban Thường vụ", "PHÓ BÍ THƯ", "", "Mai Văn Huỳnh"
    ]  # fmt: skip


def test_normalise_drops_signature_noise_and_splits_side_by_side_columns() -> None:
    raw = "TỈNH ỦY KIÊN GIANG        ĐẢNG CỘNG SẢN VIỆT NAM\n[Handwritten signature]\n(Đã ký)\n---\nĐặng Tuyết Em"
    assert normalise_text(raw).split("\n") == ["TỈNH ỦY KIÊN GIANG", "ĐẢNG CỘNG SẢN VIỆT NAM", "Đặng Tuyết Em"]


def test_normalise_reads_markdown_tables() -> None:
    raw = (
        "| TỈNH ỦY KIÊN GIANG | ĐẢNG CỘNG SẢN VIỆT NAM |\n|---|---|\n"
        "| Số 12-CT/TU | Kiên Giang, ngày 5 tháng 7 năm 2022 |"
    )
    r = parse(raw + "\n\n1. Sở Y tế chủ trì thực hiện.")
    assert (r.number, r.date, r.kind) == ("12-CT/TU", dt.date(2022, 7, 5), "chỉ thị")


# --- roles --------------------------------------------------------------------------------------
def test_lead_and_support_in_one_clause() -> None:
    [d] = parse("1. Sở Y tế chủ trì, phối hợp với Sở Tài chính và Sở Nội vụ xây dựng kế hoạch.").duties
    assert (d.leads(), d.supports()) == (["so_yte"], ["so_taichinh", "so_noivu"])
    [d] = parse("1. Công an tỉnh cùng với Bộ Chỉ huy Quân sự tỉnh tăng cường tuần tra.").duties
    assert (d.leads(), d.supports()) == (["cong_an"], ["bchqs"])
    [d] = parse("1. Sở Y tế chủ trì, phối hợp chặt chẽ với Sở Giáo dục và Đào tạo; kiểm tra trường học.").duties
    assert d.supports() == ["so_gddt"]


def test_objects_of_the_verb_are_not_leads() -> None:
    [d] = parse("1. Ban cán sự đảng UBND tỉnh chỉ đạo UBND tỉnh, Sở Y tế triển khai ngay.").duties
    assert (d.leads(), d.supports()) == (["bcs_ubnd"], [])


def test_giao_and_de_nghi_open_the_subject() -> None:
    [d] = parse("1. Giao Sở Tư pháp chủ trì thẩm định.").duties
    assert d.leads() == ["so_tuphap"]
    [d] = parse("1. Đề nghị Ủy ban MTTQ tỉnh và các đoàn thể tỉnh vận động nhân dân.").duties
    assert set(d.leads()) == {"mttq"} | DOAN_THE
    [d] = parse("1. Ban Thường vụ Tỉnh ủy giao Ban Nội chính Tỉnh ủy theo dõi vụ việc.").duties
    assert d.leads() == ["bnc_tu"]


def test_other_numbering_and_lead_ins() -> None:
    r = parse("1/ Sở Y tế chủ trì.\n2/ Giao cho Sở Tài chính bố trí kinh phí.")
    assert [(d.label, d.leads()) for d in r.duties] == [("1", ["so_yte"]), ("2", ["so_taichinh"])]
    [d] = parse("1. Trong thời gian tới, Sở Y tế tập trung kiểm tra.").duties
    assert d.leads() == ["so_yte"]
    [d] = parse("1. Sở Y tế (cơ quan thường trực) chủ trì, phối hợp Sở Tài chính thực hiện.").duties
    assert (d.leads(), d.supports()) == (["so_yte"], ["so_taichinh"])
    [d] = parse("1. Về tuyên truyền: Ban Tuyên giáo Tỉnh ủy chủ trì.").duties
    assert d.leads() == ["btg_tu"]


def test_a_bullet_opening_with_units_adds_leads() -> None:
    text = (
        "1. Ban Tuyên giáo Tỉnh ủy chỉ đạo công tác tuyên truyền:\n"
        "- Tăng cường thông tin trên báo chí.\n"
        "- Công an tỉnh, Sở Thông tin và Truyền thông xử lý tin giả.\n"
        "a) Liên đoàn Lao động tỉnh vận động công nhân.\n"
    )
    d, letter = parse(text).duties
    assert d.leads() == ["btg_tu", "cong_an", "so_tttt"]
    assert d.text.count("\n") == 2
    # a lettered point with its own subject is a duty of its own
    assert (letter.label, letter.parent, letter.leads()) == ("1.a", "1", ["ldld"])


def test_lead_wins_over_support_for_the_same_unit() -> None:
    [d] = parse("1. Sở Y tế phối hợp với Sở Tài chính lập dự toán.\n- Sở Tài chính bố trí kinh phí.").duties
    assert [(u.code, u.role) for u in d.units] == [("so_yte", "lead"), ("so_taichinh", "lead")]


def test_unknown_unit_like_names_are_reported_not_guessed() -> None:
    [d] = parse("1. Ban Chỉ đạo XYZ tỉnh chủ trì, phối hợp với Sở Ngoại vụ tổ chức hội nghị.").duties
    assert d.units == [] and not d.general
    assert [u.text for u in d.unresolved] == ["Ban Chỉ đạo XYZ tỉnh", "Sở Ngoại vụ"]
    assert d.unresolved[0].suggestions[0] == "bcd_covid" and d.unresolved[1].suggestions[0] == "so_noivu"
    # Generic groups and central bodies are neither units nor unresolved.
    [d] = parse("1. Các cơ quan chức năng, Chính phủ tăng cường kiểm tra.").duties
    assert d.unresolved == [] and d.general
    # District level expands to the directory's district committees.
    [d] = parse("1. Ủy ban nhân dân các huyện, thị xã, thành phố tăng cường kiểm tra.").duties
    assert "ubnd_rachgia" in d.leads() and {u.via for u in d.units} == {"ubnd_cac_huyen"}


# --- general duties -----------------------------------------------------------------------------
def test_a_duty_naming_nobody_falls_to_every_recipient_expanded() -> None:
    text = "Kính gửi: - Sở Y tế,\n- Các đoàn thể chính trị - xã hội tỉnh\n\n1. Tăng cường tuyên truyền phòng dịch."
    r = parse(text)
    [d] = r.duties
    assert d.general and set(d.leads()) == {"so_yte"} | DOAN_THE
    assert {u.matched_text for u in d.units} == {"Sở Y tế", "Các đoàn thể chính trị - xã hội tỉnh"}


def test_a_general_duty_without_recipients_is_flagged() -> None:
    r = parse("1. Tăng cường tuyên truyền phòng dịch.")
    assert r.duties[0].general and r.duties[0].units == []
    assert any("Nhiệm vụ 1" in w for w in warnings(r))


def test_sub_items_inherit_the_units_of_their_parent() -> None:
    # "1." only names the addressee: no duty itself, its sub-points inherit it.
    r = parse("1. Ban cán sự đảng UBND tỉnh lãnh đạo:\n1.1. Rà soát quy hoạch.\n1.2. Sở Xây dựng cấp phép.")
    assert [(d.label, d.parent, d.leads(), d.source) for d in r.duties] == [
        ("1.1", None, ["bcs_ubnd"], "parent"), ("1.2", None, ["so_xaydung"], "own")
    ]  # fmt: skip
    # An item with work of its own stays a duty and passes its units down.
    r = parse("1. Ban cán sự đảng UBND tỉnh lãnh đạo rà soát quy hoạch.\n1.1. Báo cáo tiến độ.")
    assert [(d.label, d.parent, d.leads()) for d in r.duties] == [("1", None, ["bcs_ubnd"]), ("1.1", "1", ["bcs_ubnd"])]


# --- structure ----------------------------------------------------------------------------------
def test_numbers_out_of_sequence_are_text_not_duties() -> None:
    text = (
        "1. Sở Y tế theo dõi:\n3.800 người đã được tiêm.\n2021. Năm bản lề.\n3. Không phải mục 2.\n"
        "2. Sở Tài chính cấp kinh phí."
    )
    r = parse(text)
    assert [d.label for d in r.duties] == ["1", "2"]
    assert "3.800 người" in r.duties[0].text and "3. Không phải" in r.duties[0].text


def test_distribution_and_signature_are_never_duties() -> None:
    text = (
        "1. Sở Y tế thực hiện.\n\nYêu cầu các cơ quan nghiêm túc thực hiện./.\n\nNơi nhận:\n- Như trên,\n"
        "- Lưu VPTU.\n2. Lưu hồ sơ.\n\nKT. BÍ THƯ\nPHÓ BÍ THƯ\n\nNGUYỄN VĂN AN"
    )
    r = parse(text)
    assert [d.label for d in r.duties] == ["1"] and r.duties[0].text == "Sở Y tế thực hiện."
    assert r.signer is not None and (r.signer.name, r.signer.title) == ("Nguyễn Văn An", "Phó Bí thư")


def test_monitor_paragraph_and_last_item_forms() -> None:
    r = parse("1. Sở Y tế thực hiện.\n\nGiao Văn phòng Tỉnh ủy theo dõi, đôn đốc, báo cáo Thường trực Tỉnh ủy.")
    assert r.monitor is not None and r.monitor.code == "vptu" and len(r.duties) == 1
    r = parse("1. Sở Y tế thực hiện.\n2. Giao Ban Tuyên giáo Tỉnh ủy theo dõi, đôn đốc việc thực hiện.")
    assert r.monitor is not None and r.monitor.code == "btg_tu" and [d.label for d in r.duties] == ["1"]
    r = parse("1. Sở Y tế thực hiện.\n\nGiao Ban Chỉ đạo XYZ theo dõi, đôn đốc việc thực hiện.")
    assert r.monitor is None and any("Ban Chỉ đạo XYZ" in w for w in warnings(r))


AUDIT_MONITOR = """Số 12-CV/TU
Kính gửi: Các sở, ban, ngành tỉnh

Ban Thường vụ Tỉnh ủy yêu cầu:

1. Sở Y tế chủ trì triển khai tiêm chủng.

Sở Y tế theo dõi tình hình dịch bệnh, hướng dẫn các địa phương thực hiện các biện pháp phòng, chống dịch.

Bảo đảm đủ vắc xin cho người dân.

2. Công an tỉnh bảo đảm an ninh trật tự.

3. Sở Tài chính bố trí kinh phí.

Giao Văn phòng Tỉnh ủy theo dõi, đôn đốc, báo cáo Ban Thường vụ Tỉnh ủy.

Nơi nhận:
- Như trên,
- Lưu VPTU.

T/M BAN THƯỜNG VỤ
K/T BÍ THƯ
PHÓ BÍ THƯ

Nguyễn Văn B
"""


def test_an_ordinary_paragraph_inside_an_item_is_not_the_monitor() -> None:
    r = parse(AUDIT_MONITOR)
    assert r.monitor is not None and r.monitor.code == "vptu" and r.monitor.text.startswith("Giao Văn phòng")
    assert [(d.label, d.leads()) for d in r.duties] == [("1", ["so_yte"]), ("2", ["cong_an"]), ("3", ["so_taichinh"])]
    assert r.duties[0].text.split("\n") == [
        "Sở Y tế chủ trì triển khai tiêm chủng.",
        "Sở Y tế theo dõi tình hình dịch bệnh, hướng dẫn các địa phương thực hiện các biện pháp phòng, chống dịch.",
        "Bảo đảm đủ vắc xin cho người dân.",
    ]
    assert r.duties[2].text == "Sở Tài chính bố trí kinh phí."
    # No paragraph of the body is lost: each is in a duty or in the monitor.
    kept = "\n".join([d.text for d in r.duties] + [r.monitor.text])
    body = AUDIT_MONITOR.split("yêu cầu:")[1].split("Nơi nhận")[0]
    for para in (p.strip() for p in body.split("\n\n") if p.strip()):
        assert para.split(". ", 1)[-1] in kept


def test_a_monitor_without_giao_counts_only_after_the_last_item() -> None:
    vptu = "Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện, báo cáo Thường trực Tỉnh ủy."
    # Inside an item followed by others: the item's text, not the monitor.
    r = parse(f"1. Sở Y tế thực hiện.\n\n{vptu}\n\n2. Công an tỉnh bảo đảm an ninh.")
    assert r.monitor is None and r.duties[0].text == f"Sở Y tế thực hiện.\n{vptu}"
    # After the final item: the monitor, taken out of the last duty.
    r = parse(f"1. Sở Y tế thực hiện.\n\n2. Công an tỉnh bảo đảm an ninh.\n\n{vptu}")
    assert r.monitor is not None and r.monitor.code == "vptu" and r.duties[1].text == "Công an tỉnh bảo đảm an ninh."
    # Ordinary "theo dõi ... thực hiện" work after the last item stays work.
    r = parse("1. Sở Y tế thực hiện.\n\nSở Y tế theo dõi tình hình, hướng dẫn các địa phương thực hiện.")
    assert r.monitor is None and "hướng dẫn các địa phương" in r.duties[0].text
    # A later "Giao" paragraph wins; its bullets stay with it, not with the last duty.
    r = parse(
        f"1. Sở Y tế thực hiện.\n\n{vptu}\n\nGiao Ban Tuyên giáo Tỉnh ủy theo dõi, đôn đốc việc thực hiện:\n"
        "- Hằng tháng tổng hợp tình hình."
    )
    assert r.monitor is not None and r.monitor.code == "btg_tu" and r.monitor.text.endswith("tổng hợp tình hình.")
    assert r.duties[0].text == f"Sở Y tế thực hiện.\n{vptu}"


def test_last_item_reporting_to_the_issuer_is_the_monitor_without_giao() -> None:
    r = parse(
        "1. Sở Y tế thực hiện.\n2. Công an tỉnh bảo đảm an ninh.\n"
        "3. Văn phòng Tỉnh ủy theo dõi, đôn đốc và báo cáo Ban Thường vụ Tỉnh ủy kết quả thực hiện."
    )
    assert r.monitor is not None and r.monitor.code == "vptu" and [d.label for d in r.duties] == ["1", "2"]
    # Without a report to the issuer, a last item that follows up on work is a duty like any other.
    r = parse((REPO / "tests/fixtures/directives/pdf_wrapped.txt").read_text(encoding="utf-8"))
    assert r.monitor is None and [d.label for d in r.duties] == ["1", "2", "3"]
    assert r.duties[2].leads() == ["bdv_tu", "btg_tu"]


@pytest.mark.parametrize(
    ("block", "title"),
    [
        ("T/M BAN THƯỜNG VỤ\nK/T BÍ THƯ\nPHÓ BÍ THƯ", "Phó Bí thư"),
        ("T/UQ BAN THƯỜNG VỤ\nCHÁNH VĂN PHÒNG", "Chánh Văn phòng"),
        ("TUQ. BAN THƯỜNG VỤ\nPHÓ CHÁNH VĂN PHÒNG", "Phó Chánh Văn phòng"),
    ],
)
def test_signatures_signed_on_behalf(block: str, title: str) -> None:
    r = parse(f"1. Sở Y tế thực hiện.\n\nNơi nhận:\n- Như trên,\n- Lưu VPTU.\n\n{block}\n\nNguyễn Văn B")
    assert r.signer is not None and (r.signer.name, r.signer.title) == ("Nguyễn Văn B", title)
    assert [d.text for d in r.duties] == ["Sở Y tế thực hiện."]


def test_unresolved_names_keep_the_role_of_their_clause() -> None:
    [d] = parse("1. Sở Y tế, Sở Ngoai vu chỉ đạo cơ sở, phối hợp với Ban Chỉ đạo XYZ tỉnh rà soát.").duties
    assert d.leads() == ["so_yte"]
    assert [(u.text, u.role, u.suggestions[0]) for u in d.unresolved] == [
        ("Sở Ngoai vu", "lead", "so_noivu"), ("Ban Chỉ đạo XYZ tỉnh", "support", "bcd_covid")
    ]  # fmt: skip
    # The role stays out of the JSON contract; "related" says the name was a "… liên quan" pick list.
    keys = parse("1. Sở Ngoai vu chỉ đạo.").to_json()["duties"][0]["unresolved"][0].keys()
    assert keys == {"text", "suggestions", "related"}


def test_the_number_is_never_taken_from_a_reference_in_the_body() -> None:
    r = parse(
        "Thực hiện Chỉ thị số 05-CT/TW ngày 15 tháng 5 năm 2016 của Bộ Chính trị, yêu cầu các cấp thực hiện:\n"
        "1. Sở Y tế."
    )
    assert r.number is None and r.date is None


def test_date_forms() -> None:
    assert parse("Kiên Giang, ngày 05/7/2022\n").date == dt.date(2022, 7, 5)
    r = parse("Kiên Giang, ngày 31 tháng 2 năm 2021\n")
    assert r.date is None and r.place == "Kiên Giang" and any("31 tháng 2" in w for w in warnings(r))


def test_json_contract_types() -> None:
    data = parse("Số 7-TB/TU\nKiên Giang, ngày 1 tháng 2 năm 2023\n\n1. Sở Y tế chủ trì.").to_json()
    assert data["date"] == "2023-02-01" and data["kind"] == "thông báo"
    assert data["duties"][0]["units"] == [
        {"code": "so_yte", "name": "Sở Y tế", "role": "lead", "matched_text": "Sở Y tế", "via": None}
    ]
    assert data["duties"][0]["source"] == "own"


# --- robustness ---------------------------------------------------------------------------------
_PIECES = st.sampled_from(
    [
        "1. ", "2.1. ", "II. ", "- ", "a) ", "Kính gửi: ", "Nơi nhận:", "T/M BAN THƯỜNG VỤ", "Số 1-CV/TU",
        "Kiên Giang, ngày 31 tháng 13 năm 0000", "Sở Y tế", "phối hợp với", "Giao", "Văn phòng Tỉnh ủy theo dõi",
        "các đoàn thể", "**", "*", "\n", "\n\n", " ", ",", ".", ":", "./.", "Ban Chỉ đạo", "Đảng ủy - ", "|", "\\",
        "Mai Văn Huỳnh", "BÍ THƯ", "[x]", "ngày", "tháng", "năm", "Ủy", "\u0301", "\t",
    ]
)  # fmt: skip
_DOCS = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCS)
def test_the_parser_never_raises(text: str) -> None:
    result = parse_strict(text, DIRECTORY)  # not the safety net: a bug must show up here
    data = result.to_json()
    assert isinstance(data["duties"], list)
    for duty in result.duties:
        assert duty.label and all(u.role in ("lead", "support") for u in duty.units)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    parse_strict(text, DIRECTORY)
    assert parse_directive(text, DIRECTORY) is not None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_mention_spans_point_into_the_text(text: str) -> None:
    for m in DIRECTORY.find_mentions(text):
        assert text[m.start : m.end] == m.matched_text


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "1.", "I.", "Kính gửi:", "Nơi nhận:", "-", "**1.**"])
def test_degenerate_inputs(text: str) -> None:
    r = parse(text)
    assert r.to_json()["warnings"]
