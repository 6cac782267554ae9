"""Questions about the rules, at any step: answered, then the same step asked again.

The answers come from the FAQ (registry.faq), told what the draft already says about
the asker's case. A question it cannot answer goes to the organisers' chat when one is
configured, and the asker is told so by the FAQ's own hand-over text.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot import texts
from bot.conversation import Conversation
from bot.engine import FormEngine, Reply
from bot.filters import LooksLikeQuestion
from bot.form import planned_count
from bot.replies import answer
from registry.faq import FaqContext, answer_question
from registry.services import Registry
from rules.jst import JstKind

if TYPE_CHECKING:  # the composition root's settings, for types only
    from assistant.settings import Settings

log = logging.getLogger(__name__)


def faq_context(conversation: Conversation) -> FaqContext:
    """What the draft says of the asker's case: headcount, kind of JST, participants."""
    if not conversation.has_draft:
        return FaqContext()
    draft = conversation.draft
    jst = draft.get("jst")
    return FaqContext(
        employees=draft.get("employees"),
        jst_kind=JstKind(jst["kind"]) if jst else None,
        participants=planned_count(draft) or None,
    )


async def _reply_to(
    question: str,
    message: Message,
    conversation: Conversation,
    engine: FormEngine,
    settings: Settings,
    lang: str,
    registry: Registry,
) -> Reply:
    found = answer_question(question, lang=lang, context=faq_context(conversation))
    if found.handed_over:
        # Through the outbox: the organiser's mailbox and the organisers' chat, durably,
        # with the contact the asker has given so far and the chat to answer in.
        draft = conversation.draft if conversation.has_draft else {}
        jst = draft.get("jst") or {}
        contact = {
            "name": draft.get("contact_name"),
            "phone": draft.get("contact_phone"),
            "email": draft.get("contact_email"),
            "telegram_chat": message.chat.id,
        }
        await registry.hand_over_question(
            question,
            key=f"tg-question:{message.chat.id}:{message.message_id}",
            organizer=JstKind(jst["kind"]).organizer.value if jst.get("kind") else None,
            sender=draft.get("contact_email"),
            contact=contact,
            jst_name=jst.get("name"),
        )
        log.info("question handed over to the organisers")
    if conversation.state is None:
        return Reply(found.answer)
    return engine.prompt(conversation, [found.answer, texts.back_to_question()])


def build_router() -> Router:
    router = Router(name="questions")

    @router.message(Command("pytanie", "question"))
    async def ask(
        message: Message,
        command: CommandObject,
        conversation: Conversation,
        engine: FormEngine,
        settings: Settings,
        lang: str,
        registry: Registry,
    ) -> None:
        question = (command.args or "").strip()
        if not question:
            await answer(message, Reply(texts.question_prompt()))
            return
        reply = await _reply_to(question, message, conversation, engine, settings, lang, registry)
        await answer(message, reply)

    @router.message(LooksLikeQuestion())
    async def typed_question(
        message: Message,
        question: str,
        conversation: Conversation,
        engine: FormEngine,
        settings: Settings,
        lang: str,
        registry: Registry,
    ) -> None:
        reply = await _reply_to(question, message, conversation, engine, settings, lang, registry)
        await answer(message, reply)

    return router
