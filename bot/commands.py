"""The command catalog: one list feeds /help and the per-scope command menus."""

from __future__ import annotations

from dataclasses import dataclass

from bot import texts
from bot.domain.enums import Role
from bot.texts import files as texts_files

STAFF = frozenset({Role.ADMIN, Role.SECRETARY})
READERS = frozenset({Role.ADMIN, Role.SECRETARY, Role.LEADER})
EVERYONE: frozenset[Role | None] = frozenset({None, *Role})
ADMINS: frozenset[Role | None] = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class CommandSpec:
    name: str
    description: str
    roles: frozenset[Role | None] = EVERYONE
    private: bool = True
    group: bool = False


CATALOG: tuple[CommandSpec, ...] = (
    CommandSpec("start", texts.CMD_START),
    CommandSpec("help", texts.CMD_HELP, group=True),
    CommandSpec("whoami", texts.CMD_WHOAMI),
    CommandSpec("newdirective", texts.CMD_NEWDIRECTIVE, roles=STAFF),
    CommandSpec("directives", texts.CMD_DIRECTIVES, roles=READERS),
    CommandSpec("directive", texts.CMD_DIRECTIVE, roles=READERS),
    CommandSpec("cancel", texts.CMD_CANCEL, roles=STAFF),
    CommandSpec("remind", texts.CMD_REMIND, roles=STAFF),
    # Any member of a bound group; in private, unit contacts (the handler names the unit or says why not).
    CommandSpec("mytasks", texts.CMD_MYTASKS, group=True),
    CommandSpec("report", texts.CMD_REPORT, group=True),
    CommandSpec("summary", texts.CMD_SUMMARY, roles=READERS),
    CommandSpec("stats", texts.CMD_STATS, roles=READERS),
    CommandSpec("export", texts.CMD_EXPORT, roles=READERS),
    CommandSpec("baocao", texts_files.CMD_BAOCAO, roles=READERS),
    CommandSpec("invite", texts.CMD_INVITE, roles=ADMINS),
    CommandSpec("units", texts.CMD_UNITS, roles=READERS),
    CommandSpec("unit", texts.CMD_UNIT, roles=ADMINS),
    CommandSpec("unbind", texts.CMD_UNBIND, roles=ADMINS, group=True),
    CommandSpec("grant", texts.CMD_GRANT, roles=ADMINS),
    CommandSpec("revoke", texts.CMD_REVOKE, roles=ADMINS),
    CommandSpec("people", texts.CMD_PEOPLE, roles=ADMINS),
    CommandSpec("audit", texts.CMD_AUDIT, roles=ADMINS),
)
SPECS: dict[str, CommandSpec] = {c.name: c for c in CATALOG}


def visible(role: Role | None, *, in_group: bool) -> list[CommandSpec]:
    return [c for c in CATALOG if (c.group if in_group else c.private) and role in c.roles]
