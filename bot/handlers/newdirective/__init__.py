"""/newdirective: paste or upload a directive, check and fix the extraction, save.

The registration (bot.domain.draft.Intake) lives in the database, one row per secretary, not in
process memory: it survives a restart, and any instance behind the load balancer can continue it.
Each update of the flow loads the row (one primary-key read, locked), acts and stores it in one
transaction; the replies are sent after the commit. A registration idle for longer than
conversation_timeout_s stops taking messages but is kept for /newdirective to resume.

Button data is "nd|<nonce>|<action>[|args]"; the nonce ties a button to one registration, so a
button of an older one is recognised as stale.
"""

from __future__ import annotations

from bot.handlers.newdirective.leaving import build, cancel, routes
from bot.handlers.newdirective.turn import GROUP, send_timeouts

__all__ = ["GROUP", "build", "cancel", "routes", "send_timeouts"]
