"""Zasady rekrutacji pkt 3–7, Informacje podstawowe pkt 2–3: the registry's use cases."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from itertools import islice

import pytest
from dbsupport import Clock, document_for, entries, open_stage
from sqlalchemy import event

from registry.services import Registry
from registry.views import RegistryError
from rules.recruitment import Status


def first(n: int) -> list:
    return list(islice(entries(), n))


async def submit_all(registry: Registry, n: int, start: int = 0) -> list:
    jst = list(islice(entries(), start, start + n))
    return [await registry.submit(document_for(e, start + i)) for i, e in enumerate(jst)]


async def test_7_first_come_order_then_5_reserve_list(registry: Registry, clock: Clock) -> None:
    await open_stage(registry, clock, capacity=3)
    results = await submit_all(registry, 5)
    assert all(r.accepted for r in results)
    apps = [r.application for r in results]
    assert [a.number for a in apps] == [1, 2, 3, 4, 5]
    assert [a.status for a in apps] == [Status.QUALIFIED] * 3 + [Status.RESERVE] * 2
    assert [a.reserve_position for a in apps] == [None, None, None, 1, 2]
    assert apps[0].history[0].reason == "submitted"


async def test_2_a_jst_registers_once_by_teryt_and_by_nip(registry: Registry, clock: Clock) -> None:
    await open_stage(registry, clock, capacity=10)
    a, b = first(2)
    assert (await registry.submit(document_for(a, 0))).accepted
    again = await registry.submit(document_for(a, 1))
    assert [v.code.value for v in again.violations] == ["already_registered"]
    assert again.violations[0].params["number"] == 1
    same_nip = await registry.submit(document_for(b, 0))
    assert [v.code.value for v in same_nip.violations] == ["already_registered"]


async def test_3_pilot_jst_are_excluded(registry: Registry, clock: Clock) -> None:
    await open_stage(registry, clock, capacity=10)
    a, b = first(2)
    imported = await registry.import_pilot(f"teryt\n{a.teryt}\n")
    assert imported.ok and imported.imported == 1
    refused = await registry.submit(document_for(a, 0))
    assert [v.code.value for v in refused.violations] == ["pilot_jst"]
    assert (await registry.submit(document_for(b, 1))).accepted
    assert await registry.eligibility(a.teryt) == list(refused.violations)


async def test_9_1_no_open_stage_means_recruitment_closed(registry: Registry, clock: Clock) -> None:
    (a,) = first(1)
    refused = await registry.submit(document_for(a, 0))
    assert [v.code.value for v in refused.violations] == ["recruitment_closed"]
    # A stage announced for later: the message says when it opens.
    await registry.open_stage(
        "Etap II",
        opens_at=clock.now + timedelta(days=3),
        closes_at=clock.now + timedelta(days=40),
        capacity=5,
    )
    later = await registry.submit(document_for(a, 0))
    assert later.violations[0].params["variant"] == "next"
    clock.advance(days=3)
    assert (await registry.submit(document_for(a, 0))).accepted
    clock.advance(days=40)
    (b,) = islice(entries(), 1, 2)
    assert [v.code.value for v in (await registry.submit(document_for(b, 1))).violations] == [
        "recruitment_closed"
    ]


async def test_invalid_document_is_refused_before_any_write(
    registry: Registry, clock: Clock
) -> None:
    await open_stage(registry, clock, capacity=5)
    (a,) = first(1)
    doc = document_for(a, 0)
    doc["participants"] = []
    result = await registry.submit(doc)
    assert [v.code.value for v in result.violations] == ["participants_too_few"]
    assert await registry.list_applications() == []


async def test_5_reserve_list_has_priority_in_the_next_stage(
    registry: Registry, clock: Clock
) -> None:
    await open_stage(registry, clock, capacity=2)
    await submit_all(registry, 5)  # 1, 2 qualified; 3, 4, 5 reserve
    clock.advance(days=31)
    opened = await registry.open_stage(
        "Etap II", opens_at=clock.now, closes_at=clock.now + timedelta(days=30), capacity=2
    )
    assert opened.carried_over == (3, 4, 5)
    stage2 = opened.stage
    assert stage2 is not None and stage2.qualified == 2 and stage2.reserve == 1
    new = (await submit_all(registry, 1, start=5))[0].application
    assert new.status is Status.RESERVE and new.reserve_position == 2
    five = await registry.get(5)
    assert five.status is Status.RESERVE and five.reserve_position == 1
    three = await registry.get(3)
    assert three.status is Status.QUALIFIED and three.stage_name == "Etap II"
    assert [h.reason for h in three.history] == ["submitted", "reserve_priority"]


async def test_6_reserve_only_stage_refuses_new_jst(registry: Registry, clock: Clock) -> None:
    await open_stage(registry, clock, capacity=1)
    await submit_all(registry, 2)
    clock.advance(days=31)
    stage2 = await open_stage(registry, clock, capacity=5, name="Etap II", reserve_only=True)
    assert (await registry.get(2)).status is Status.QUALIFIED  # carried over with priority
    refused = (await submit_all(registry, 1, start=2))[0]
    assert refused.violations[0].params["variant"] == "reserve_only"
    await registry.set_reserve_only(stage2, False)
    assert (await submit_all(registry, 1, start=2))[0].accepted


async def test_umowa_4_5_withdraw_gives_the_place_to_the_reserve(
    registry: Registry, clock: Clock
) -> None:
    await open_stage(registry, clock, capacity=2)
    await submit_all(registry, 4)
    result = await registry.withdraw(1, actor="organizer:test", reason="umowa niepodpisana")
    assert result.application.status is Status.WITHDRAWN
    assert result.promoted is not None and result.promoted.number == 3
    assert (await registry.get(4)).reserve_position == 1
    history = (await registry.get(1)).history
    assert (history[-1].from_status, history[-1].to_status, history[-1].actor) == (
        "qualified",
        "withdrawn",
        "organizer:test",
    )
    # A reserve entry withdrawing frees no place: nobody is promoted.
    assert (await registry.withdraw(4, actor="email")).promoted is None
    with pytest.raises(RegistryError) as info:
        await registry.withdraw(4, actor="email")
    assert info.value.code == "not_active"


async def test_promote_needs_a_free_place_and_a_reserve(registry: Registry, clock: Clock) -> None:
    stage = await open_stage(registry, clock, capacity=1)
    await submit_all(registry, 3)
    with pytest.raises(RegistryError) as info:
        await registry.promote(stage_id=stage, actor="cli")
    assert info.value.code == "no_free_place"
    await registry.withdraw(1, actor="cli", promote=False)
    promoted = await registry.promote(stage_id=stage, actor="cli")
    assert promoted.number == 2 and promoted.status is Status.QUALIFIED
    await registry.withdraw(2, actor="cli", promote=False)
    await registry.withdraw(3, actor="cli", promote=False)
    with pytest.raises(RegistryError) as info:
        await registry.promote(stage_id=stage, actor="cli")
    assert info.value.code == "reserve_empty"


async def test_3_stage_lasts_at_least_30_days(registry: Registry, clock: Clock) -> None:
    result = await registry.open_stage(
        "Krótki", opens_at=clock.now, closes_at=clock.now + timedelta(days=29), capacity=10
    )
    assert [v.code.value for v in result.violations] == ["stage_too_short"]
    stage = await open_stage(registry, clock, capacity=10)
    overlap = await registry.open_stage(
        "Nakładający",
        opens_at=clock.now + timedelta(days=10),
        closes_at=clock.now + timedelta(days=50),
        capacity=10,
    )
    assert [v.code.value for v in overlap.violations] == ["stage_overlap"]
    with pytest.raises(RegistryError) as info:
        await registry.close_stage(stage)
    assert info.value.code == "stage_too_young"
    closed = await registry.close_stage(stage, force=True)
    assert not closed.is_open


async def test_first_stage_from_settings_is_created_once(registry: Registry, clock: Clock) -> None:
    created = await registry.ensure_first_stage("Etap I", opens_at=clock.now, days=30, capacity=577)
    assert created is not None and created.capacity == 577 and created.is_open
    assert (
        await registry.ensure_first_stage("Etap I", opens_at=clock.now, days=30, capacity=577)
        is None
    )
    assert len(await registry.list_stages()) == 1


async def test_consent_pending_for_extra_participants(registry: Registry, clock: Clock) -> None:
    await open_stage(registry, clock, capacity=5)
    (a,) = first(1)
    doc = document_for(a, 0)
    doc["participants"].append({"name": "Ewa Zając", "training": "online", "area": "edukacja"})
    doc["organizer_consent"] = True
    application = (await registry.submit(doc)).application
    assert application is not None and application.consent_pending


async def test_eligibility_checks_asked_together_are_read_together(
    registry: Registry, clock: Clock
) -> None:
    """A surge of chats choosing their JST: every answer right, in a few queries."""
    await open_stage(registry, clock, capacity=10)
    jst = first(40)
    pilot, registered, same_nip = jst[0], jst[1], jst[2]
    assert (await registry.import_pilot(f"teryt\n{pilot.teryt}\n")).ok
    assert (await registry.submit(document_for(registered, 1))).accepted
    nip = document_for(registered, 1)["jst"]["nip"]  # the NIP another JST now claims
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = registry.db.reader.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        answers = await asyncio.gather(
            registry.eligibility(same_nip.teryt, nip),
            *(registry.eligibility(entry.teryt) for entry in jst),
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    codes = [[v.code.value for v in answer] for answer in answers]
    assert codes[0] == ["already_registered"]  # by NIP
    assert answers[0][0].params["number"] == 1
    assert codes[1] == ["pilot_jst"]
    assert codes[2] == ["already_registered"]
    assert codes[3:] == [[]] * 38
    # One read of the stages, the applications and the pilot list for all 41 (one by one
    # it took three per JST).
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 3, selects
    # One at a time it is the same answer.
    assert await registry.eligibility(pilot.teryt) == answers[1]
    assert await registry.eligibility(jst[5].teryt) == []
