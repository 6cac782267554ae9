"""`smup run`: prepares the registry and runs every channel until stopped."""

from __future__ import annotations

import asyncio
import logging

from rich.console import Console

from assistant.services import email_sender, gateway, lifecycle_config, open_registry
from assistant.settings import Settings
from bot.service import run_bot
from locales import format_when, gettext
from registry.lifecycle import Lifecycle
from rules._marker import N_

log = logging.getLogger(__name__)


async def serve(settings: Settings, console: Console) -> None:
    # aiosmtpd logs every envelope address at INFO: personal data stays out of the log.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    async with open_registry(settings) as registry:
        stage = await registry.current_stage()
        if stage is not None:
            console.print(
                gettext(N_("Etap „{name}” otwarty do {closes}; wolnych miejsc: {left}.")).format(
                    name=stage.name, closes=format_when(stage.closes_at), left=stage.places_left
                )
            )
        else:
            console.print(gettext(N_("Żaden etap rekrutacji nie jest teraz otwarty.")))
        console.print(
            gettext(N_("Baza danych: {url}")).format(
                url=registry.db.writer.url.render_as_string(hide_password=True)
            )
        )
        smtp = gateway(registry, settings)
        await smtp.start()
        console.print(
            gettext(N_("Bramka poczty przychodzącej (SMTP): {host}:{port}.")).format(
                host=smtp.host, port=smtp.port
            )
        )
        sender = email_sender(registry, settings)
        if sender.relay is None:
            console.print(
                gettext(
                    N_(
                        "Poczta wychodząca trafia do katalogu {path} "
                        "(brak serwera SMTP w ustawieniach)."
                    )
                ).format(path=settings.maildir.resolve())
            )
        tasks = [
            asyncio.create_task(smtp.run_processor(), name="mail-processor"),
            asyncio.create_task(sender.run(), name="email-sender"),
            asyncio.create_task(
                run_lifecycle(Lifecycle(registry, lifecycle_config(settings))), name="lifecycle"
            ),
        ]
        if settings.telegram_token:
            tasks.append(asyncio.create_task(run_bot(registry, settings), name="telegram-bot"))
        else:
            console.print(
                gettext(
                    N_(
                        "Telegram: brak tokenu bota (SMUP_TELEGRAM_TOKEN), więc bot nie działa. "
                        "Token wydaje @BotFather w Telegramie (polecenie /newbot). "
                        "Bez Telegrama rozmowę można wypróbować w terminalu: smup chat."
                    )
                )
            )
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await smtp.stop()


async def run_lifecycle(lifecycle: Lifecycle, every_seconds: float = 60.0) -> None:
    """Reminders, deadlines and stage closings: one idempotent pass a minute."""
    while True:
        try:
            report = await lifecycle.tick()
            if report.queued:
                log.info("lifecycle queued %d notifications", len(report.queued))
        except Exception:
            log.exception("lifecycle pass failed")
        await asyncio.sleep(every_seconds)
