"""Every user-facing string, in Vietnamese, by feature. Values interpolated into HTML must be escaped
by callers through `esc()`; the templates themselves are trusted HTML. `from bot import texts` sees all."""

from bot.texts.common import *  # noqa: F403
from bot.texts.intake import *  # noqa: F403
from bot.texts.operator import *  # noqa: F403
from bot.texts.reminders import *  # noqa: F403
from bot.texts.reports import *  # noqa: F403
from bot.texts.roles import *  # noqa: F403
from bot.texts.summary import *  # noqa: F403
from bot.texts.units import *  # noqa: F403
