"""`smup chat` on the same engine; the bot service polling and behind a webhook."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import aiohttp
from aiogram import Bot
from botsupport import FakeTelegram, settings_for
from dbsupport import Clock, open_stage, registry_on

from assistant.settings import Settings
from bot.console import run_console_chat
from bot.dispatcher import build_dispatcher
from bot.service import run_bot
from bot.transport import LOCAL_TOKEN, LocalBotApi, Outgoing, PendingUpdates, Updates

ANSWERS = [
    "tak",
    "nowy targ",
    "2",
    "123-456-32-18",
    "1",
    "ul. Rynek 1, 34-400 Nowy Targ",
    "45",
    "Anna Przykładowa",
    "601 234 567",
    "sekretariat@nowytarg.example.pl",
    "Jan Próbny",
    "online",
    "Edukacja",
    "Wyślij zgłoszenie",
]


async def test_console_chat_registers_a_gmina_in_the_registry(tmp_path: Path) -> None:
    clock = Clock()
    async with registry_on("sqlite", tmp_path, clock) as registry:
        await open_stage(registry, clock, 577)
        settings = Settings(_env_file=None)  # type: ignore[call-arg]
        output = io.StringIO()
        await run_console_chat(registry, settings, io.StringIO("\n".join(ANSWERS) + "\n"), output)
        transcript = output.getvalue()
        assert "Informacja o przetwarzaniu danych osobowych" in transcript
        assert "  1. Zgadzam się" in transcript and "  2. Nie zgadzam się" in transcript
        assert "  2. Nowy Targ (gmina wiejska, powiat nowotarski)" in transcript
        assert "Zgłoszenie nr 1 zostało przyjęte" in transcript
        [application] = await registry.list_applications()
        assert application.channel == "console" and application.teryt == "1211092"

        # The same conversation continues in the next `smup chat`.
        again = io.StringIO()
        await run_console_chat(registry, settings, io.StringIO("/status\n/koniec\n"), again)
        assert "Zgłoszenie nr 1 — Nowy Targ: zakwalifikowana" in again.getvalue()


async def test_console_chat_resumes_a_draft(tmp_path: Path) -> None:
    clock = Clock()
    async with registry_on("sqlite", tmp_path, clock) as registry:
        await open_stage(registry, clock, 577)
        settings = Settings(_env_file=None)  # type: ignore[call-arg]
        await run_console_chat(
            registry, settings, io.StringIO("tak\nnowy targ\n2\n"), io.StringIO()
        )
        output = io.StringIO()
        await run_console_chat(registry, settings, io.StringIO(""), output)
        assert "Witamy ponownie" in output.getvalue()
        assert "Proszę podać NIP jst" in output.getvalue()


def _update(update_id: int, chat: int, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "T", "language_code": "pl"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def test_polling_answers_updates_from_get_updates(tmp_path: Path) -> None:
    server = FakeTelegram()
    await server.start()
    clock = Clock()
    async with registry_on("sqlite", tmp_path, clock) as registry:
        await open_stage(registry, clock, 577)
        task = asyncio.create_task(run_bot(registry, settings_for(server.url)))
        try:
            await server.wait_for(lambda c: c.method == "getUpdates")
            assert any(c.method == "deleteWebhook" for c in server.calls)
            assert any(c.method == "setMyCommands" for c in server.calls)
            server.updates.put_nowait(_update(1, 8001, "/start"))
            reply = await server.wait_for(lambda c: c.method == "sendMessage")
            assert reply.chat_id == 8001 and "Informacja o przetwarzaniu" in reply.text
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await server.stop()


async def test_webhook_mode_checks_the_secret_and_answers(tmp_path: Path) -> None:
    server = FakeTelegram()
    await server.start()
    clock = Clock()
    async with aiohttp.ClientSession() as client:
        probe = aiohttp.web.Application()
        runner = aiohttp.web.AppRunner(probe)
        await runner.setup()
        site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        await runner.cleanup()  # a free port for the bot's webhook server
        url = f"http://127.0.0.1:{port}/telegram"
        async with registry_on("sqlite", tmp_path, clock) as registry:
            await open_stage(registry, clock, 577)
            settings = settings_for(
                server.url,
                webhook_url=url,
                webhook_secret="tajny-sekret",
                webhook_port=port,
            )
            task = asyncio.create_task(run_bot(registry, settings))
            try:
                hook = await server.wait_for(lambda c: c.method == "setWebhook")
                assert hook.params["url"] == url
                assert hook.params["secret_token"] == "tajny-sekret"
                # Telegram allows at most 100 connections to a webhook.
                assert int(hook.params["max_connections"]) == 100
                wrong = await client.post(
                    url,
                    json=_update(2, 8002, "/start"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "zly"},
                )
                assert wrong.status == 401
                right = await client.post(
                    url,
                    json=_update(3, 8003, "/start"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "tajny-sekret"},
                )
                assert right.status == 200
                reply = await server.wait_for(lambda c: c.method == "sendMessage")
                assert reply.chat_id == 8003
                assert not server.sent(8002)
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                await server.stop()


async def test_in_process_api_is_polled_like_telegram(tmp_path: Path) -> None:
    """`LocalBotApi` answers getUpdates from `PendingUpdates` (the benchmark's Telegram):
    the dispatcher polls it, a bounded number of updates in progress, and every chat is
    answered in its own language."""
    sent: list[Outgoing] = []
    everyone = asyncio.Event()

    def deliver(outgoing: Outgoing) -> None:
        sent.append(outgoing)
        if len({o.chat_id for o in sent if o.kind == "message"}) == 30:
            everyone.set()

    pending = PendingUpdates()
    clock = Clock()
    async with registry_on("sqlite", tmp_path, clock) as registry:
        await open_stage(registry, clock, 577)
        dispatcher = build_dispatcher(registry, Settings(_env_file=None))
        bot = Bot(LOCAL_TOKEN, session=LocalBotApi(deliver, pending))
        for chat in range(9101, 9131):
            language = "en" if chat % 2 else "pl"
            pending.put(Updates(bot, chat, language=language).raw_message("/start"))
        polling = asyncio.create_task(
            dispatcher.start_polling(
                bot,
                handle_signals=False,
                close_bot_session=False,
                polling_timeout=1,
                tasks_concurrency_limit=4,
            )
        )
        try:
            await asyncio.wait_for(everyone.wait(), 30)
        finally:
            await dispatcher.stop_polling()
            await polling
        first = {o.chat_id: o.text for o in reversed(sent) if o.kind == "message"}
        assert "Informacja o przetwarzaniu" in first[9102]
        assert "Informacja o przetwarzaniu" not in first[9101]  # English
        assert await pending.take(bot, 100, 0) == []  # all taken
