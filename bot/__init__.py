"""dondoc: a Telegram bot that follows up on official directives."""

import os

__version__ = "0.1.0"

# PTB 22's non-deprecated time periods: RetryAfter.retry_after (and every other period) is a
# timedelta, without the deprecation warning the int form gives on each 429. PTB reads the
# variable on every access, so setting it here, before anything of ours runs, covers the process.
os.environ["PTB_TIMEDELTA"] = "true"
