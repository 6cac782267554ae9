"""The dispatcher: storage, services given to handlers, i18n, the routers in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage

from bot.engine import FormEngine
from bot.i18n import CatalogI18n
from bot.middlewares import ConversationMiddleware
from bot.routers import (
    fallback,
    organiser,
    personal_data,
    questions,
    registration,
    start,
    status,
)
from bot.storage import ChatIsolation, build_storage
from registry.services import Registry
from rules.register import Register, load_register

if TYPE_CHECKING:  # the composition root's settings, for types only
    from assistant.settings import Settings


def build_dispatcher(
    registry: Registry,
    settings: Settings,
    *,
    storage: BaseStorage | None = None,
    events_isolation: BaseEventIsolation | None = None,
    channel: str = "telegram",
    register: Register | None = None,
) -> Dispatcher:
    """Handlers receive `registry`, `settings`, `engine` and `channel` as arguments (the
    dispatcher's workflow data), `conversation` and `lang`/`i18n` from the middlewares."""
    if storage is None:
        storage, events_isolation = build_storage(settings, registry.db)
    dispatcher = Dispatcher(
        storage=storage,
        events_isolation=events_isolation or ChatIsolation(),
        registry=registry,
        settings=settings,
        engine=FormEngine(registry, register or load_register()),
        channel=channel,
    )
    # The conversation and its language, on every event but the raw update.
    ConversationMiddleware(CatalogI18n()).setup(dispatcher)
    # The form first: most updates are its answers, and it takes neither a command but
    # its own nor a question (bot.filters.AnswerText). Questions next: a question typed
    # at any step is answered, whatever the step.
    dispatcher.include_routers(
        registration.build_router(),
        questions.build_router(),
        start.build_router(),
        organiser.build_router(),
        status.build_router(),
        personal_data.build_router(),
        fallback.build_router(),
    )
    return dispatcher
