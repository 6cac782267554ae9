from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dbsupport import BACKENDS, Clock, registry_on

from registry.services import Registry


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=BACKENDS)
async def registry(
    request: pytest.FixtureRequest, tmp_path: Path, clock: Clock
) -> AsyncIterator[Registry]:
    async with registry_on(request.param, tmp_path, clock) as reg:
        yield reg
