"""`smup run`: prepares the registry and runs the channels until stopped."""

from __future__ import annotations

import asyncio

from rich.console import Console

from assistant.services import open_registry
from assistant.settings import Settings
from locales import format_when, gettext
from rules._marker import N_


async def serve(settings: Settings, console: Console) -> None:
    async with open_registry(settings) as registry:
        stage = await registry.current_stage()
        if stage is not None:
            console.print(
                gettext(N_("Etap „{name}” otwarty do {closes}; wolnych miejsc: {left}.")).format(
                    name=stage.name, closes=format_when(stage.closes_at), left=stage.places_left
                )
            )
        else:
            console.print(gettext(N_("Żaden etap rekrutacji nie jest teraz otwarty.")))
        console.print(
            gettext(N_("Baza danych: {url}")).format(
                url=registry.db.writer.url.render_as_string(hide_password=True)
            )
        )
        await asyncio.Event().wait()
