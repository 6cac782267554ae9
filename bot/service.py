"""The Telegram bot as a service: polling by default, a webhook (aiohttp) when configured.

Several instances may serve one bot in webhook mode behind a load balancer, sharing
PostgreSQL and Redis (SMUP_REDIS_URL: the conversation state and the per-chat event
lock live there). Every outbound message is paced under Telegram's limits.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import BotCommand
from aiogram.utils.i18n import gettext as _
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.dispatcher import build_dispatcher
from bot.i18n import CatalogI18n
from bot.notifications import TelegramSender
from bot.pacing import Pacing
from bot.storage import build_storage
from locales import LANGUAGES
from registry.outbox import Outbox
from registry.services import Registry

if TYPE_CHECKING:  # the composition root's settings, for types only
    from assistant.settings import Settings

log = logging.getLogger(__name__)


# Allocations between young-generation collections. A bot holds a few hundred thousand
# long-lived objects (aiogram's models, the JST register) and, under a surge, thousands of
# conversations in flight: CPython's default (700) would rescan them ever so often.
GC_THRESHOLDS = (50_000, 20, 50)
# Updates handled at the same moment when polling; the rest wait their turn at Telegram.
# An update spends most of its time waiting for its conversation's group commit, so a
# surge needs a few hundred in progress to keep the processor busy (a hundred left it
# idle a tenth of the time); each costs some 30 kB while it is handled.
UPDATES_AT_ONCE = 250
# The webhook's connections: Telegram's maximum (each update is handled before its
# request is answered, so this bounds the updates in progress of one instance).
WEBHOOK_CONNECTIONS = 100


def tune_garbage_collector() -> None:
    """Freezes what start-up created (never garbage) and collects the young less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def build_bot(settings: Settings) -> Bot:
    """A Bot on settings.telegram_api_url (Telegram's own when empty), paced."""
    if settings.telegram_api_url:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    else:
        session = AiohttpSession()
    session.middleware(Pacing(settings.bot_messages_per_second, settings.chat_messages_per_second))
    return Bot(settings.telegram_token, session=session)


def command_list() -> list[BotCommand]:
    """The command menu, in the current locale."""
    return [
        BotCommand(command="start", description=_("Rozpoczęcie albo kontynuacja zgłoszenia")),
        BotCommand(command="wstecz", description=_("Poprzednie pytanie")),
        BotCommand(command="status", description=_("Stan zgłoszeń i etapu rekrutacji")),
        BotCommand(command="pytanie", description=_("Pytanie o zasady rekrutacji")),
        BotCommand(command="anuluj", description=_("Anulowanie zgłoszenia w toku")),
        BotCommand(command="moje_dane", description=_("Dane zapisane o mnie")),
        BotCommand(command="usun_dane", description=_("Usunięcie moich danych")),
        BotCommand(command="jezyk", description=_("Język rozmowy")),
        BotCommand(command="pomoc", description=_("Pomoc")),
    ]


async def set_commands(bot: Bot) -> None:
    i18n = CatalogI18n()
    with i18n.context():
        for lang in LANGUAGES:
            with i18n.use_locale(lang):
                commands = command_list()
            await bot.set_my_commands(commands, language_code=None if lang == "pl" else lang)


async def run_bot(registry: Registry, settings: Settings) -> None:
    """Runs the bot until cancelled: polling, or a webhook server when configured."""
    tune_garbage_collector()
    bot = build_bot(settings)
    storage, isolation = build_storage(settings, registry.db)
    dispatcher = build_dispatcher(registry, settings, storage=storage, events_isolation=isolation)
    # The outbox's Telegram notifications go through the same paced session.
    notifications = asyncio.create_task(
        TelegramSender(Outbox(registry.db, registry.notifier), bot).run(),
        name="telegram-notifications",
    )
    try:
        await set_commands(bot)
        if settings.webhook_url:
            await _serve_webhook(dispatcher, bot, settings)
        else:
            await bot.delete_webhook(drop_pending_updates=False)
            log.info("Telegram bot: polling")
            await dispatcher.start_polling(
                bot,
                handle_signals=False,
                close_bot_session=False,
                # The rest wait at Telegram, not in our memory (a surge of thousands of
                # chats holds a few hundred updates in progress, not thousands).
                tasks_concurrency_limit=UPDATES_AT_ONCE,
            )
    finally:
        notifications.cancel()
        await asyncio.gather(notifications, return_exceptions=True)
        await dispatcher.fsm.close()
        await bot.session.close()


async def _serve_webhook(dispatcher: Dispatcher, bot: Bot, settings: Settings) -> None:
    path = urlsplit(settings.webhook_url).path or "/"
    app = web.Application()
    # Each update is handled before its request is answered, so Telegram's connection
    # limit (max_connections below) bounds the updates in progress, as polling's limit does.
    SimpleRequestHandler(
        dispatcher=dispatcher,
        bot=bot,
        secret_token=settings.webhook_secret or None,
        handle_in_background=False,
    ).register(app, path=path)
    setup_application(app, dispatcher, bot=bot)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    try:
        # Every instance sets the same webhook: idempotent, and none removes it on exit,
        # so the others keep serving.
        await bot.set_webhook(
            settings.webhook_url,
            secret_token=settings.webhook_secret or None,
            allowed_updates=dispatcher.resolve_used_update_types(),
            max_connections=WEBHOOK_CONNECTIONS,
        )
        log.info(
            "Telegram bot: webhook on %s:%s%s", settings.webhook_host, settings.webhook_port, path
        )
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
