"""dondoc: a Telegram bot that follows up on official directives."""

__version__ = "0.1.0"
