"""Calls grouped as they arrive: one read or one transaction for all the callers waiting.

A surge (a stage opening, a mail server delivering a queue) brings many callers at
once. Each would cost a query or a commit of its own; grouped, the callers that arrive
while a group is being handled wait and are handled together as the next group. No
timer, no added latency: a lone caller is handled at once.

Used by the registry (eligibility checks read together, submissions committed together
in arrival order), the mail store (arrivals committed together) and the bot's storage
(conversations read and written together).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


class GroupedCalls(Generic[In, Out]):
    """`await calls(item)` → the item's result, handled in a group with the items that
    arrived meanwhile, in arrival order.

    `handle(items)` returns one result per item (or an exception for that item); if it
    raises, every caller of that group gets the error. A caller that stops waiting
    (cancelled) loses only its result: its group is handled all the same.
    """

    def __init__(
        self,
        handle: Callable[[list[In]], Awaitable[Sequence[Out | BaseException]]],
        *,
        most: int | None = None,
    ) -> None:
        self._handle = handle
        self._most = most  # items in one group at the most; None: all that wait
        self._waiting: list[tuple[In, asyncio.Future[Out]]] = []
        self._task: asyncio.Task[None] | None = None

    async def __call__(self, item: In) -> Out:
        future: asyncio.Future[Out] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        # The caller's own future: cancelling the caller cancels only its wait.
        return await future

    async def _run(self) -> None:
        while self._waiting:
            if self._most is None or len(self._waiting) <= self._most:
                group, self._waiting = self._waiting, []
            else:
                group = self._waiting[: self._most]
                del self._waiting[: self._most]
            results: Sequence[Out | BaseException]
            try:
                results = await self._handle([item for item, _ in group])
            except Exception as exc:
                results = [exc] * len(group)
            settle([future for _, future in group], results)

    async def drain(self) -> None:
        """Waits until every call made so far has been handled."""
        while self._task is not None and not self._task.done():
            await self._task


def settle(futures: Sequence[asyncio.Future[Out]], results: Sequence[Out | BaseException]) -> None:
    """Tells each waiting caller its own result (or error); a caller that stopped
    waiting is skipped."""
    for future, result in zip(futures, results, strict=True):
        if future.done():
            continue
        if isinstance(result, BaseException):
            future.set_exception(result)
        else:
            future.set_result(result)
