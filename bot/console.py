"""`smup chat`: the same dispatcher and handlers, with the terminal as the chat.

Each input line is a message from the user; what the assistant sends is printed, buttons
as numbered options. An option is chosen by typing its number or its label — exactly as
a Telegram user may type instead of tapping. The conversation is kept in the same
storage as the bot's, so closing the terminal and running `smup chat` again continues at
the same question.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, TextIO

from aiogram import Bot

from bot.dispatcher import build_dispatcher
from bot.storage import build_storage
from bot.transport import LOCAL_TOKEN, LocalBotApi, Outgoing, Updates
from registry.services import Registry

if TYPE_CHECKING:  # the composition root's settings, for types only
    from assistant.settings import Settings

# The terminal's chat: one user, their own conversation in the shared storage.
CONSOLE_CHAT_ID = 1
QUIT = frozenset({"/koniec", "/exit", "/quit"})


class ConsolePrinter:
    """Prints what the bot sends, the buttons numbered."""

    def __init__(self, output: TextIO) -> None:
        self.output = output

    def show(self, outgoing: Outgoing) -> None:
        if outgoing.kind == "message":
            self._print(outgoing.text, outgoing.buttons)
        elif outgoing.kind == "notice":
            self._print(f"({outgoing.text})", [])
        elif outgoing.kind == "document":
            self._print(f"[{outgoing.filename}, {len(outgoing.content)} B] {outgoing.text}", [])
        # Edits only mark a tapped message as answered; the terminal has no taps.

    def _print(self, text: str, buttons: list[list[tuple[str, str]]]) -> None:
        lines = ["", text]
        numbered = [label for row in buttons for label, _data in row]
        lines += [f"  {number}. {label}" for number, label in enumerate(numbered, 1)]
        self.output.write("\n".join(lines) + "\n")
        self.output.flush()

    def prompt(self) -> None:
        self.output.write("> ")
        self.output.flush()


async def run_console_chat(
    registry: Registry, settings: Settings, input_stream: TextIO, output_stream: TextIO
) -> None:
    """Runs the conversation on the terminal until the input ends or /koniec."""
    printer = ConsolePrinter(output_stream)
    bot = Bot(LOCAL_TOKEN, session=LocalBotApi(printer.show))
    storage, isolation = build_storage(settings, registry.db)
    dispatcher = build_dispatcher(
        registry, settings, storage=storage, events_isolation=isolation, channel="console"
    )
    user = Updates(bot, CONSOLE_CHAT_ID)
    try:
        await dispatcher.feed_update(bot, user.message("/start"))
        while True:
            printer.prompt()
            line = await asyncio.to_thread(input_stream.readline)
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            if text.lower() in QUIT:
                break
            await dispatcher.feed_update(bot, user.message(text))
    finally:
        output_stream.write("\n")
        output_stream.flush()
        await dispatcher.fsm.close()
        await bot.session.close()
