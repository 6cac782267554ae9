"""The registration form: answers typed or tapped, /wstecz, /anuluj."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message

from bot import texts
from bot.callbacks import CancelAnswer, FormAnswer
from bot.conversation import Conversation
from bot.engine import AsideAction, FormEngine, Reply, Sender
from bot.filters import AnswerText
from bot.form import Option
from bot.replies import answer, answer_tap
from bot.states import Aside, Form


def _sender(event: Message | CallbackQuery, channel: str) -> Sender:
    user_id = event.from_user.id if event.from_user else 0
    if isinstance(event, CallbackQuery):
        chat_id = event.message.chat.id if event.message else user_id
    else:
        chat_id = event.chat.id
    return Sender(chat_id=chat_id, user_id=user_id, channel=channel)


def build_router() -> Router:
    router = Router(name="registration")

    # --- answers: first, as most updates are answers (a question is no answer) --------

    @router.callback_query(FormAnswer.filter())
    async def tapped(
        query: CallbackQuery,
        callback_data: FormAnswer,
        conversation: Conversation,
        engine: FormEngine,
        channel: str,
    ) -> None:
        reply = await engine.choose(conversation, callback_data, _sender(query, channel))
        await answer_tap(query, reply)

    @router.message(StateFilter(Form), AnswerText())
    async def typed(
        message: Message, text: str, conversation: Conversation, engine: FormEngine, channel: str
    ) -> None:
        await answer(message, await engine.answer(conversation, text, _sender(message, channel)))

    @router.message(Command("wstecz", "back"))
    async def back(message: Message, conversation: Conversation, engine: FormEngine) -> None:
        await answer(message, await engine.back(conversation))

    # --- cancelling the application in progress --------------------------------------

    @router.message(Command("anuluj", "cancel"))
    async def cancel(message: Message, conversation: Conversation, engine: FormEngine) -> None:
        if not engine.in_form(conversation) and not (conversation.state == Aside.cancel.state):
            await answer(message, Reply(texts.no_form()))
            return
        await answer(message, await engine.enter_aside(conversation, "cancel"))

    def cancelling(engine: FormEngine) -> AsideAction:
        async def act(conversation: Conversation, option: Option) -> Reply:
            if option.value == "yes":
                return await engine.cancel_form(conversation)
            return await engine.leave_aside(conversation)

        return act

    @router.message(StateFilter(Aside.cancel), AnswerText())
    async def cancel_typed(
        message: Message, text: str, conversation: Conversation, engine: FormEngine
    ) -> None:
        await answer(
            message, await engine.aside(conversation, "cancel", cancelling(engine), text=text)
        )

    @router.callback_query(CancelAnswer.filter())
    async def cancel_tapped(
        query: CallbackQuery,
        callback_data: CancelAnswer,
        conversation: Conversation,
        engine: FormEngine,
    ) -> None:
        reply = await engine.aside(conversation, "cancel", cancelling(engine), pick=callback_data)
        await answer_tap(query, reply)

    return router
