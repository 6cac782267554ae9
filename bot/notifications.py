"""The outbox's Telegram notifications: the applicant's chat and the organisers' chat.

The bot's session paces every request under Telegram's limits (bot.pacing), so this
sender only claims due rows, renders each kind from `templates/telegram/<lang>/`, sends
it, and marks it sent; a failure waits for its backoff like an e-mail does.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramNetworkError
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from locales import format_when, gettext
from registry.outbox import Channel, Notification, Outbox
from rules.areas import parse_area

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates" / "telegram"
# Telegram caps a message at 4,096 characters.
MAX_TEXT = 4000

_ENVIRONMENTS: dict[str, Environment] = {}


def _environment(lang: str) -> Environment:
    if lang not in _ENVIRONMENTS:
        env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=False,  # plain text: messages are sent without a parse mode
            undefined=StrictUndefined,
            keep_trailing_newline=False,
        )
        env.filters.update(
            when=lambda iso: format_when(
                iso if isinstance(iso, datetime) else datetime.fromisoformat(iso), lang
            ),
            area_label=lambda value: (
                gettext(area.label, lang) if (area := parse_area(value)) else value
            ),
        )
        _ENVIRONMENTS[lang] = env
    return _ENVIRONMENTS[lang]


def render_telegram(kind: str, context: dict[str, Any], lang: str = "pl") -> str:
    """The message for a notification kind (Polish when there is none in the language)."""
    lang = lang if (TEMPLATES / lang / f"{kind}.j2").exists() else "pl"
    template = _environment(lang).get_template(f"{lang}/{kind}.j2")
    text = template.render(**context).strip()
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


class TelegramSender:
    def __init__(
        self,
        outbox: Outbox,
        bot: Bot,
        *,
        give_up_after: timedelta = timedelta(hours=48),
        batch: int = 30,
    ) -> None:
        self.outbox = outbox
        self.bot = bot
        self.give_up_after = give_up_after
        self.batch = batch

    async def send_due(self) -> int:
        delivered = 0
        while notifications := await self.outbox.claim(Channel.TELEGRAM, self.batch):
            sent: list[int] = []
            for notification in notifications:
                error = await self._send(notification)
                if error is None:
                    sent.append(notification.id)
                else:
                    await self.outbox.mark_failed(
                        notification, error, give_up_after=self.give_up_after
                    )
            await self.outbox.mark_sent(sent)
            delivered += len(sent)
            if not sent:
                break  # Telegram is unreachable: wait for the next round
        return delivered

    async def _send(self, notification: Notification) -> str | None:
        """None when delivered, else why not."""
        try:
            text = render_telegram(notification.kind, notification.context, notification.lang)
        except Exception as exc:
            log.exception("rendering Telegram notification %s failed", notification.id)
            return f"render: {exc}"
        if not text:
            return None  # nothing to say in this channel (e.g. an address the chat lacks)
        try:
            await self.bot.send_message(int(notification.recipient), text)
        except (TelegramForbiddenError, TelegramBadRequest) as exc:
            # The user blocked the bot or left: retrying will not help, and the organiser
            # learns of it when the notification is given up.
            log.warning("Telegram refused notification %s: %s", notification.id, exc.message)
            return f"refused: {exc.message}"
        except (TimeoutError, TelegramNetworkError, OSError) as exc:
            return f"network: {exc}"
        return None

    async def run(self, poll_seconds: float = 2.0) -> None:
        while True:
            try:
                await self.send_due()
            except Exception:
                log.exception("sending Telegram notifications failed")
            await asyncio.sleep(poll_seconds)
