"""Outbound messages paced under Telegram's limits, retried when Telegram asks to wait.

Telegram allows a bot about 30 messages a second in all and 1 a second in one chat
(DESIGN.md, Runtime). Both limiters hold one token: at most one message in each
interval, so no burst can exceed the limit in any one-second window. When Telegram
still answers 429, the request waits `retry_after` seconds and is sent again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import (
    CopyMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    ForwardMessage,
    Response,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiolimiter import AsyncLimiter

log = logging.getLogger(__name__)

# A new message in a chat: counted for the chat and for the bot.
SENDING = (SendMessage, SendDocument, SendPhoto, CopyMessage, ForwardMessage)
# Changes to a message already sent: counted for the bot only.
EDITING = (EditMessageText, EditMessageReplyMarkup, EditMessageCaption)


class Pacing(BaseRequestMiddleware):
    def __init__(
        self,
        messages_per_second: float,
        chat_messages_per_second: float,
        *,
        retries: int = 5,
        max_chats: int = 10_000,
    ) -> None:
        self.bot_limiter = AsyncLimiter(1, 1 / messages_per_second)
        self.chat_interval = 1 / chat_messages_per_second
        self.retries = retries
        self.max_chats = max_chats
        self._chats: OrderedDict[Any, AsyncLimiter] = OrderedDict()

    def _chat_limiter(self, chat_id: Any) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            limiter = self._chats[chat_id] = AsyncLimiter(1, self.chat_interval)
            while len(self._chats) > self.max_chats:
                # The least recently used chat has waited long enough to have a full token.
                self._chats.popitem(last=False)
        self._chats.move_to_end(chat_id)
        return limiter

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        paced = isinstance(method, SENDING + EDITING)
        attempt = 0
        while True:
            if paced:
                # The chat's turn last, right before sending: waiting for the bot's turn
                # after it could bunch two messages to one chat together.
                await self.bot_limiter.acquire()
                if isinstance(method, SENDING):
                    await self._chat_limiter(getattr(method, "chat_id", None)).acquire()
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                attempt += 1
                if attempt > self.retries:
                    raise
                log.warning(
                    "Telegram asked to wait %s s before %s", exc.retry_after, method.__api_method__
                )
                await asyncio.sleep(exc.retry_after)
