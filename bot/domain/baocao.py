"""The office's báo cáo kết quả thực hiện, as data: what each unit reported about each duty of one
directive, its difficulties, its silence and its extension requests. Pure.

Nothing here is worded: the view (bot/views_baocao.py) turns this model into the document, with
fixed template phrases only. Every fact comes from stored rows; a unit with no report is
`NO_REPORT`, never guessed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.classify import Category, classify
from bot.domain.enums import AssignmentRole, AssignmentStatus, ExtensionStatus, ReportKind
from bot.domain.ongoing import UNIT_KINDS

# The notes a secretary's extension decision leaves (services.reports.decide): not a unit's words.
DECISION_NOTES = {"extension_approved": "approved", "extension_rejected": "rejected"}
_PARTY_NUMBER = re.compile(r"^\s*\d+\s*-\s*[^\s/]+\s*/")  # 1046-CV/TU, 05-CT/TU
_GOV_NUMBER = re.compile(r"^\s*\d+\s*/")  # 554/UBND-KT, 12/CT-UBND
_GOV_ISSUER = re.compile(r"ubnd|ủy ban nhân dân|uỷ ban nhân dân|chủ tịch|văn phòng ubnd|hđnd", re.IGNORECASE)
_PARTY_ISSUER = re.compile(r"tỉnh ủy|tỉnh uỷ|thành ủy|thành uỷ|đảng|ban thường vụ|thường trực|huyện ủy", re.I)


class Family(StrEnum):
    PARTY = "party"  # Hướng dẫn 36-HD/VPTW
    GOVERNMENT = "government"  # Nghị định 30/2020/NĐ-CP


def family_of(number: str | None, issuer: str | None, default: Family) -> Family:
    """The system a directive belongs to: by its number's shape, else its issuer, else `default`."""
    if number and _PARTY_NUMBER.match(number):
        return Family.PARTY
    if number and _GOV_NUMBER.match(number):
        return Family.GOVERNMENT
    if issuer and _GOV_ISSUER.search(issuer):
        return Family.GOVERNMENT
    if issuer and _PARTY_ISSUER.search(issuer):
        return Family.PARTY
    return default


class UnitState(StrEnum):
    DONE = "done"  # confirmed (or reported done where no confirmation is asked)
    REPORTED_DONE = "reported_done"  # awaiting the office's confirmation
    IN_PROGRESS = "in_progress"
    RETURNED = "returned"
    NOTED = "noted"  # reported, without a status (a note or a file)
    NO_REPORT = "no_report"


@dataclass(frozen=True)
class DirectiveFacts:
    id: int
    number: str | None
    kind: str | None
    title: str
    issued_on: date | None
    issuer: str | None
    registered_on: date  # local day it was saved in dondoc
    family: Family


@dataclass(frozen=True)
class AssignmentFacts:
    assignment_id: int
    duty_id: int
    duty_label: str
    duty_text: str
    duty_deadline: date | None  # the duty's own; None = thường xuyên
    unit_name: str
    role: AssignmentRole
    status: AssignmentStatus
    percent: int | None
    blocked: bool
    deadline: date | None  # in force; None = thường xuyên
    done_on: date | None  # local day it counts as completed
    extension_status: ExtensionStatus | None


@dataclass(frozen=True)
class ReportFacts:
    assignment_id: int
    kind: ReportKind
    text: str
    percent: int | None
    received_on: date
    requested_deadline: date | None


@dataclass(frozen=True)
class UnitResult:
    unit_name: str
    role: AssignmentRole
    state: UnitState
    percent: int | None
    blocked: bool
    last_report_on: date | None
    category: Category
    quote: str | None  # the latest words it reported, whole (the view shortens)
    files: tuple[str, ...]
    period_reports: int  # its reports within the period


@dataclass(frozen=True)
class DutyResult:
    label: str
    text: str
    deadline: date | None
    units: tuple[UnitResult, ...]  # leads first, in assignment order

    @property
    def ongoing(self) -> bool:
        return self.deadline is None


@dataclass(frozen=True)
class Difficulty:
    unit_name: str
    duty_label: str
    on: date
    text: str


@dataclass(frozen=True)
class Silent:
    unit_name: str
    duty_labels: tuple[str, ...]


@dataclass(frozen=True)
class ExtensionRequest:
    unit_name: str
    duty_label: str
    on: date
    to: date | None
    reason: str
    decision: str  # "approved", "rejected" or "pending"


@dataclass(frozen=True)
class Deployment:
    registered_on: date
    duties: int
    units: int
    leads: int  # lead assignments
    supports: int
    first_notice_on: date | None
    last_notice_on: date | None
    notified: int  # assignments whose notice went out


@dataclass(frozen=True)
class Baocao:
    directive: DirectiveFacts
    start: date
    end: date
    as_of: date
    deployment: Deployment
    duties: tuple[DutyResult, ...]
    difficulties: tuple[Difficulty, ...]
    silent: tuple[Silent, ...]
    extensions: tuple[ExtensionRequest, ...]
    files: int


def _state(row: AssignmentFacts, reported: bool) -> UnitState:
    if row.done_on is not None or row.status == AssignmentStatus.CONFIRMED:
        return UnitState.DONE
    return {
        AssignmentStatus.REPORTED_DONE: UnitState.REPORTED_DONE,
        AssignmentStatus.IN_PROGRESS: UnitState.IN_PROGRESS,
        AssignmentStatus.RETURNED: UnitState.RETURNED,
    }.get(row.status, UnitState.NOTED if reported else UnitState.NO_REPORT)


def _is_unit_report(r: ReportFacts) -> bool:
    return r.kind in UNIT_KINDS and not (r.kind == ReportKind.NOTE and r.text in DECISION_NOTES)


def draft(
    directive: DirectiveFacts,
    assignments: Sequence[AssignmentFacts],
    reports: Sequence[ReportFacts],
    files: Sequence[tuple[int, str, date]],
    notices: Sequence[tuple[int, date]],
    *,
    start: date,
    end: date,
    today: date,
) -> Baocao:
    """The báo cáo of `directive` for the period start..end, as of min(end, today).

    `assignments` in duty order; `reports` oldest first, up to the period's end (all history: a
    unit's latest status may predate the period); `files` as (assignment id, name, day);
    `notices` as (assignment id, day its first notice went out).
    """
    as_of = min(end, today)
    by_assignment: dict[int, list[ReportFacts]] = defaultdict(list)
    decisions: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for r in reports:
        if r.received_on > as_of:
            continue
        if _is_unit_report(r):
            by_assignment[r.assignment_id].append(r)
        elif r.kind == ReportKind.NOTE:
            decisions[r.assignment_id].append((r.received_on, DECISION_NOTES[r.text]))
    names: dict[int, list[str]] = defaultdict(list)
    for aid, name, on in files:
        if on <= as_of:
            names[aid].append(name)
    duties: dict[int, list[UnitResult]] = defaultdict(list)
    heads: dict[int, AssignmentFacts] = {}
    silent: dict[str, list[str]] = defaultdict(list)
    difficulties: list[Difficulty] = []
    extensions: list[ExtensionRequest] = []
    for row in sorted(assignments, key=lambda a: a.role != AssignmentRole.LEAD):
        heads.setdefault(row.duty_id, row)
        history = by_assignment.get(row.assignment_id, [])
        in_period = [r for r in history if r.received_on >= start]
        quote = next((r.text for r in reversed(history) if r.text.strip()), None)
        state = _state(row, bool(history))
        duties[row.duty_id].append(
            UnitResult(
                unit_name=row.unit_name, role=row.role, state=state, percent=row.percent,
                blocked=row.blocked, last_report_on=history[-1].received_on if history else None,
                category=classify(deadline=row.deadline, done_on=row.done_on, today=as_of), quote=quote,
                files=tuple(names.get(row.assignment_id, ())), period_reports=len(in_period),
            )
        )  # fmt: skip
        # Silent: work still to do and nothing said in the period (a finished unit owes no report).
        if not in_period and state not in (UnitState.DONE, UnitState.REPORTED_DONE):
            silent[row.unit_name].append(row.duty_label)
        for r in in_period:
            if r.kind == ReportKind.BLOCKED:
                difficulties.append(Difficulty(row.unit_name, row.duty_label, r.received_on, r.text))
            elif r.kind == ReportKind.EXTENSION:
                later = [d for on, d in decisions.get(row.assignment_id, []) if on >= r.received_on]
                decision = later[0] if later else "pending"
                extensions.append(
                    ExtensionRequest(
                        row.unit_name, row.duty_label, r.received_on, r.requested_deadline, r.text, decision
                    )
                )
    order = [a.duty_id for a in assignments]
    results = tuple(
        DutyResult(heads[d].duty_label, heads[d].duty_text, heads[d].duty_deadline, tuple(duties[d]))
        for d in dict.fromkeys(order)
    )
    sent = [on for aid, on in notices]
    deployment = Deployment(
        registered_on=directive.registered_on, duties=len(results), units=len({a.unit_name for a in assignments}),
        leads=sum(a.role == AssignmentRole.LEAD for a in assignments),
        supports=sum(a.role == AssignmentRole.SUPPORT for a in assignments),
        first_notice_on=min(sent) if sent else None, last_notice_on=max(sent) if sent else None,
        notified=len({aid for aid, _ in notices}),
    )  # fmt: skip
    return Baocao(
        directive, start, end, as_of, deployment, results,
        tuple(sorted(difficulties, key=lambda d: d.on)),
        tuple(Silent(name, tuple(labels)) for name, labels in silent.items()),
        tuple(sorted(extensions, key=lambda e: e.on)),
        files=sum(1 for _, _, on in files if on <= as_of),
    )  # fmt: skip
