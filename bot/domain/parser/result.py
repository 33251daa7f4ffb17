"""Step 6, the result: what the parser returns, and the JSON contract of `dondoc parse --json`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["lead", "support"]
# Where a duty's units came from: its own text, its parent or heading, or the recipients list.
Source = Literal["own", "parent", "recipients", "none"]


@dataclass
class Signer:
    name: str
    title: str


@dataclass
class DutyUnit:
    code: str
    name: str
    role: Role
    matched_text: str
    via: str | None = None  # the collective this unit was expanded from


@dataclass
class Unresolved:
    text: str
    suggestions: list[str]  # unit codes, best first
    role: Role = "lead"  # of the clause the name stood in
    related: bool = False  # "các sở, ngành liên quan": the secretary picks from the suggestions


@dataclass
class ParsedDuty:
    label: str
    parent: str | None
    text: str
    general: bool
    units: list[DutyUnit] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    source: Source = "own"
    # Units the duty's text names that got no assignment (objects of the verb, context).
    mentioned: list[str] = field(default_factory=list)

    def leads(self) -> list[str]:
        return [u.code for u in self.units if u.role == "lead"]

    def supports(self) -> list[str]:
        return [u.code for u in self.units if u.role == "support"]


@dataclass
class Recipient:
    text: str
    units: list[Any]  # UnitRef as named: collectives are not expanded here


@dataclass
class Monitor:
    code: str
    name: str
    text: str


@dataclass(frozen=True)
class Note:
    """A finding for the secretary: a code views/ words, and the values it names."""

    code: str
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: str, **values: str) -> Note:
        return cls(code, tuple(values.items()))

    def as_dict(self) -> dict[str, str]:
        return dict(self.values)


@dataclass
class ParsedDirective:
    number: str | None = None
    kind: str | None = None
    title: str | None = None
    place: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    signer: Signer | None = None
    recipients: list[Recipient] = field(default_factory=list)
    monitor: Monitor | None = None
    duties: list[ParsedDuty] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def to_json(self, render: Any = None) -> dict[str, Any]:
        """The stable JSON contract of `dondoc parse --json`; `render(note) -> str` words the notes."""
        return {
            "number": self.number,
            "kind": self.kind,
            "title": self.title,
            "place": self.place,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
            "signer": {"name": self.signer.name, "title": self.signer.title} if self.signer else None,
            "recipients": [
                {"text": r.text, "units": [{"code": u.code, "name": u.name} for u in r.units]} for r in self.recipients
            ],
            "monitor": (
                {"code": self.monitor.code, "name": self.monitor.name, "text": self.monitor.text}
                if self.monitor
                else None
            ),
            "duties": [
                {
                    "label": d.label,
                    "parent": d.parent,
                    "text": d.text,
                    "general": d.general,
                    "units": [
                        {"code": u.code, "name": u.name, "role": u.role, "matched_text": u.matched_text, "via": u.via}
                        for u in d.units
                    ],
                    "unresolved": [
                        {"text": u.text, "suggestions": list(u.suggestions), "related": u.related} for u in d.unresolved
                    ],
                    "source": d.source,
                    "mentioned": list(d.mentioned),
                }
                for d in self.duties
            ],
            "warnings": [render(n) if render else n.code for n in self.notes],
        }
