"""One chat's conversation: its FSM state and data, read once per event, written once.

`bot.middlewares.ConversationMiddleware` loads it (after aiogram took the chat's event
lock) and hands it to the handlers as `conversation`; the engine changes it and `save`
writes state and data together, durably, before the reply goes out.
"""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State

from bot.form import Draft, new_draft
from bot.storage import SqlStorage


class Conversation:
    """The FSM state and data of one chat, read once per event and written once."""

    def __init__(self, ctx: FSMContext, state: str | None, data: dict[str, Any]) -> None:
        self.ctx = ctx
        self.state = state
        self.data = data

    @classmethod
    async def load(cls, ctx: FSMContext) -> Conversation:
        return cls(ctx, await ctx.get_state(), await ctx.get_data())

    @property
    def rev(self) -> int:
        return int(self.data.get("rev", 0))

    @property
    def draft(self) -> Draft:
        if "draft" not in self.data:  # not setdefault: it would build a draft every time
            self.data["draft"] = new_draft()
        draft: Draft = self.data["draft"]
        return draft

    @property
    def has_draft(self) -> bool:
        return bool(self.data.get("draft"))

    @property
    def index(self) -> int:
        return int(self.data.get("index", 0))

    async def save(self, state: State | None, index: int = 0) -> None:
        """Writes state and data; the write is durable before any reply is sent."""
        self.data["rev"] = self.rev + 1
        self.data["index"] = index
        self.state = state.state if state is not None else None
        storage = self.ctx.storage
        if isinstance(storage, SqlStorage):
            # State and data in one write: one commit per turn, not two.
            await storage.set_record(self.ctx.key, self.state, self.data)
            return
        await self.ctx.set_state(state)
        await self.ctx.set_data(self.data)
