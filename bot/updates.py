"""The update types the bot asks Telegram for; Telegram keeps the last list it was sent, so always send it."""

from __future__ import annotations

from typing import Final

ALLOWED_UPDATES: Final = ["message", "edited_message", "callback_query", "my_chat_member"]
