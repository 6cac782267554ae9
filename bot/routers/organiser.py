"""The organisers' commands: /statystyki, /eksport, /etap — for settings.admin_ids only.

Anyone else is refused with one sentence that reveals nothing of the registry.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message

from bot import texts
from bot.engine import Reply
from bot.filters import IsOrganiser
from bot.replies import answer
from locales import TIMEZONE
from registry.export import ExportFormat, Granularity, export
from registry.services import Registry
from registry.views import ApplicationView
from rules.areas import Area, parse_area
from rules.jst import JstKind, Organizer
from rules.participants import Training, parse_training
from rules.recruitment import Status

COMMANDS = ("statystyki", "eksport", "etap", "stats", "export", "stage")


def statistics_text(applications: list[ApplicationView]) -> str:
    by_status = Counter(app.status for app in applications)
    by_kind = Counter(JstKind(app.kind) for app in applications)
    by_organizer = Counter(Organizer(app.organizer) for app in applications)
    online: Counter[Area] = Counter()
    stationary: Counter[Area] = Counter()
    stationary_jst: Counter[Area] = Counter()
    for app in applications:
        if not app.status.active:
            continue
        areas_here = set()
        for person in app.document.get("participants", []):
            area = parse_area(person.get("area"))
            if area is None:
                continue
            if parse_training(person.get("training")) is Training.STATIONARY:
                stationary[area] += 1
                areas_here.add(area)
            else:
                online[area] += 1
        stationary_jst.update(areas_here)
    return texts.statistics(
        total=len(applications),
        by_status={status: by_status[status] for status in Status},
        by_kind={kind: by_kind[kind] for kind in JstKind},
        by_organizer={organizer: by_organizer[organizer] for organizer in Organizer},
        by_area={area: (online[area], stationary[area], stationary_jst[area]) for area in Area},
    )


def build_router() -> Router:
    router = Router(name="organiser")

    @router.message(Command("statystyki", "stats"), IsOrganiser())
    async def statistics(message: Message, registry: Registry) -> None:
        await answer(message, Reply(statistics_text(await registry.list_applications())))

    @router.message(Command("eksport", "export"), IsOrganiser())
    async def export_applications(message: Message, registry: Registry, lang: str) -> None:
        applications = await registry.list_applications()
        if not applications:
            await answer(message, Reply(texts.export_empty()))
            return
        content = export(applications, ExportFormat.XLSX, Granularity.JST, lang)
        stamp = datetime.now(TIMEZONE).strftime("%Y-%m-%d-%H%M")
        await message.answer_document(
            BufferedInputFile(content, filename=f"zgloszenia-{stamp}.xlsx"),
            caption=texts.export_caption(len(applications)),
        )

    @router.message(Command("etap", "stage"), IsOrganiser())
    async def stage(message: Message, registry: Registry) -> None:
        current = await registry.current_stage()
        if current is not None:
            await answer(message, Reply(texts.stage_details(current)))
            return
        now = registry.now()
        upcoming = next((s for s in await registry.list_stages() if s.opens_at > now), None)
        await answer(message, Reply(texts.stage_line(None, upcoming)))

    @router.message(Command(*COMMANDS))
    async def refused(message: Message) -> None:
        await answer(message, Reply(texts.organisers_only()))

    return router
