"""The middleware of every event: its conversation, and its language.

Services (the registry, settings, the form engine) reach handlers as the dispatcher's
workflow data (see bot.dispatcher); this adds what depends on the event. One middleware
for both: the language chosen with /jezyk lives in the conversation, and every layer
of middleware costs each update a wrapper.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware

from bot.conversation import Conversation
from bot.i18n import LANG_KEY, telegram_language
from locales import LANGUAGES

CONVERSATION = "conversation"


class ConversationMiddleware(I18nMiddleware):
    """Gives handlers `conversation` (the chat's state and data, read once), `lang`, and
    the locale of the event: the language chosen with /jezyk, else Telegram's."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        # I18nMiddleware.__call__, with the two context variables set and reset directly
        # rather than through two generator-based context managers on every update.
        i18n = self.i18n
        lang = await self.get_locale(event=event, data=data)
        if self.i18n_key:
            data[self.i18n_key] = i18n
        data[self.middleware_key] = self
        i18n_token = I18n.set_current(i18n)
        locale_token = i18n.ctx_locale.set(lang)
        try:
            return await handler(event, data)
        finally:
            i18n.ctx_locale.reset(locale_token)
            I18n.reset_current(i18n_token)

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        state: FSMContext | None = data.get("state")
        chosen = None
        if state is not None:
            conversation = Conversation(state, data.get("raw_state"), await state.get_data())
            data[CONVERSATION] = conversation
            chosen = conversation.data.get(LANG_KEY)
        lang = chosen if chosen in LANGUAGES else telegram_language(data.get("event_from_user"))
        data["lang"] = lang
        return lang
