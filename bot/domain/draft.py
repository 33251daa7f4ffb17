"""The directive a secretary is checking before saving: an editable copy of the parser's result.

Pure and Telegram-agnostic. Edits arrive as short Vietnamese lines ("hạn 2 30/6", "xoá 3",
"chủ trì 2: Sở Y tế") and are applied here, so the rules are tested without a bot.
"""

from __future__ import annotations

import bisect
import enum
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import TypeAdapter

from bot.domain.errors import Refusal
from bot.domain.parser import ParsedDirective, parse_directive
from bot.domain.plans import DEFAULT_PLAN
from bot.domain.textnorm import fold, nfc, squash_spaces
from bot.domain.unit_lookup import resolve_list
from bot.domain.units import UnitDirectory
from bot.domain.vndates import Ongoing, parse_deadline

Deadline = date | Ongoing | None  # None: not set yet (treated as ongoing when saved)


@dataclass
class DraftUnresolved:
    text: str
    suggestions: list[str]  # unit codes
    role: Literal["lead", "support"] = "lead"  # the role a picked suggestion gets


@dataclass
class DraftNote:
    """A parser finding shown under the preview: a code views/ words, with its values."""

    code: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class DraftDuty:
    label: str
    parent: str | None
    text: str
    general: bool
    leads: list[str] = field(default_factory=list)  # unit codes, in order
    supports: list[str] = field(default_factory=list)
    unresolved: list[DraftUnresolved] = field(default_factory=list)
    deadline: Deadline = None
    source: str = "own"  # where the units came from: own, parent, recipients, none
    mentioned: list[str] = field(default_factory=list)  # names in the text that got no assignment

    def add(self, code: str, role: Literal["lead", "support"]) -> None:
        """One role per unit per duty; lead wins, as in the parser."""
        if role == "lead":
            if code in self.supports:
                self.supports.remove(code)
            if code not in self.leads:
                self.leads.append(code)
        elif code not in self.leads and code not in self.supports:
            self.supports.append(code)

    def cycle_role(self, code: str) -> None:
        """The unit picker's tap: not assigned -> lead -> support -> not assigned."""
        if code in self.leads:
            self.leads.remove(code)
            self.supports.append(code)
        elif code in self.supports:
            self.supports.remove(code)
        else:
            self.add(code, "lead")
        self.general = False

    @property
    def unit_codes(self) -> list[str]:
        return self.leads + self.supports


@dataclass
class Draft:
    source_text: str
    file_name: str | None = None
    number: str | None = None
    kind: str | None = None
    title: str | None = None
    place: str | None = None
    issued_on: date | None = None
    issuer: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    monitor_code: str | None = None
    duties: list[DraftDuty] = field(default_factory=list)
    notes: list[DraftNote] = field(default_factory=list)
    plan: str = DEFAULT_PLAN
    # Changes with every new draft so buttons of an older preview are recognised as stale.
    nonce: str = field(default_factory=lambda: secrets.token_hex(3))

    @property
    def file_hash(self) -> str | None:
        """Same document, same hash: whitespace and Unicode form do not matter."""
        body = squash_spaces(nfc(self.source_text))
        return hashlib.sha256(body.encode()).hexdigest() if body else None

    def duty(self, label: str) -> DraftDuty | None:
        key = label.strip().rstrip(".")
        for duty in self.duties:
            if duty.label == key:
                return duty
        return None

    def has_work(self) -> bool:
        return any(d.unit_codes for d in self.duties)


class IntakeStep(enum.StrEnum):
    """Where a secretary is in /newdirective: what a plain text message means next."""

    COLLECT = "collect"  # pasted parts of a document
    MANUAL_HEADER = "manual_header"  # number and title, typed by hand
    MANUAL_DUTIES = "manual_duties"  # one duty per message
    PREVIEW = "preview"  # edit lines


@dataclass
class Intake:
    """What one secretary has typed so far in /newdirective, kept between updates (as JSON, in the database)."""

    nonce: str  # in every button of this registration: a button of an older one is stale
    parts: list[str] = field(default_factory=list)
    # The message id of each part: parts sent at once may be handled out of order (two instances).
    part_ids: list[int] = field(default_factory=list)
    draft: Draft | None = None
    step: IntakeStep = IntakeStep.COLLECT
    # False once it timed out: kept for /newdirective to resume, but messages no longer go to it.
    active: bool = True
    # The latest update ids applied: an update delivered again after a crash is applied once.
    applied: list[int] = field(default_factory=list)

    @classmethod
    def new(cls) -> Intake:
        return cls(nonce=secrets.token_hex(3))

    def add_part(self, text: str, message_id: int) -> None:
        """Keep the parts in the order they were sent, whatever order they are handled in."""
        if len(self.part_ids) != len(self.parts):  # written before part ids were kept
            self.part_ids = [0] * len(self.parts)
        at = bisect.bisect(self.part_ids, message_id)
        self.parts.insert(at, text)
        self.part_ids.insert(at, message_id)

    def set_parts(self, parts: list[str]) -> None:
        self.parts = list(parts)
        self.part_ids = [0] * len(self.parts)

    def record(self, update_id: int) -> None:
        # A few dozen cover a redelivered batch; ids are kept, not compared, as updates may arrive out of order.
        self.applied = [*self.applied[-(_APPLIED_KEPT - 1) :], update_id]


_APPLIED_KEPT = 32


# --- JSON state ------------------------------------------------------------------------------------
# A stored state outlives the process that wrote it, so it carries a version; an unknown one is refused.

STATE_VERSION = 1
_DRAFT_ADAPTER = TypeAdapter(Draft)
_INTAKE_ADAPTER = TypeAdapter(Intake)


def _versioned(adapter: TypeAdapter[Any], value: object) -> dict[str, Any]:
    state: dict[str, Any] = adapter.dump_python(value, mode="json")
    return {"v": STATE_VERSION, **state}


def _unversioned(state: dict[str, Any]) -> dict[str, Any]:
    version = state.get("v") if isinstance(state, dict) else None
    if version != STATE_VERSION:
        raise ValueError(f"unsupported draft state version: {version!r}")
    return {k: v for k, v in state.items() if k != "v"}


def draft_to_state(draft: Draft) -> dict[str, Any]:
    """A JSON-ready dict (dates as ISO strings, "ongoing" for Ongoing) that draft_from_state reads back equal."""
    return _versioned(_DRAFT_ADAPTER, draft)


def draft_from_state(state: dict[str, Any]) -> Draft:
    """Raises ValueError (pydantic's ValidationError is one) on a state it cannot read."""
    return _DRAFT_ADAPTER.validate_python(_unversioned(state))


def intake_to_state(intake: Intake) -> dict[str, Any]:
    return _versioned(_INTAKE_ADAPTER, intake)


def intake_from_state(state: dict[str, Any]) -> Intake:
    """Raises ValueError on a state it cannot read."""
    return _INTAKE_ADAPTER.validate_python(_unversioned(state))


def draft_from_parsed(parsed: ParsedDirective, source_text: str, file_name: str | None = None) -> Draft:
    draft = Draft(
        source_text=source_text,
        file_name=file_name,
        number=parsed.number,
        kind=parsed.kind,
        title=parsed.title,
        place=parsed.place,
        issued_on=parsed.date,
        issuer=parsed.issuer,
        signer_name=parsed.signer.name if parsed.signer else None,
        signer_title=parsed.signer.title if parsed.signer else None,
        monitor_code=parsed.monitor.code if parsed.monitor else None,
        notes=[DraftNote(n.code, n.as_dict()) for n in parsed.notes],
    )
    for item in parsed.duties:
        duty = DraftDuty(item.label, item.parent, item.text, item.general)
        duty.source, duty.mentioned = item.source, list(item.mentioned)
        for unit in item.units:
            duty.add(unit.code, unit.role)
        duty.unresolved = [DraftUnresolved(u.text, list(u.suggestions), u.role) for u in item.unresolved]
        draft.duties.append(duty)
    return draft


def manual_duty(text: str, position: int, directory: UnitDirectory) -> DraftDuty:
    """A duty typed by hand: its units are found by the same rules as in a document."""
    parsed = parse_directive(f"{position}. {text}", directory)
    if parsed.duties:
        item = parsed.duties[0]
        duty = DraftDuty(str(position), None, item.text, general=False)
        for unit in item.units:
            if not item.general:
                duty.add(unit.code, unit.role)
        duty.unresolved = [DraftUnresolved(u.text, list(u.suggestions), u.role) for u in item.unresolved]
        return duty
    return DraftDuty(str(position), None, nfc(text).strip(), general=False)


# --- edit commands ---------------------------------------------------------------------------------


class EditError(Refusal, ValueError):
    """An edit line that cannot be applied; `key` names the message in texts.EDIT_ERRORS."""



@dataclass(frozen=True)
class EditResult:
    action: Literal["deadline", "remove", "leads", "supports", "add_lead", "add_support", "monitor"]
    labels: tuple[str, ...]


_LABEL = r"(?P<label>(?:[ivx]+\.)?\d+(?:\.\d+)*\.?)"
_DEADLINE = re.compile(rf"^(?:han|thoi han)(?:\s+(?:viec\s+)?{_LABEL})?\s*[:\s]\s*(?P<rest>.+)$")
_REMOVE = re.compile(rf"^(?:xoa|bo|xoa viec|bo viec)\s+{_LABEL}$")
_UNITS = re.compile(rf"^(?P<verb>chu tri|phoi hop|them chu tri|them phoi hop)\s+{_LABEL}\s*[:\s]\s*(?P<rest>.+)$")
_MONITOR = re.compile(r"^(?:theo doi|don vi theo doi)\s*[:\s]\s*(?P<rest>.+)$")


def _original_tail(line: str, folded_rest: str) -> str:
    """The user's own spelling of the part after the verb (fold() keeps positions for Vietnamese)."""
    return line[len(line) - len(folded_rest) :] if len(folded_rest) <= len(line) else folded_rest


def resolve_units(text: str, directory: UnitDirectory) -> tuple[list[str], list[DraftUnresolved]]:
    """Unit names separated by commas, ';' or "và": the codes, and the names that fit several units.

    Raises EditError naming the first name that fits no unit (with the nearest names as hints).
    """
    codes: list[str] = []
    unclear: list[DraftUnresolved] = []
    for item in resolve_list(directory, text):
        unit = item.unit
        if unit is None and item.candidates:
            unclear.append(DraftUnresolved(item.text, [u.code for u in item.candidates]))
        elif unit is None:
            hints = "\n".join(u.name for u in directory.suggest(item.text))
            raise EditError("unknown_unit", name=item.text, hints=hints)
        else:
            codes += [u.code for u in directory.expand(unit.code)] if unit.is_collective else [unit.code]
    if not codes and not unclear:
        raise EditError("no_units")
    return list(dict.fromkeys(codes)), unclear


def apply_edit(draft: Draft, line: str, directory: UnitDirectory, today: date) -> EditResult:
    """Apply one edit line to `draft`. Raises EditError when it is not understood."""
    line = squash_spaces(nfc(line))
    key = fold(line)
    if m := _DEADLINE.match(key):
        deadline = parse_deadline(_original_tail(line, m.group("rest")), today)
        if deadline is None:
            raise EditError("bad_date", text=m.group("rest"))
        targets = [_need(draft, m.group("label"))] if m.group("label") else draft.duties
        for duty in targets:
            duty.deadline = deadline
        return EditResult("deadline", tuple(d.label for d in targets))
    if m := _REMOVE.match(key):
        duty = _need(draft, m.group("label"))
        draft.duties = [d for d in draft.duties if d is not duty and d.parent != duty.label]
        return EditResult("remove", (duty.label,))
    if m := _UNITS.match(key):
        duty = _need(draft, m.group("label"))
        codes, unclear = resolve_units(_original_tail(line, m.group("rest")), directory)
        verb = m.group("verb")
        if verb == "chu tri":
            duty.leads = []
        elif verb == "phoi hop":
            duty.supports = []
        role: Literal["lead", "support"] = "lead" if "chu tri" in verb else "support"
        for code in codes:
            duty.add(code, role)
        # A name that fits several units is asked about with the preview's pick buttons, never guessed.
        duty.unresolved = [DraftUnresolved(u.text, u.suggestions, role) for u in unclear]
        duty.general = False
        action: Literal["leads", "supports", "add_lead", "add_support"] = (
            ("add_lead" if role == "lead" else "add_support")
            if verb.startswith("them")
            else ("leads" if role == "lead" else "supports")
        )
        return EditResult(action, (duty.label,))
    if m := _MONITOR.match(key):
        rest = _original_tail(line, m.group("rest"))
        codes, unclear = resolve_units(rest, directory)
        if not codes:  # one monitor unit: no pick buttons here, so say which units fit
            units = [u for c in unclear[0].suggestions if (u := directory.get(c)) is not None]
            raise EditError("ambiguous_unit", name=unclear[0].text, hints="\n".join(u.name for u in units))
        draft.monitor_code = codes[0]
        return EditResult("monitor", ())
    raise EditError("not_understood")


def _need(draft: Draft, label: str) -> DraftDuty:
    duty = draft.duty(label)
    if duty is None:
        raise EditError("no_such_duty", label=label.rstrip("."))
    return duty


def pick_suggestion(draft: Draft, duty_index: int, item_index: int, code: str | None) -> DraftDuty:
    """Resolve one flagged name: adopt the suggested unit (or drop the name when code is None)."""
    duty = draft.duties[duty_index]
    item = duty.unresolved.pop(item_index)
    if code is not None:
        duty.add(code, item.role)
        duty.general = False
    return duty
