"""/status: the chat's applications, the application in progress and the stage."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot import texts
from bot.conversation import Conversation
from bot.engine import FormEngine, Reply
from bot.replies import answer
from registry.services import Registry
from registry.views import ApplicationView, RegistryError


async def chat_applications(
    registry: Registry, conversation: Conversation
) -> list[ApplicationView]:
    """The applications submitted from this chat (their numbers are kept in its data)."""
    found = []
    for number in conversation.data.get("applications", []):
        try:
            found.append(await registry.get(int(number)))
        except RegistryError:
            continue
    return found


def build_router() -> Router:
    router = Router(name="status")

    @router.message(Command("status"))
    async def status(
        message: Message, conversation: Conversation, engine: FormEngine, registry: Registry
    ) -> None:
        applications = await chat_applications(registry, conversation)
        lines = [texts.application_line(app) for app in applications] or [texts.no_applications()]
        if engine.in_form(conversation):
            following = engine.next_question_label(conversation)
            jst = engine.draft_jst(conversation)
            if following is None:
                lines.append(texts.draft_status_summary(jst))
            else:
                lines.append(texts.draft_status(jst, following))
        stage = await registry.current_stage()
        upcoming = None
        if stage is None:
            now = registry.now()
            upcoming = next((s for s in await registry.list_stages() if s.opens_at > now), None)
        lines.append(texts.stage_line(stage, upcoming))
        await answer(message, Reply("\n\n".join(lines)))

    return router
