"""The recruitment lifecycle after submission: agreements, reminders, stage closing.

`Lifecycle.tick()` is one idempotent pass over the registry, run every minute by `smup run`:
it reads dates, asks `rules.agreement` what is due, and queues it in the outbox under an
idempotency key, so a pass repeated (a restart, a second instance) queues nothing twice.
Passes are serialised by the placement lock, so two instances never interleave.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from locales import TIMEZONE
from registry.models import Application, Stage, TrainingDate
from registry.notify import summary
from registry.services import Registry
from registry.views import ApplicationView, RegistryError
from rules.agreement import (
    DEFAULT_AGREEMENT_DAYS,
    DEFAULT_DECLARATIONS_REMINDER_DAYS,
    DEFAULT_REMINDER_DAYS,
    AgreementStatus,
    agreement_deadline,
    declarations_due,
    due_reminder,
)
from rules.areas import parse_area
from rules.participants import Training, parse_training
from rules.recruitment import Status, stationary_viable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LifecycleConfig:
    agreement_days: int = DEFAULT_AGREEMENT_DAYS
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    declarations_reminder_days: int = DEFAULT_DECLARATIONS_REMINDER_DAYS


@dataclass
class TickReport:
    deadlines_set: int = 0
    reminders: int = 0
    overdue: int = 0
    declarations: int = 0
    stages_closed: int = 0
    queued: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScheduleRow:
    line: int
    training: Training | None
    area: str | None
    starts_on: date | None
    ends_on: date | None
    description: str
    problem: str | None = None


class Lifecycle:
    def __init__(self, registry: Registry, config: LifecycleConfig | None = None) -> None:
        self.registry = registry
        self.db = registry.db
        self.notifier = registry.notifier
        self.config = config or LifecycleConfig()

    async def tick(self) -> TickReport:
        now = self.db.clock()
        report = TickReport()
        async with self.db.write() as session:
            await self.db.lock_placements(session)
            schedule = await self._schedule(session)
            qualified = (
                await session.scalars(
                    select(Application).where(Application.status == Status.QUALIFIED.value)
                )
            ).all()
            for application in qualified:
                await self._agreement(session, application, schedule, now, report)
                await self._declarations(session, application, schedule, now, report)
            await self._closed_stages(session, now, report)
        return report

    # --- the agreement (Umowa uczestnictwa pkt 1, 3, 4) ---------------------------------

    async def _agreement(
        self,
        session: AsyncSession,
        application: Application,
        schedule: dict[tuple[str, str | None], list[datetime]],
        now: datetime,
        report: TickReport,
    ) -> None:
        status = AgreementStatus(application.agreement_status)
        if status.settled:
            return
        view = await self.registry.view_in(session, application)
        if application.agreement_deadline is None:
            qualified_at = application.qualified_at or now
            first = first_training(application.document, schedule, after=qualified_at)
            application.agreement_deadline = agreement_deadline(
                qualified_at, first, self.config.agreement_days
            )
            report.deadlines_set += 1
            await self._to_contact(
                session,
                view,
                "agreement_request",
                f"agreement_request:{application.number}:{qualified_at.isoformat()}",
                now,
                deadline=application.agreement_deadline.isoformat(),
                report=report,
            )
        deadline = application.agreement_deadline
        # A reminder whose window opens at the qualification itself would only repeat the
        # request sent then.
        qualified_at = application.qualified_at or now
        days = [n for n in self.config.reminder_days if deadline - timedelta(days=n) > qualified_at]
        reminder = due_reminder(deadline, now, days)
        if reminder is not None:
            report.reminders += await self._to_contact(
                session,
                view,
                "agreement_reminder",
                f"agreement_reminder:{application.number}:{deadline.isoformat()}:{reminder}",
                now,
                deadline=deadline.isoformat(),
                days_left=reminder,
                report=report,
            )
        if now >= deadline:
            # Umowa pkt 4: the organiser decides whether to withdraw; we ask them.
            queued = await self.notifier.to_organizer(
                session,
                application.organizer,
                "agreement_overdue",
                f"agreement_overdue:{application.number}:{deadline.isoformat()}",
                now,
                application_id=application.id,
                number=application.number,
                jst_name=application.jst_name,
                deadline=deadline.isoformat(),
            )
            report.overdue += queued > 0

    async def _declarations(
        self,
        session: AsyncSession,
        application: Application,
        schedule: dict[tuple[str, str | None], list[datetime]],
        now: datetime,
        report: TickReport,
    ) -> None:
        """Umowa pkt 2: three declarations per participant by the first training day."""
        first = first_training(application.document, schedule, after=application.qualified_at)
        if first is None or not declarations_due(
            first, now, self.config.declarations_reminder_days
        ):
            return
        view = await self.registry.view_in(session, application)
        report.declarations += await self._to_contact(
            session,
            view,
            "declarations_reminder",
            f"declarations:{application.number}:{first.isoformat()}",
            now,
            first_training=first.isoformat(),
            report=report,
        )

    # --- stage closing (Zasady rekrutacji pkt 5, Informacje podstawowe pkt 6) -----------

    async def _closed_stages(
        self, session: AsyncSession, now: datetime, report: TickReport
    ) -> None:
        stages = (
            await session.scalars(select(Stage).where(Stage.close_notified_at.is_(None)))
        ).all()
        for stage in stages:
            if not (stage.closed_at is not None or now >= stage.closes_at):
                continue
            stage.close_notified_at = now
            report.stages_closed += 1
            next_stage = await session.scalar(
                select(Stage).where(Stage.opens_at > now).order_by(Stage.opens_at).limit(1)
            )
            applications = (
                await session.scalars(
                    select(Application)
                    .where(Application.stage_id == stage.id)
                    .order_by(Application.number)
                )
            ).all()
            by_area: dict[str, list[Application]] = defaultdict(list)
            for application in applications:
                view = await self.registry.view_in(session, application)
                if view.status is Status.RESERVE:
                    await self._to_contact(
                        session,
                        view,
                        "reserve_position",
                        f"reserve_position:{stage.id}:{application.number}",
                        now,
                        next_stage=next_stage.name if next_stage else None,
                        next_opens=next_stage.opens_at.isoformat() if next_stage else None,
                        report=report,
                    )
                elif view.status is Status.QUALIFIED:
                    area = stationary_area(application.document)
                    if area is not None:
                        by_area[area].append(application)
            for area, members in by_area.items():
                viable = stationary_viable(len(members))
                kind = "stationary_confirmed" if viable else "stationary_cancelled"
                for application in members:
                    view = await self.registry.view_in(session, application)
                    await self._to_contact(
                        session,
                        view,
                        kind,
                        f"{kind}:{stage.id}:{application.number}",
                        now,
                        area=area,
                        jst_count=len(members),
                        report=report,
                    )

    async def _to_contact(
        self,
        session: AsyncSession,
        view: ApplicationView,
        kind: str,
        key: str,
        now: datetime,
        *,
        report: TickReport,
        **extra: Any,
    ) -> int:
        queued = await self.notifier.to_contact(session, view, kind, key, now, **extra)
        await self.notifier.to_chat(session, view, kind, key, now, **extra)
        if queued:
            report.queued.append(key)
        return queued

    async def _schedule(
        self, session: AsyncSession
    ) -> dict[tuple[str, str | None], list[datetime]]:
        dates: dict[tuple[str, str | None], list[datetime]] = defaultdict(list)
        for row in (await session.scalars(select(TrainingDate))).all():
            dates[(row.training, row.area)].append(row.starts_on)
        for starts in dates.values():
            starts.sort()
        return dates

    # --- the organiser's decisions ------------------------------------------------------

    async def mark_signed(self, number: int, *, actor: str) -> ApplicationView:
        async with self.db.write() as session:
            application = await self.registry.by_number_in(session, number)
            if application.status != Status.QUALIFIED.value:
                raise RegistryError("not_qualified", number=number, status=application.status)
            now = self.db.clock()
            application.agreement_status = AgreementStatus.SIGNED.value
            application.agreement_signed_at = now
            self.registry.note(application, now, actor, "agreement_signed")
            view = await self.registry.view_in(session, application)
            await self.notifier.to_contact(
                session, view, "agreement_signed", f"agreement_signed:{number}", now
            )
            return view

    async def mark_missing(self, number: int, *, actor: str, promote: bool = True) -> Any:
        """Umowa pkt 4–5: the agreement was not signed in time; the place goes to the
        reserve list."""
        async with self.db.write() as session:
            application = await self.registry.by_number_in(session, number)
            if application.status != Status.QUALIFIED.value:
                raise RegistryError("not_qualified", number=number, status=application.status)
            application.agreement_status = AgreementStatus.MISSING.value
            result = await self.registry.withdraw_in(
                session, number, actor=actor, reason="agreement_missing", promote=promote
            )
            now = self.db.clock()
            await self.notifier.to_contact(
                session, result.application, "agreement_missing", f"agreement_missing:{number}", now
            )
            return result

    async def deadlines(self) -> list[ApplicationView]:
        """Qualified applications still waiting for their agreement, soonest first."""
        async with self.db.read() as session:
            rows = (
                await session.scalars(
                    select(Application)
                    .where(
                        Application.status == Status.QUALIFIED.value,
                        Application.agreement_status.in_(
                            [AgreementStatus.NONE.value, AgreementStatus.RECEIVED.value]
                        ),
                    )
                    .order_by(Application.agreement_deadline, Application.number)
                )
            ).all()
            return [await self.registry.view_in(session, row) for row in rows]

    # --- the schedule (Informacje podstawowe pkt 5) -------------------------------------

    def read_schedule(self, text: str) -> list[ScheduleRow]:
        """CSV: rodzaj (online/stacjonarne); obszar (empty for every area); od; do; opis."""
        delimiter = max(";,\t", key=text.count)
        rows: list[ScheduleRow] = []
        for line, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            cells = [c.strip() for c in cells] + [""] * 5
            if not any(cells) or (line == 1 and cells[0].lower() in {"rodzaj", "training"}):
                continue
            training = parse_training(cells[0])
            area = parse_area(cells[1]) if cells[1] and cells[1].lower() != "wszystkie" else None
            starts, ends = _date(cells[2]), _date(cells[3]) if cells[3] else None
            problem = None
            if training is None:
                problem = "training"
            elif cells[1] and cells[1].lower() != "wszystkie" and area is None:
                problem = "area"
            elif training is Training.STATIONARY and area is None:
                problem = "area"
            elif starts is None or (cells[3] and ends is None) or (ends and ends < starts):
                problem = "date"
            rows.append(
                ScheduleRow(
                    line, training, area.value if area else None, starts, ends, cells[4], problem
                )
            )
        return rows

    async def import_schedule(self, text: str, *, replace: bool = True) -> list[ScheduleRow]:
        rows = self.read_schedule(text)
        if any(row.problem for row in rows):
            return rows
        now = self.db.clock()
        async with self.db.write() as session:
            if replace:
                await session.execute(delete(TrainingDate))
            for row in rows:
                assert row.training is not None and row.starts_on is not None
                session.add(
                    TrainingDate(
                        training=row.training.value,
                        area=row.area,
                        starts_on=_morning(row.starts_on),
                        ends_on=_morning(row.ends_on) if row.ends_on else None,
                        description=row.description,
                        imported_at=now,
                    )
                )
        return rows

    async def schedule(self) -> list[tuple[str, str | None, datetime, datetime | None, str]]:
        async with self.db.read() as session:
            rows = (
                await session.scalars(select(TrainingDate).order_by(TrainingDate.starts_on))
            ).all()
            return [(r.training, r.area, r.starts_on, r.ends_on, r.description) for r in rows]


def _date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _morning(day: date) -> datetime:
    """A training day starts at 9:00 Warsaw time."""
    return datetime.combine(day, time(9, 0), TIMEZONE).astimezone(UTC)


def stationary_area(document: dict[str, Any]) -> str | None:
    for participant in document.get("participants", []):
        if parse_training(participant.get("training")) is Training.STATIONARY:
            area = parse_area(participant.get("area"))
            return area.value if area else None
    return None


def first_training(
    document: dict[str, Any],
    schedule: dict[tuple[str, str | None], list[datetime]],
    after: datetime | None = None,
) -> datetime | None:
    """The first scheduled day of any training the JST's participants registered for."""
    candidates: list[datetime] = []
    for participant in document.get("participants", []):
        training = parse_training(participant.get("training"))
        area = parse_area(participant.get("area"))
        if training is None:
            continue
        for key in ((training.value, area.value if area else None), (training.value, None)):
            candidates += [d for d in schedule.get(key, []) if after is None or d >= after]
    return min(candidates) if candidates else None


__all__ = ["Lifecycle", "LifecycleConfig", "TickReport", "first_training", "summary"]
