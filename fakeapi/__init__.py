"""An in-process fake Telegram Bot API, for the tests and `dondoc demo`. It never touches the network."""

from fakeapi.faults import ApiError, Fault
from fakeapi.models import Call, FakeChat, FakeUser
from fakeapi.request import FakeRequest
from fakeapi.world import FakeTelegram

__all__ = ["ApiError", "Call", "FakeChat", "FakeRequest", "FakeTelegram", "FakeUser", "Fault"]
