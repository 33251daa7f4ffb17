"""The báo cáo model (bot.domain.baocao) and the file rules (bot.domain.attachments), pure."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain import attachments as rules
from bot.domain.baocao import (
    AssignmentFacts,
    DirectiveFacts,
    Family,
    ReportFacts,
    UnitState,
    draft,
    family_of,
)
from bot.domain.classify import Category
from bot.domain.enums import AssignmentRole, AssignmentStatus, ReportKind

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("number", "issuer", "expected"),
    [
        ("1046-CV/TU", None, Family.PARTY),
        ("05-CT/TU", "UBND tỉnh", Family.PARTY),  # the number's shape wins
        ("554/UBND-KT", None, Family.GOVERNMENT),
        ("12/CT-UBND", "Tỉnh ủy", Family.GOVERNMENT),
        (None, "Ủy ban nhân dân tỉnh Hậu Giang", Family.GOVERNMENT),
        (None, "Ban Thường vụ Tỉnh ủy", Family.PARTY),
        (None, None, Family.GOVERNMENT),  # the configured default
    ],
)
def test_family_of(number: str | None, issuer: str | None, expected: Family) -> None:
    assert family_of(number, issuer, Family.GOVERNMENT) == expected


def _row(
    aid: int, duty: int, unit: str, *, role: AssignmentRole = AssignmentRole.LEAD, **kw: object
) -> AssignmentFacts:
    base: dict[str, object] = dict(
        assignment_id=aid, duty_id=duty, duty_label=str(duty), duty_text=f"Nhiệm vụ {duty}",
        duty_deadline=date(2026, 12, 1),
        unit_name=unit, role=role, status=AssignmentStatus.ASSIGNED, percent=None, blocked=False,
        deadline=date(2026, 12, 1), done_on=None, extension_status=None,
    )  # fmt: skip
    base.update(kw)
    return AssignmentFacts(**base)  # type: ignore[arg-type]


DIRECTIVE = DirectiveFacts(1, "1046-CV/TU", "công văn", "Về việc thử", None, None, date(2026, 11, 1), Family.PARTY)


def test_states_silence_difficulties_and_extension_decisions() -> None:
    rows = [
        _row(1, 1, "Sở A", status=AssignmentStatus.CONFIRMED, done_on=date(2026, 11, 28)),
        _row(2, 1, "Sở B", role=AssignmentRole.SUPPORT),
        _row(
            3,
            2,
            "Sở B",
            status=AssignmentStatus.IN_PROGRESS,
            percent=40,
            blocked=True,
            duty_deadline=None,
            deadline=None,
        ),
        _row(4, 3, "Sở C"),
    ]
    reports = [
        ReportFacts(1, ReportKind.DONE, "xong", None, date(2026, 11, 28), None),
        ReportFacts(3, ReportKind.BLOCKED, "thiếu kinh phí", None, date(2026, 12, 2), None),
        ReportFacts(4, ReportKind.EXTENSION, "xin gia hạn", None, date(2026, 12, 3), date(2026, 12, 31)),
        ReportFacts(4, ReportKind.NOTE, "extension_approved", None, date(2026, 12, 4), None),  # the secretary's
        ReportFacts(4, ReportKind.NOTE, "đã gửi báo cáo", None, date(2026, 12, 6), None),
    ]
    model = draft(DIRECTIVE, rows, reports, [(4, "bc.pdf", date(2026, 12, 6))], [(1, date(2026, 11, 1))],
                  start=date(2026, 12, 1), end=date(2026, 12, 31), today=TODAY)  # fmt: skip
    assert model.as_of == TODAY
    [d1, d2, d3] = model.duties
    assert [(u.unit_name, u.state, u.category) for u in d1.units] == [
        ("Sở A", UnitState.DONE, Category.DONE_ON_TIME),
        ("Sở B", UnitState.NO_REPORT, Category.OVERDUE),
    ]
    assert d2.ongoing and d2.units[0].state == UnitState.IN_PROGRESS and d2.units[0].percent == 40
    c = d3.units[0]
    assert (c.state, c.quote, c.files, c.period_reports) == (UnitState.NOTED, "đã gửi báo cáo", ("bc.pdf",), 2)
    assert [(d.unit_name, d.text) for d in model.difficulties] == [("Sở B", "thiếu kinh phí")]
    # Sở A reported before the period but is confirmed: not silent. Sở B's support role is.
    assert [(s.unit_name, s.duty_labels) for s in model.silent] == [("Sở B", ("1",))]
    [ext] = model.extensions
    assert (ext.unit_name, ext.to, ext.decision) == ("Sở C", date(2026, 12, 31), "approved")
    assert (model.deployment.duties, model.deployment.units, model.deployment.notified) == (3, 3, 1)
    assert model.files == 1


def test_file_rules() -> None:
    def meta(name: str | None, mime: str | None, size: int | None, kind: str = "document") -> rules.FileMeta:
        return rules.FileMeta("id", "uid", name, mime, kind, size)

    assert rules.refusal(meta("Báo cáo.PDF", None, 10)) is None
    assert rules.refusal(meta("x.docx", "application/octet-stream", 10)) is None  # the name decides
    assert rules.refusal(meta(None, "image/png", 10)) is None
    assert rules.refusal(meta(None, None, 10, "photo")) is None
    assert rules.refusal(meta("virus.exe", "application/pdf", 10)) == "type"
    assert rules.refusal(meta("a.webp", "image/webp", 10)) == "type"
    assert rules.refusal(meta("a.pdf", None, rules.MAX_BYTES + 1)) == "size"
    assert rules.refusal(meta("a.pdf", None, None)) == "size"
    assert rules.display_name(meta(None, None, 1, "photo"), "anh-1") == "anh-1.jpg"
    assert rules.command_body("/report 12 đã xong") == "12 đã xong"
    assert rules.command_body("/report@dondoc_bot 12") == "12"
    assert rules.command_body("/reports 12") is None
    assert rules.split_code("[12] đã xong") == (12, "đã xong")
    assert rules.split_code("12. xong") == (12, "xong")
    assert rules.split_code("12") == (12, "")
    assert rules.split_code("đã xong") == (None, "đã xong")
    assert rules.split_code("١٢ xong") == (None, "١٢ xong")  # ASCII digits only
