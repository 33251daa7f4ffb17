"""An in-process fake Telegram Bot API, for the tests and `dondoc demo`. It never touches the network."""

from bot.fakeapi.faults import ApiError, Fault
from bot.fakeapi.models import Call, FakeChat, FakeUser
from bot.fakeapi.request import FakeRequest
from bot.fakeapi.world import FakeTelegram

__all__ = ["ApiError", "Call", "FakeChat", "FakeRequest", "FakeTelegram", "FakeUser", "Fault"]
