"""Benchmark: every JST of the register applies at once into a stage of 577 places.

64 concurrent tasks submit one application for each of the 2,791 JST. The check: numbers
1..n with no gap, the first 577 by number qualified, the rest on the reserve list in
number order, and every caller told exactly what the registry holds. Runs on SQLite and,
when SMUP_TEST_DATABASE_URL (or SMUP_BENCH_DATABASE_URL) is set, on PostgreSQL.

Last line: {"order_ok": …, "sqlite_per_s": …, "postgres_per_s": …|null, "n": 2791}
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from stdnum.pl import nip as stdnum_nip

from registry.db import Database
from registry.services import Registry
from rules.recruitment import Status
from rules.register import JstEntry, load_register

TASKS = 64
CAPACITY = 577


def nip_for(index: int) -> str:
    """A distinct invented NIP with a valid check digit for each index."""
    for candidate in range(index * 10, index * 10 + 10):
        digits = f"{100 + candidate // 1_000_000 % 900}{candidate % 1_000_000:06d}"
        for last in "0123456789":
            if stdnum_nip.is_valid(digits + last):
                return digits + last
    raise AssertionError(index)


def document(entry: JstEntry, index: int) -> dict[str, Any]:
    return {
        "jst": {
            "name": entry.name,
            "kind": entry.kind.value,
            "teryt": entry.teryt,
            "nip": nip_for(index),
            "powiat": entry.powiat,
            "office_name": f"Urząd {entry.name}",
            "office_address": "ul. Testowa 1, 00-950 Testowo",
        },
        "employees": 45,
        "contact": {
            "name": "Krystyna Testowa",
            "phone": "601 234 567",
            "email": f"kontakt{index}@jst.example.pl",
        },
        "participants": [{"name": "Anna Nowak", "training": "online", "area": "edukacja"}],
        "organizer_consent": False,
    }


async def surge(db: Database) -> tuple[float, bool, int]:
    register = load_register()
    registry = Registry(db, register)
    await db.upgrade()
    now = datetime.now(UTC)
    opened = await registry.open_stage(
        "Etap I",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=30),
        capacity=CAPACITY,
    )
    assert opened.stage is not None
    jst = list(register)
    documents = [document(entry, i) for i, entry in enumerate(jst)]
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(documents)):
        queue.put_nowait(i)
    told: dict[int, tuple[int, Status]] = {}

    async def worker() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            result = await registry.submit(documents[i], channel="bench")
            if result.application is None:
                raise RuntimeError(f"refused: {result.violations}")
            told[i] = (result.application.number, result.application.status)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(TASKS)))
    elapsed = time.perf_counter() - started

    apps = await registry.list_applications()
    n = len(documents)
    numbers = [a.number for a in apps]
    statuses = [a.status for a in apps]
    positions = [a.reserve_position for a in apps]
    expected_statuses = [Status.QUALIFIED] * CAPACITY + [Status.RESERVE] * (n - CAPACITY)
    by_number = {a.number: a.status for a in apps}
    order_ok = (
        numbers == list(range(1, n + 1))
        and statuses == expected_statuses
        and positions[CAPACITY:] == list(range(1, n - CAPACITY + 1))
        and all(by_number[number] is status for number, status in told.values())
        and len(told) == n
    )
    return n / elapsed, order_ok, n


async def sqlite_run() -> tuple[float, bool, int]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'surge.db'}")
        try:
            return await surge(db)
        finally:
            await db.dispose()


async def postgres_run(url: str) -> tuple[float, bool, int]:
    import asyncpg  # type: ignore[import-untyped]

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    db = Database(url, connect_args={"server_settings": {"search_path": schema}})
    try:
        return await surge(db)
    finally:
        await db.dispose()
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


async def main() -> int:
    sqlite_rate, sqlite_ok, n = await sqlite_run()
    print(
        f"sqlite: {sqlite_rate:.0f} submissions/s, order {'ok' if sqlite_ok else 'WRONG'}",
        file=sys.stderr,
    )
    postgres_rate: float | None = None
    postgres_ok = True
    url = os.environ.get("SMUP_BENCH_DATABASE_URL") or os.environ.get("SMUP_TEST_DATABASE_URL")
    if url:
        postgres_rate, postgres_ok, _ = await postgres_run(url)
        print(
            f"postgres: {postgres_rate:.0f} submissions/s, order "
            f"{'ok' if postgres_ok else 'WRONG'}",
            file=sys.stderr,
        )
    print(
        json.dumps(
            {
                "order_ok": sqlite_ok and postgres_ok,
                "sqlite_per_s": round(sqlite_rate, 1),
                "postgres_per_s": round(postgres_rate, 1) if postgres_rate is not None else None,
                "n": n,
            }
        )
    )
    return 0 if sqlite_ok and postgres_ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
