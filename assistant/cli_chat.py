"""`smup chat`: the registration conversation in the terminal (no Telegram needed).

The same dispatcher and handlers as the Telegram bot, on the same database: an
application made here shows in `smup admin applications list`.
"""

from __future__ import annotations

import asyncio
import sys

from assistant.services import open_registry
from assistant.settings import Settings


def chat() -> None:
    """Rozmowa z asystentem w terminalu: zgłoszenie jst bez Telegrama."""
    from bot.console import run_console_chat

    settings = Settings()

    async def converse() -> None:
        async with open_registry(settings) as registry:
            await run_console_chat(registry, settings, sys.stdin, sys.stdout)

    try:
        asyncio.run(converse())
    except KeyboardInterrupt:
        sys.stdout.write("\n")
