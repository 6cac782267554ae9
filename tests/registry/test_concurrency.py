"""Zasady rekrutacji pkt 7 under load: exact first-come order, never more than the places."""

from __future__ import annotations

import asyncio
from itertools import islice

from dbsupport import Clock, document_for, entries, open_stage

from registry.services import Registry
from rules.recruitment import Status


async def test_7_concurrent_submissions_keep_order_and_capacity(
    registry: Registry, clock: Clock
) -> None:
    await open_stage(registry, clock, capacity=40)
    jst = list(islice(entries(), 160))
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(jst)):
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            result = await registry.submit(document_for(jst[i], i))
            assert result.accepted, result.violations

    await asyncio.gather(*(worker() for _ in range(32)))
    apps = await registry.list_applications()
    assert [a.number for a in apps] == list(range(1, 161))
    assert [a.status for a in apps] == [Status.QUALIFIED] * 40 + [Status.RESERVE] * 120
    assert [a.reserve_position for a in apps[40:]] == list(range(1, 121))
    (stage,) = await registry.list_stages()
    assert (stage.qualified, stage.reserve) == (40, 120)


async def test_2_same_jst_from_many_chats_gives_one_application(
    registry: Registry, clock: Clock
) -> None:
    await open_stage(registry, clock, capacity=40)
    (jst,) = islice(entries(), 1)
    results = await asyncio.gather(*(registry.submit(document_for(jst, i)) for i in range(24)))
    accepted = [r for r in results if r.accepted]
    assert len(accepted) == 1
    assert {v.code.value for r in results if not r.accepted for v in r.violations} == {
        "already_registered"
    }
    # Each refused chat is told the number the JST's application really has.
    number = accepted[0].application.number  # type: ignore[union-attr]
    assert {v.params["number"] for r in results if not r.accepted for v in r.violations} == {number}


async def test_concurrent_withdrawals_never_overfill_a_stage(
    registry: Registry, clock: Clock
) -> None:
    stage_id = await open_stage(registry, clock, capacity=10)
    jst = list(islice(entries(), 30))
    for i, entry in enumerate(jst):
        assert (await registry.submit(document_for(entry, i))).accepted
    results = await asyncio.gather(*(registry.withdraw(n, actor="test") for n in range(1, 11)))
    promoted = sorted(r.promoted.number for r in results if r.promoted)
    assert promoted == list(range(11, 21))
    (stage,) = [s for s in await registry.list_stages() if s.id == stage_id]
    assert (stage.qualified, stage.reserve) == (10, 10)
