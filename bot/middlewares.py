"""Middlewares: the conversation of the event, and its language.

Services (the registry, settings, the form engine) reach handlers as the dispatcher's
workflow data (see bot.dispatcher); these two add what depends on the event.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.fsm.context import FSMContext
from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18nMiddleware

from bot.conversation import Conversation
from bot.i18n import LANG_KEY, telegram_language
from locales import LANGUAGES

CONVERSATION = "conversation"


class ConversationMiddleware(BaseMiddleware):
    """Gives handlers `conversation`: the chat's state and data, read once."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state: FSMContext | None = data.get("state")
        if state is not None:
            data[CONVERSATION] = Conversation(state, data.get("raw_state"), await state.get_data())
        return await handler(event, data)


class LanguageMiddleware(I18nMiddleware):
    """The locale of every event: the language chosen with /jezyk, else Telegram's.

    Also gives handlers `lang` (for `locales.describe` and dates)."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        conversation: Conversation | None = data.get(CONVERSATION)
        chosen = conversation.data.get(LANG_KEY) if conversation is not None else None
        lang = chosen if chosen in LANGUAGES else telegram_language(data.get("event_from_user"))
        data["lang"] = lang
        return lang


def setup_middlewares(dispatcher: Dispatcher, language: LanguageMiddleware) -> None:
    """The conversation, then its language, on every event."""
    conversation = ConversationMiddleware()
    for name, observer in dispatcher.observers.items():
        if name in {"update", "error"}:
            continue
        observer.outer_middleware(conversation)
    language.setup(dispatcher)
