"""Fixtures of the bot's tests; the helpers live in botsupport.py beside this file."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from botsupport import ADMIN_ID, Harness, harness_on


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with harness_on(tmp_path, admin_ids=[ADMIN_ID]) as made:
        yield made
