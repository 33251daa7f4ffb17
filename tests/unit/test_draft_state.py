"""The JSON state of a draft and of a whole registration: what goes into the drafts table comes back equal.

Realistic drafts (the seeds parsed, names left unresolved with their suggestions and roles, edited
deadlines and plans, manual entry) and generated ones (any text, any date, every optional field)
go through JSON text and back, as they do through the database.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import load_config
from bot.domain.draft import (
    STATE_VERSION,
    Draft,
    DraftDuty,
    DraftNote,
    DraftUnresolved,
    Intake,
    IntakeStep,
    apply_edit,
    draft_from_parsed,
    draft_from_state,
    draft_to_state,
    intake_from_state,
    intake_to_state,
    manual_duty,
    pick_suggestion,
)
from bot.domain.parser import normalise_text, parse_directive
from bot.domain.plans import PRESETS
from bot.domain.units import UnitDirectory
from bot.domain.vndates import Ongoing

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY = UnitDirectory.from_config(load_config(ROOT / "config.yaml").units)
CODES = sorted(u.code for u in DIRECTORY.all())
SEEDS = sorted((ROOT / "tests/fixtures/seeds").glob("*.txt"))
TODAY = date(2026, 11, 23)
TWO_NAMES = "Số 40-CV/TU\n\n1. Sở Y tế, Sở Ngoai vu chỉ đạo các bệnh viện rà soát nhân lực.\n2. Rà soát các cơ sở."


def through_json(state: dict[str, Any]) -> dict[str, Any]:
    """What a JSON column gives back: the state as text and parsed again."""
    out: dict[str, Any] = json.loads(json.dumps(state, ensure_ascii=False))
    return out


def round_trip(draft: Draft) -> Draft:
    return draft_from_state(through_json(draft_to_state(draft)))


def parsed(text: str, file_name: str | None = None) -> Draft:
    source = normalise_text(text)
    return draft_from_parsed(parse_directive(source, DIRECTORY), source, file_name)


# --- realistic drafts -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_parsed_seeds_round_trip(seed: Path) -> None:
    draft = parsed(seed.read_text(encoding="utf-8"), seed.name)
    assert draft.duties and (draft.number or draft.notes)  # seeds without a number carry warnings
    back = round_trip(draft)
    assert back == draft
    assert back.file_hash == draft.file_hash  # the duplicate check still recognises the document


def test_unresolved_names_keep_suggestions_and_roles() -> None:
    draft = parsed(TWO_NAMES)
    [item] = draft.duties[0].unresolved
    assert item.text == "Sở Ngoai vu" and item.suggestions and item.role == "lead"
    draft.duties[1].unresolved.append(DraftUnresolved("Phòng Không Có", ["so_yte", "cong_an"], "support"))
    back = round_trip(draft)
    assert back == draft
    assert back.duties[1].unresolved[0].role == "support"
    # Picking after the round trip gives what picking before it gives.
    pick_suggestion(draft, 0, 0, item.suggestions[0])
    pick_suggestion(back, 0, 0, item.suggestions[0])
    assert back == draft and back.duties[0].leads == ["so_yte", item.suggestions[0]]


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        (["hạn 30/6/2027"], {"1": date(2027, 6, 30), "2": date(2027, 6, 30)}),
        (["hạn 2 thường xuyên"], {"1": None, "2": Ongoing.ONGOING}),
        (["hạn 30/6/2027", "hạn 1 thường xuyên"], {"1": Ongoing.ONGOING, "2": date(2027, 6, 30)}),
        (["chủ trì 2: Công an tỉnh", "phối hợp 2: Sở Tài chính", "theo dõi: Sở Nội vụ"], {"1": None, "2": None}),
    ],
)
def test_edited_deadlines_units_and_monitor_round_trip(edits: list[str], expected: dict[str, object]) -> None:
    draft = parsed(TWO_NAMES)
    for line in edits:
        apply_edit(draft, line, DIRECTORY, TODAY)
    back = round_trip(draft)
    assert back == draft
    assert {d.label: d.deadline for d in back.duties} == expected


@pytest.mark.parametrize("plan", sorted(PRESETS))
def test_every_plan_round_trips(plan: str) -> None:
    draft = parsed(TWO_NAMES)
    draft.plan = plan
    assert round_trip(draft).plan == plan


def test_manual_entry_and_every_step_round_trip() -> None:
    draft = Draft(source_text="", number="25-CT/TU", title="Về phòng cháy")
    for position, text in enumerate(("Công an tỉnh chủ trì, phối hợp với Sở Xây dựng kiểm tra.", "Rà soát."), 1):
        duty = manual_duty(text, position, DIRECTORY)
        draft.duties.append(duty)
        draft.source_text += f"{duty.label}. {duty.text}\n"
    for step in IntakeStep:
        intake = Intake(nonce="a1b2c3", parts=["phần 1", "phần 2\n"], draft=draft, step=step, active=False)
        intake.record(900_000_001)
        state = through_json(intake_to_state(intake))
        assert state["v"] == STATE_VERSION and state["step"] == step.value
        assert intake_from_state(state) == intake
    empty = Intake.new()
    assert intake_from_state(through_json(intake_to_state(empty))) == empty
    assert empty.active and empty.step is IntakeStep.COLLECT and empty.draft is None


def test_the_state_is_plain_json_with_readable_dates() -> None:
    draft = parsed(TWO_NAMES)
    draft.issued_on = date(2020, 3, 10)
    draft.duties[0].deadline = date(2027, 6, 30)
    draft.duties[1].deadline = Ongoing.ONGOING
    state = draft_to_state(draft)
    assert state["issued_on"] == "2020-03-10"
    assert [d["deadline"] for d in state["duties"]] == ["2027-06-30", "ongoing"]
    assert json.loads(json.dumps(state)) == state


@pytest.mark.parametrize(
    "state",
    [
        {},
        {"v": STATE_VERSION + 1, "source_text": ""},
        {"v": STATE_VERSION, "source_text": "", "duties": [{"label": "1"}]},
        {
            "v": STATE_VERSION,
            "source_text": "",
            "duties": [{"label": "1", "parent": None, "text": "x", "general": False, "deadline": "sometime"}],
        },
    ],
    ids=["no-version", "newer-version", "missing-fields", "bad-deadline"],
)
def test_a_state_it_cannot_read_is_refused(state: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"draft state version|validation error"):
        draft_from_state(state)


# --- generated drafts -------------------------------------------------------------------------------

# Any text Telegram can carry: every code point but lone surrogates (JSON from Telegram never has them).
CHARS = st.characters(exclude_categories=["Cs"])
TEXT = st.text(CHARS, max_size=60)
OPTIONAL = st.none() | TEXT
CODE = st.sampled_from(CODES)
DEADLINE = st.none() | st.just(Ongoing.ONGOING) | st.dates(date(1, 1, 1), date(9999, 12, 31))
ROLE = st.sampled_from(("lead", "support"))
UNRESOLVED = st.builds(DraftUnresolved, TEXT, st.lists(CODE, max_size=3), ROLE)
DUTY = st.builds(
    DraftDuty,
    label=st.from_regex(r"\A(?:[IVX]+\.)?[0-9]{1,2}(?:\.[0-9]{1,2}){0,2}\Z"),
    parent=st.none() | st.sampled_from(("1", "2", "II.1")),
    text=TEXT,
    general=st.booleans(),
    leads=st.lists(CODE, max_size=4, unique=True),
    supports=st.lists(CODE, max_size=4, unique=True),
    unresolved=st.lists(UNRESOLVED, max_size=3),
    deadline=DEADLINE,
)
DRAFT = st.builds(
    Draft,
    source_text=st.text(CHARS, max_size=400),
    file_name=OPTIONAL,
    number=OPTIONAL,
    kind=OPTIONAL,
    title=OPTIONAL,
    place=OPTIONAL,
    issued_on=st.none() | st.dates(),
    issuer=OPTIONAL,
    signer_name=OPTIONAL,
    signer_title=OPTIONAL,
    monitor_code=st.none() | CODE,
    duties=st.lists(DUTY, max_size=6),
    notes=st.lists(st.builds(DraftNote, code=TEXT, values=st.dictionaries(TEXT, TEXT, max_size=2)), max_size=3),
    plan=st.sampled_from(sorted(PRESETS)),
    nonce=st.text("0123456789abcdef", min_size=6, max_size=6),
)
INTAKE = st.builds(
    Intake,
    nonce=st.text("0123456789abcdef", min_size=6, max_size=6),
    parts=st.lists(TEXT, max_size=4),
    draft=st.none() | DRAFT,
    step=st.sampled_from(IntakeStep),
    active=st.booleans(),
    applied=st.lists(st.integers(1, 2**53), max_size=40),
)
_SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                     suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@_SETTINGS
@given(DRAFT)
def test_any_draft_round_trips(draft: Draft) -> None:
    assert round_trip(draft) == draft


@_SETTINGS
@given(INTAKE)
def test_any_registration_round_trips(intake: Intake) -> None:
    assert intake_from_state(through_json(intake_to_state(intake))) == intake


def test_only_the_latest_update_ids_are_kept() -> None:
    intake = Intake.new()
    for update_id in range(1, 101):
        intake.record(update_id)
    assert intake.applied == list(range(69, 101))
