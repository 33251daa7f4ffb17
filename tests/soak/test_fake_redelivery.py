"""The soak counts on the fake keeping updates as Telegram does: handed out again until confirmed.

Telegram drops an update only when a getUpdates asks for an offset above its id. Handing it out, or a
client that vanishes in the middle of a long poll, changes nothing.
"""

from __future__ import annotations

import asyncio
import json

from fakeapi.models import JSONDict
from fakeapi.server import FakeBotApiServer
from fakeapi.world import FakeTelegram


async def _get_updates(server: FakeBotApiServer, **params: object) -> list[JSONDict]:
    """One raw getUpdates over HTTP, on a connection of its own."""
    reader, writer = await asyncio.open_connection(server.host, server.port)
    body = json.dumps(params).encode()
    writer.write(
        f"POST /bot{server.world.token}/getUpdates HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    await writer.wait_closed()
    answer = json.loads(raw.split(b"\r\n\r\n", 1)[1])
    assert answer["ok"], answer
    return list(answer["result"])


async def test_updates_stay_until_an_offset_confirms_them() -> None:
    world = FakeTelegram()
    user = world.user("Lan")
    chat = world.private(user)
    async with FakeBotApiServer(world) as server:
        first = [world.send_text(user, chat, f"báo cáo {i}")["update_id"] for i in range(3)]
        handed = await _get_updates(server)
        assert [u["update_id"] for u in handed] == first
        # Handed out is not confirmed: a restarted poller (offset 0) gets all three again.
        assert [u["update_id"] for u in await _get_updates(server)] == first
        # An offset confirms everything below it, and only that.
        assert [u["update_id"] for u in await _get_updates(server, offset=first[1])] == first[1:]
        assert [u["update_id"] for u in await _get_updates(server)] == first[1:]


async def test_a_client_gone_mid_poll_loses_nothing() -> None:
    world = FakeTelegram()
    user = world.user("Minh")
    chat = world.private(user)
    async with FakeBotApiServer(world, hold_timeout=2.0) as server:
        _reader, writer = await asyncio.open_connection(server.host, server.port)
        body = b'{"timeout": 5}'
        writer.write(
            f"POST /bot{world.token}/getUpdates HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        await server.wait_for_call("getUpdates")
        writer.close()  # the poller is killed while its long poll waits
        await writer.wait_closed()
        await asyncio.sleep(0.1)
        sent = world.send_text(user, chat, "đã hoàn thành")["update_id"]
        assert [u["update_id"] for u in await _get_updates(server)] == [sent]
