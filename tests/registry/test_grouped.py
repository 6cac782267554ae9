"""Calls grouped as they arrive (registry.grouped): the registry, the mail store and the
bot's storage rely on these guarantees."""

from __future__ import annotations

import asyncio

import pytest

from registry.grouped import GroupedCalls


class Doubler:
    """Doubles numbers, one group at a time; records the groups it was given."""

    def __init__(self) -> None:
        self.groups: list[list[int]] = []

    async def __call__(self, items: list[int]) -> list[int | BaseException]:
        self.groups.append(items)
        await asyncio.sleep(0)  # a query or a commit
        return [ValueError(n) if n < 0 else n * 2 for n in items]


async def test_a_lone_call_is_handled_at_once() -> None:
    doubler = Doubler()
    calls = GroupedCalls(doubler)
    assert await calls(4) == 8
    assert doubler.groups == [[4]]


async def test_calls_arriving_meanwhile_are_handled_together_in_arrival_order() -> None:
    doubler = Doubler()
    calls = GroupedCalls(doubler)
    first = asyncio.ensure_future(calls(0))
    await asyncio.sleep(0)  # the first call's group is being handled
    results = await asyncio.gather(*(calls(n) for n in range(1, 10)))
    assert await first == 0 and results == [n * 2 for n in range(1, 10)]
    # The nine that came while the first was handled make one group, in their order.
    assert doubler.groups == [[0], list(range(1, 10))]


async def test_a_group_takes_at_most_most_items() -> None:
    doubler = Doubler()
    calls = GroupedCalls(doubler, most=4)
    await asyncio.gather(*(calls(n) for n in range(11)))
    assert [len(group) for group in doubler.groups] == [4, 4, 3]
    assert [n for group in doubler.groups for n in group] == list(range(11))


async def test_an_item_refused_fails_its_caller_alone() -> None:
    calls = GroupedCalls(Doubler())
    results = await asyncio.gather(calls(1), calls(-1), calls(3), return_exceptions=True)
    assert results[0] == 2 and results[2] == 6
    assert isinstance(results[1], ValueError)


async def test_a_failed_group_fails_its_callers_and_the_next_group_still_runs() -> None:
    seen: list[list[int]] = []

    async def handle(items: list[int]) -> list[int]:
        seen.append(items)
        await asyncio.sleep(0)
        if 0 in items:
            raise RuntimeError("the database is gone")
        return items

    calls = GroupedCalls(handle)
    first = asyncio.ensure_future(calls(0))
    await asyncio.sleep(0)  # the first group is being handled
    later = asyncio.ensure_future(calls(5))
    with pytest.raises(RuntimeError):
        await first
    assert await later == 5
    assert seen == [[0], [5]]


async def test_a_caller_that_stops_waiting_does_not_stop_its_group() -> None:
    doubler = Doubler()
    calls = GroupedCalls(doubler)
    first = asyncio.ensure_future(calls(1))
    await asyncio.sleep(0)
    gone = asyncio.ensure_future(calls(2))
    kept = asyncio.ensure_future(calls(3))
    await asyncio.sleep(0)
    gone.cancel()
    assert await first == 2 and await kept == 6
    assert doubler.groups == [[1], [2, 3]]  # 2 was handled all the same
    await calls.drain()


async def test_drain_waits_for_every_call_made() -> None:
    done: list[int] = []

    async def handle(items: list[int]) -> list[None]:
        await asyncio.sleep(0.01)
        done.extend(items)
        return [None] * len(items)

    calls = GroupedCalls(handle)
    waiting = [asyncio.ensure_future(calls(n)) for n in range(3)]
    await asyncio.sleep(0)
    await calls.drain()
    assert sorted(done) == [0, 1, 2]
    assert all(call.done() for call in waiting)
