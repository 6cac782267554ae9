"""The organisers' commands: /statystyki, /eksport, /etap, /odstap N, /umowa N — for
settings.admin_ids only.

Anyone else is refused with one sentence that reveals nothing of the registry.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot import texts
from bot.engine import Reply
from bot.filters import IsOrganiser
from bot.replies import answer
from locales import TIMEZONE
from registry.export import ExportFormat, Granularity, export
from registry.lifecycle import Lifecycle
from registry.services import Registry
from registry.views import ApplicationView, RegistryError
from rules.areas import Area, parse_area
from rules.jst import JstKind, Organizer
from rules.participants import Training, parse_training
from rules.recruitment import Status

COMMANDS = (
    "statystyki",
    "eksport",
    "etap",
    "odstap",
    "umowa",
    "stats",
    "export",
    "stage",
    "withdraw",
    "signed",
)


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

    @router.message(Command("odstap", "withdraw"), IsOrganiser())
    async def withdraw_agreement(
        message: Message, command: CommandObject, registry: Registry
    ) -> None:
        """Umowa pkt 4–5: the agreement was not signed in time; the place goes to the first
        JST of the reserve list, who is told at once (through the outbox)."""
        number = _number(command)
        if number is None:
            await answer(message, Reply(texts.organiser_number_needed("/odstap")))
            return
        try:
            result = await Lifecycle(registry).mark_missing(
                number, actor=f"telegram:{message.from_user.id if message.from_user else 0}"
            )
        except RegistryError as exc:
            await answer(message, Reply(texts.organiser_refused(exc.code, number)))
            return
        promoted = result.promoted
        await answer(
            message,
            Reply(
                texts.agreement_withdrawn(
                    number,
                    promoted.number if promoted else None,
                    promoted.jst_name if promoted else None,
                )
            ),
        )

    @router.message(Command("umowa", "signed"), IsOrganiser())
    async def agreement_signed(
        message: Message, command: CommandObject, registry: Registry
    ) -> None:
        number = _number(command)
        if number is None:
            await answer(message, Reply(texts.organiser_number_needed("/umowa")))
            return
        try:
            view = await Lifecycle(registry).mark_signed(
                number, actor=f"telegram:{message.from_user.id if message.from_user else 0}"
            )
        except RegistryError as exc:
            await answer(message, Reply(texts.organiser_refused(exc.code, number)))
            return
        await answer(message, Reply(texts.agreement_marked_signed(view.number, view.jst_name)))

    @router.message(Command(*COMMANDS))
    async def refused(message: Message) -> None:
        await answer(message, Reply(texts.organisers_only()))

    return router


def _number(command: CommandObject) -> int | None:
    argument = (command.args or "").strip().lstrip("#")
    return int(argument) if argument.isdigit() else None
