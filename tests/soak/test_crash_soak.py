"""The crash-safety soak in a bounded form: the real `dondoc run` process SIGKILLed 20 times.

bench/soak.py does the work (its docstring says what is sent and how each figure is checked): 10 units
answer and tap while the bot is killed at random moments (three of the kills aimed at the instant a
getUpdates offset would confirm an update not yet handled, two right after Telegram accepted a notice or
reminder, while other sends may be in flight), reminders and new notices fall due, and
the weekly summary comes due during the kills. About 1.5 minutes per backend on an idle 2-core machine.

Asserted: no delivered update lost or stored twice, every slot sent (none recorded without a send), the
weekly summary posted exactly once. A notice or reminder message that Telegram accepted and the bot never
recorded (a kill between the two: the at-least-once window of bot/dispatch.py) is reported as a
SoakWindowWarning with the figures. More such messages from one kill than bot/dispatch.py's IN_FLIGHT,
more marked sending in the database at a kill, or a resend without "(nhắc lại)" fails the test, and so
does any HTTP 429. Slots a killed run had claimed but not sent (`leased_at_end`) go out when their
2-minute lease ends, after this test; bench/soak.py --wait-leases waits for them.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from bench import soak
from tests.support.pg import PgCluster

FIGURES = [
    "--units", "10", "--kills", "20", "--seconds", "30", "--settle", "60", "--aim-confirm", "3", "--aim-send", "2",
]  # fmt: skip


def _problems(r: dict[str, Any]) -> list[str]:
    if "error" in r:
        return [str(r["error"])]
    out = []
    if r["kills"] < 20:
        out.append(f"only {r['kills']} kills: {r['notes']}")
    if r["delivered"] != r["replies_sent"] + r["presses_sent"]:
        out.append(f"{r['replies_sent'] + r['presses_sent'] - r['delivered']} updates never handed out")
    if r["losses"]:
        out.append(f"{r['losses']} delivered updates lost (confirmed, never stored): {r['loss_examples']}")
    if r["unconfirmed_at_end"]:
        out.append(f"{r['unconfirmed_at_end']} delivered updates still unhandled when the soak ended")
    if r["duplicates"] or r["stray_reports"]:
        out.append(f"{r['duplicates']} replies stored twice, {r['stray_reports']} reports of no update")
    if r["unsent"] or r["unmatched"] or r["stray_sends"]:
        out.append(f"slots unsent {r['unsent']}, recorded but never sent {r['unmatched']}, strays {r['stray_sends']}")
    if not r["duplicate_bound_ok"]:
        out.append(
            f"repeats beyond the bound: {r['duplicate_bound']} (unrecorded per kill {r['unrecorded_per_kill']}, "
            f"marked sending per kill {r['marked_sending_per_kill']}, resends without the mark {r['unmarked_repeats']})"
        )
    if r["flood_refused"]:
        out.append(f"{r['flood_refused']} HTTP 429s: the rate budget was exceeded")
    if not r["summary_ok"]:
        out.append(f"weekly summary not posted exactly once: calls {r['summary_calls']}, rows {r['summary_rows']}")
    return out


def _window(r: dict[str, Any]) -> str | None:
    """At-least-once: a kill after Telegram accepted a notice or reminder and before the bot recorded it
    leaves the message unrecorded; its slots go out again when their lease expires. The Bot API has no
    idempotency key, so bot/dispatch.py accepts this over losing a reminder."""
    per_kill, other = r.get("unrecorded_per_kill") or [], r.get("unrecorded_without_kill", 0)
    if not (per_kill or other or r.get("duplicate_sends")):
        return None
    return (
        f"messages Telegram accepted and the bot never recorded: {per_kill} at {len(per_kill)} kills "
        f"(bound {r['in_flight_bound']} per kill), {other} without a kill; {r['repeated_messages']} sent "
        f"again so far; slots: {r['duplicate_sends']} duplicate sends, {r['in_window']} in the window"
    )


async def _soak(url: str, backend: str) -> None:
    result = await soak.run_soak(soak.parse_args(FIGURES), url, backend)
    print(json.dumps(result, ensure_ascii=False))  # the figures, in the log of every run
    problems = _problems(result)
    where = f" (seed {result['seed']}, logs in {result.get('kept')})"
    if (window := _window(result)) is not None:
        # Within the bound (checked in _problems, strictly): reported, not a failure.
        warnings.warn(window + where, SoakWindowWarning, stacklevel=1)
    assert not problems, "; ".join(problems) + where


class SoakWindowWarning(UserWarning):
    """A notice or reminder went out twice because a kill hit the at-least-once window."""


async def test_sqlite_survives_kills(tmp_path: Path) -> None:
    await _soak(f"sqlite+aiosqlite:///{tmp_path / 'soak.sqlite3'}", "sqlite")


@pytest.mark.pg
async def test_postgresql_survives_kills(pg_cluster: PgCluster) -> None:
    await _soak(pg_cluster.url(pg_cluster.create_database()), "pg")
