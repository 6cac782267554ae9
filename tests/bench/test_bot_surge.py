"""The bot benchmark's own script and checks, on a few JST (no timing is asserted)."""

from __future__ import annotations

from pathlib import Path

from bench.bot_surge import bot_run


async def test_the_surge_script_registers_every_jst_in_first_come_order(tmp_path: Path) -> None:
    # 12 JST for 8 places: the first 8 qualified, 4 on the reserve list, every chat told
    # the number the registry holds (the benchmark's order_ok).
    _rate, order_ok, updates, n = await bot_run(tmp_path, limit=12, capacity=8)
    assert n == 12 and order_ok
    assert updates >= 12 * 15  # every conversation went the whole way
