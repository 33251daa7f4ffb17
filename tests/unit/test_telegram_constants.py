"""Telegram's limits come from PTB's constants; the pure domain keeps its own copy, checked here."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram.constants import InlineKeyboardButtonLimit, MessageLimit
from telegram.error import RetryAfter

import bot  # noqa: F401  (opts in to PTB's timedelta periods)
from bot.domain.callbacks import MAX_DATA_BYTES
from bot.textsplit import LIMIT


def test_the_domain_s_callback_limit_is_telegram_s() -> None:
    # The domain imports no telegram; its copy of the limit must still be Telegram's.
    assert MAX_DATA_BYTES == InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
    assert LIMIT == MessageLimit.MAX_TEXT_LENGTH


def test_retry_after_is_a_timedelta_without_a_deprecation_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert RetryAfter(7).retry_after == timedelta(seconds=7)
