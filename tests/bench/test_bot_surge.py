"""The bot benchmark's own script and checks, on a few JST (no timing is asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bot_surge import bot_run


async def test_the_surge_script_registers_every_jst_in_first_come_order(tmp_path: Path) -> None:
    # 12 JST for 8 places: the first 8 qualified, 4 on the reserve list, every chat told
    # the number the registry holds (the benchmark's order_ok).
    _rate, order_ok, updates, n = await bot_run(tmp_path, limit=12, capacity=8)
    assert n == 12 and order_ok
    assert updates >= 12 * 15  # every conversation went the whole way


async def test_the_baseline_takes_its_turns_while_the_bot_takes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The surge pauses for the baseline's turns: while a turn runs, the bot has no
    update in hand and is handed none, and every conversation still ends in order."""
    from bench import bot_surge

    monkeypatch.setattr(bot_surge, "SLICE", 0.05)
    surges: list[bot_surge.Telegram] = []
    pause = bot_surge.Telegram.pause

    async def noted(self: bot_surge.Telegram) -> None:
        surges.append(self)
        await pause(self)

    monkeypatch.setattr(bot_surge.Telegram, "pause", noted)
    turns = bot_surge.Turns(5)
    seen: list[tuple[int, int, int]] = []
    take = turns.take

    async def watched() -> None:
        pending = surges[-1].pending
        before = len(pending._waiting)
        await take()
        seen.append((pending.taken, before, len(pending._waiting)))

    monkeypatch.setattr(turns, "take", watched)
    _rate, order_ok, _updates, n = await bot_run(tmp_path, limit=40, capacity=10, turns=turns)
    assert order_ok and n == 40
    assert turns.count >= 2 and turns.updates == 4 * 5 * turns.count
    # Nothing in the bot's hands during a turn, and nothing taken from what waited.
    assert all(taken == 0 and after == before for taken, before, after in seen)
