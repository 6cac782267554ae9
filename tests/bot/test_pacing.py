"""Outbound messages stay under Telegram's limits; a 429 is waited out and retried."""

from __future__ import annotations

import asyncio
import itertools
import time

from aiogram import Bot
from botsupport import FakeTelegram, settings_for

from bot.service import build_bot


async def _bot_on(server: FakeTelegram, **limits: float) -> Bot:
    await server.start()
    return build_bot(settings_for(server.url, **limits))


async def test_a_burst_to_many_chats_and_one_chat_stays_under_the_limits() -> None:
    # Telegram's limits, with a tenth of a second's leeway for the jitter of a loaded
    # machine between the pacer's clock and the server's.
    server = FakeTelegram(limits=True, per_second=30, chat_interval=0.9)
    bot = await _bot_on(server, bot_messages_per_second=25, chat_messages_per_second=1)
    try:
        started = time.monotonic()
        many = [bot.send_message(7000 + n, f"wiadomość {n}") for n in range(40)]
        one = [bot.send_message(7999, f"do jednego czatu {n}") for n in range(3)]
        await asyncio.gather(*many, *one)
        elapsed = time.monotonic() - started
    finally:
        await bot.session.close()
        await server.stop()
    assert server.refused == []  # Telegram never had to say "too many"
    assert len(server.sent()) == 43
    same_chat = [c.at for c in server.sent(7999)]
    assert all(b - a >= 0.9 for a, b in itertools.pairwise(same_chat))
    times = sorted(c.at for c in server.sent())
    assert max(sum(1 for t in times if s <= t < s + 1.0) for s in times) <= 30
    assert elapsed >= 1.5  # 43 messages at 25 a second, 3 of them a second apart


async def test_retry_after_is_waited_out_and_the_message_delivered() -> None:
    server = FakeTelegram(retry_after=1)
    bot = await _bot_on(server)
    server.fail_next = 1
    try:
        started = time.monotonic()
        message = await bot.send_message(7100, "po przerwie")
        waited = time.monotonic() - started
    finally:
        await bot.session.close()
        await server.stop()
    assert message.text == "po przerwie"
    assert len(server.refused) == 1 and len(server.sent(7100)) == 1
    assert waited >= 0.95
