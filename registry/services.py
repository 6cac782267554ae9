"""The registry's use cases: stages, the pilot list, submit, withdraw, promote.

Each use case is one transaction. Everything that moves a place (submit, withdraw,
promote, opening a stage) first takes the placement lock, so the database alone decides
the order of submissions (Zasady rekrutacji pkt 7) and no stage ever exceeds its places.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import ColumnElement

from registry.db import PLACEMENT_COUNTER, Database
from registry.grouped import GroupedCalls
from registry.models import (
    Application,
    ConversationState,
    Counter,
    PilotJst,
    Stage,
    StatusChange,
)
from registry.notify import Notifier
from registry.views import (
    ApplicationView,
    HistoryEntry,
    PilotImportResult,
    PilotRow,
    RegistryError,
    StageResult,
    StageView,
    SubmitResult,
    WithdrawResult,
)
from rules.document import Registration, check_document
from rules.eligibility import EligibilityFacts, check_eligibility
from rules.fields import parse_nip, parse_teryt
from rules.jst import JstKind, parse_kind
from rules.recruitment import (
    StageWindow,
    Status,
    check_stage,
    may_close_early,
    placement,
    propose_reserve_only,
)
from rules.violations import Code, Violation


class JstRecord(Protocol):
    teryt: str
    name: str

    @property
    def kind(self) -> JstKind: ...


class Register(Protocol):
    """What the registry needs of the JST register (rules.register.Register)."""

    def kind_of(self, teryt: str) -> JstKind | None: ...

    def get(self, teryt: str) -> Any: ...

    def find_by_name(self, name: str, kind: JstKind | None = None) -> Sequence[Any]: ...


# The most submissions one transaction takes (bounds the IN lists and the batch's size).
MAX_BATCH = 256


@dataclass(frozen=True)
class _Check:
    """An eligibility check waiting for the reader."""

    teryt: str
    nip: str | None
    kind: JstKind


@dataclass(frozen=True)
class _Pending:
    """A checked registration waiting for the writer."""

    registration: Registration
    channel: str
    actor: str
    telegram_chat_id: int | None
    lang: str


def _record(
    application: Application, to_status: str, now: datetime, actor: str, reason: str
) -> None:
    """One entry of an application's history (the status before and after, who, why)."""
    application.history.append(
        StatusChange(
            at=now,
            from_status=application.status,
            to_status=to_status,
            actor=actor,
            reason=reason,
            stage_id=application.stage_id,
        )
    )
    application.updated_at = now


def _batch_numbers(violations: list[Violation], base: int) -> list[Violation]:
    """Gives an `already_registered` within one batch the number its twin received."""
    fixed = []
    for violation in violations:
        number = violation.params.get("number")
        if isinstance(number, int) and number < 0:
            params = {**violation.params, "number": base - number}
            violation = Violation(violation.code, path=violation.path, **params)
        fixed.append(violation)
    return fixed


def _window(stage: Stage) -> StageWindow:
    return StageWindow(
        opens_at=stage.opens_at,
        closes_at=stage.closes_at,
        capacity=stage.capacity,
        reserve_only=stage.reserve_only,
        closed_at=stage.closed_at,
    )


class Registry:
    """The application registry: one database, one clock, one JST register."""

    def __init__(self, db: Database, register: Register, notifier: Notifier | None = None) -> None:
        self.db = db
        self.register = register
        self.notifier = notifier or Notifier()
        # Submissions committed together, in arrival order (see `submit`), and
        # eligibility checks read together (see `eligibility`).
        self._submissions = GroupedCalls(self._write_group, most=MAX_BATCH)
        self._checks = GroupedCalls(self._check_group, most=MAX_BATCH)

    def now(self) -> datetime:
        return self.db.clock()

    # --- stages (Zasady rekrutacji pkt 3–6) -------------------------------------------

    async def open_stage(
        self,
        name: str,
        *,
        opens_at: datetime,
        closes_at: datetime,
        capacity: int,
        reserve_only: bool = False,
        actor: str = "organizer",
    ) -> StageResult:
        now = self.now()
        async with self.db.write() as session:
            await self.db.lock_placements(session)
            others = (await session.scalars(select(Stage))).all()
            violations = check_stage(
                opens_at, closes_at, capacity, tuple(_window(s) for s in others)
            )
            if violations:
                return StageResult(violations=tuple(violations))
            stage = Stage(
                name=name,
                opens_at=opens_at,
                closes_at=closes_at,
                capacity=capacity,
                reserve_only=reserve_only,
                created_at=now,
            )
            session.add(stage)
            await session.flush()
            carried = await self._activate_due_stages(session, now, actor)
            view = await self._stage_view(session, stage, now)
        return StageResult(stage=view, carried_over=tuple(carried))

    async def close_stage(
        self, stage_id: int, *, force: bool = False, actor: str = "organizer"
    ) -> StageView:
        now = self.now()
        async with self.db.write() as session:
            stage = await session.get(Stage, stage_id)
            if stage is None:
                raise RegistryError("stage_unknown", stage=stage_id)
            if stage.closed_at is not None or now >= stage.closes_at:
                raise RegistryError("stage_already_closed", stage=stage.name)
            if not force and not may_close_early(_window(stage), now):
                raise RegistryError(
                    "stage_too_young", stage=stage.name, earliest=stage.opens_at + timedelta(30)
                )
            stage.closed_at = now
            return await self._stage_view(session, stage, now)

    async def set_reserve_only(self, stage_id: int, reserve_only: bool) -> StageView:
        """Pkt 6: the organiser's decision that a stage is for the reserve list only."""
        async with self.db.write() as session:
            stage = await session.get(Stage, stage_id)
            if stage is None:
                raise RegistryError("stage_unknown", stage=stage_id)
            stage.reserve_only = reserve_only
            return await self._stage_view(session, stage, self.now())

    async def list_stages(self) -> list[StageView]:
        now = self.now()
        async with self.db.read() as session:
            stages = (await session.scalars(select(Stage).order_by(Stage.opens_at))).all()
            return [await self._stage_view(session, stage, now) for stage in stages]

    async def current_stage(self) -> StageView | None:
        now = self.now()
        async with self.db.read() as session:
            stage = await self._open_stage_at(session, now)
            return await self._stage_view(session, stage, now) if stage else None

    async def ensure_first_stage(
        self, name: str, *, opens_at: datetime, days: int, capacity: int
    ) -> StageView | None:
        """Creates the first stage from settings when the registry has none (first start)."""
        async with self.db.read() as session:
            if await session.scalar(select(func.count()).select_from(Stage)):
                return None
        result = await self.open_stage(
            name,
            opens_at=opens_at,
            closes_at=opens_at + timedelta(days=days),
            capacity=capacity,
            actor="settings",
        )
        return result.stage

    # --- the pilot list (Informacje podstawowe pkt 3) ----------------------------------

    def resolve_pilot_rows(self, text: str) -> list[PilotRow]:
        """Reads a CSV of TERYT codes or JST names (a second column may name the kind)."""
        rows: list[PilotRow] = []
        # A spreadsheet set to Polish writes ";"; others "," or a tab. Names hold none.
        delimiter = max(";,\t", key=text.count)
        for line, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            cells = [cell.strip() for cell in cells if cell.strip()]
            if not cells:
                continue
            first = cells[0]
            shown = ";".join(cells)
            teryt = parse_teryt(first)
            if teryt is not None:
                entry = self.register.get(teryt)
                if entry is None:
                    rows.append(PilotRow(line, shown, problem="unknown"))
                else:
                    rows.append(PilotRow(line, shown, teryt=entry.teryt, name=entry.name))
                continue
            if line == 1 and first.casefold() in {"teryt", "kod", "kod teryt", "nazwa", "jst"}:
                continue  # a header row
            kind = parse_kind(cells[1]) if len(cells) > 1 else None
            matches = list(self.register.find_by_name(first, kind))
            if len(matches) == 1:
                rows.append(PilotRow(line, shown, teryt=matches[0].teryt, name=matches[0].name))
            elif not matches:
                rows.append(PilotRow(line, shown, problem="unknown"))
            else:
                rows.append(
                    PilotRow(
                        line,
                        shown,
                        problem="ambiguous",
                        candidates=tuple(f"{m.teryt} {m.name} ({m.kind.value})" for m in matches),
                    )
                )
        return rows

    async def import_pilot(
        self, text: str, *, source: str = "", replace: bool = False
    ) -> PilotImportResult:
        """All or nothing: any unknown or ambiguous row and nothing is imported."""
        rows = self.resolve_pilot_rows(text)
        if any(row.problem for row in rows):
            return PilotImportResult(rows=tuple(rows))
        now = self.now()
        async with self.db.write() as session:
            if replace:
                for pilot in (await session.scalars(select(PilotJst))).all():
                    await session.delete(pilot)
                await session.flush()
            imported = 0
            for row in rows:
                assert row.teryt is not None and row.name is not None
                existing = await session.get(PilotJst, row.teryt)
                if existing is None:
                    session.add(
                        PilotJst(teryt=row.teryt, name=row.name, source=source, imported_at=now)
                    )
                    imported += 1
            await session.flush()
            teryts = [row.teryt for row in rows]
            affected = (
                await session.scalars(
                    select(Application.number).where(Application.teryt.in_(teryts))
                )
            ).all()
        return PilotImportResult(
            rows=tuple(rows), imported=imported, affected_applications=tuple(affected)
        )

    async def pilot_list(self) -> list[tuple[str, str]]:
        async with self.db.read() as session:
            pilots = (await session.scalars(select(PilotJst).order_by(PilotJst.teryt))).all()
            return [(p.teryt, p.name) for p in pilots]

    # --- eligibility and submission (Informacje podstawowe pkt 2–3, Zasady pkt 5–9) ----

    async def eligibility(self, teryt: str, nip: str | None = None) -> list[Violation]:
        """The checks the conversation runs as soon as the JST is chosen.

        Asked by many chats at once (a surge at a stage's opening), the checks waiting
        are read together: one reader takes every request waiting into one read of the
        stages, the applications and the pilot list (a group read, as `submit` groups
        its writes)."""
        entry = self.register.get(teryt)
        if entry is None:
            return [Violation(Code.TERYT_INVALID, variant="unknown", value=teryt)]
        return await self._checks(_Check(entry.teryt, parse_nip(nip) if nip else None, entry.kind))

    async def _check_group(self, checks: list[_Check]) -> list[list[Violation]]:
        now = self.now()
        async with self.db.read() as session:
            facts = await self._facts(session, checks, now)
        return [check_eligibility(fact, now) for fact in facts]

    async def submit(
        self,
        document: Mapping[str, Any],
        *,
        channel: str = "cli",
        actor: str | None = None,
        telegram_chat_id: int | None = None,
        lang: str = "pl",
    ) -> SubmitResult:
        """Checks the document, then places it in the order of submission (pkt 7).

        Submissions arriving together are written together: one writer takes every
        submission waiting, in arrival order, into one transaction (a group commit), and
        each caller hears back only after that transaction is committed.
        """
        checked = check_document(document, self.register)
        registration = checked.registration
        if registration is None:
            return SubmitResult(violations=checked.violations)
        if registration.jst.teryt is None:
            return SubmitResult(
                violations=(Violation(Code.FIELD_MISSING, path="jst.teryt", field="jst.teryt"),)
            )
        return await self._submissions(
            _Pending(registration, channel, actor or channel, telegram_chat_id, lang)
        )

    async def _write_group(self, batch: list[_Pending]) -> list[SubmitResult | BaseException]:
        try:
            return list(await self._place(batch))
        except IntegrityError:
            # Another process registered one of these JST meanwhile: one at a time,
            # each then sees the other's row and is refused on its own.
            results: list[SubmitResult | BaseException] = []
            for item in batch:
                try:
                    results.extend(await self._place([item]))
                except Exception as exc:
                    results.append(exc)
            return results

    async def _place(self, batch: Sequence[_Pending]) -> list[SubmitResult]:
        now = self.now()
        async with self.db.write() as session:
            await self.db.lock_placements(session)
            await self._activate_due_stages(session, now, "system")
            stage, next_opening = await self._stage_and_next(session, now)
            teryts = [item.registration.jst.teryt for item in batch]
            nips = [item.registration.jst.nip for item in batch]
            taken: dict[str, int] = {}
            for teryt, nip, number in await session.execute(
                select(Application.teryt, Application.nip, Application.number).where(
                    or_(Application.teryt.in_(teryts), Application.nip.in_(nips))
                )
            ):
                taken.setdefault(teryt, number)
                taken.setdefault(nip, number)
            pilots = set(
                await session.scalars(select(PilotJst.teryt).where(PilotJst.teryt.in_(teryts)))
            )
            window = _window(stage) if stage else None
            decisions: list[tuple[_Pending, list[Violation]]] = []
            for item in batch:
                jst = item.registration.jst
                assert jst.teryt is not None
                existing = taken.get(jst.teryt, taken.get(jst.nip))
                facts = EligibilityFacts(
                    organizer=jst.organizer,
                    on_pilot_list=jst.teryt in pilots,
                    existing_number=existing,
                    stage=window,
                    next_opening=next_opening,
                )
                violations = check_eligibility(facts, now)
                if not violations:
                    # Later in the same batch the JST counts as registered (pkt 2). Its
                    # number is not taken yet: -k stands for the k-th accepted of the batch.
                    accepted_so_far = sum(1 for _, v in decisions if not v) + 1
                    taken[jst.teryt] = taken[jst.nip] = -accepted_so_far
                decisions.append((item, violations))
            accepted = sum(1 for _, violations in decisions if not violations)
            if not accepted:
                return [SubmitResult(violations=tuple(v)) for _, v in decisions]
            assert stage is not None
            last = await self._take_numbers(session, accepted)
            number = last - accepted
            decisions = [
                (item, _batch_numbers(violations, number)) for item, violations in decisions
            ]
            counts = await self._stage_counts(session, stage.id)
            qualified, reserve = counts[Status.QUALIFIED], counts[Status.RESERVE]
            reserve_total = await self._reserve_total(session)
            placed: list[tuple[Application, _Pending, int | None]] = []
            for item, violations in decisions:
                if violations:
                    continue
                number += 1
                status = placement(qualified, stage.capacity)
                position = None
                if status is Status.QUALIFIED:
                    qualified += 1
                else:
                    reserve += 1
                    reserve_total += 1
                    position = reserve_total  # the newest number is the last in line
                application = self._new_application(item, stage, number, status, now)
                placed.append((application, item, position))
            # One statement per table for the whole batch (an application's id is its
            # number, so no generated key has to come back row by row).
            session.add_all([application for application, _, _ in placed])
            await session.flush()
            await session.execute(
                insert(StatusChange),
                [
                    {
                        "application_id": application.id,
                        "at": now,
                        "from_status": None,
                        "to_status": application.status,
                        "actor": item.actor,
                        "reason": "submitted",
                        "stage_id": stage.id,
                    }
                    for application, item, _ in placed
                ],
            )
            propose = propose_reserve_only(qualified, reserve)
            new_views = [
                (application.id, _new_view(application, item.actor, stage, position))
                for application, item, position in placed
            ]
            await self.notifier.submitted(session, new_views, now)
        views = iter(view for _, view in new_views)
        return [
            SubmitResult(violations=tuple(violations))
            if violations
            else SubmitResult(application=next(views), propose_reserve_only_next=propose)
            for _, violations in decisions
        ]

    def _new_application(
        self, item: _Pending, stage: Stage, number: int, status: Status, now: datetime
    ) -> Application:
        registration = item.registration
        jst = registration.jst
        return Application(
            id=number,
            number=number,
            teryt=jst.teryt,
            nip=jst.nip,
            jst_name=jst.name,
            kind=jst.kind.value,
            organizer=jst.organizer.value,
            stage_id=stage.id,
            status=status.value,
            document=registration.to_json(),
            contact_email=registration.contact.email.lower(),
            channel=item.channel,
            telegram_chat_id=item.telegram_chat_id,
            lang=item.lang,
            consent_pending=registration.extra_participants > 0,
            submitted_at=now,
            updated_at=now,
            qualified_at=now if status is Status.QUALIFIED else None,
        )

    # --- withdraw and promote (Zasady pkt 5, Umowa uczestnictwa pkt 4–5) ---------------

    async def withdraw(
        self, number: int, *, actor: str, reason: str = "", promote: bool = True
    ) -> WithdrawResult:
        async with self.db.write() as session:
            return await self.withdraw_in(
                session, number, actor=actor, reason=reason, promote=promote
            )

    async def withdraw_in(
        self,
        session: AsyncSession,
        number: int,
        *,
        actor: str,
        reason: str = "",
        promote: bool = True,
    ) -> WithdrawResult:
        """Withdraws inside the caller's transaction; a freed place goes to the reserve."""
        now = self.now()
        await self.db.lock_placements(session)
        application = await self.by_number_in(session, number)
        previous = Status(application.status)
        if not previous.active:
            raise RegistryError("not_active", number=number, status=previous.value)
        self._change(application, Status.WITHDRAWN, now, actor, reason or "withdrawn")
        await session.flush()
        promoted = None
        if promote and previous is Status.QUALIFIED:
            stage = await session.get(Stage, application.stage_id)
            assert stage is not None
            promoted = await self._promote_into(session, stage, now, actor)
        view = await self.view_in(session, application)
        promoted_view = await self.view_in(session, promoted) if promoted else None
        if promoted_view is not None:
            await self.notifier.promoted(session, promoted_view, now)
        return WithdrawResult(application=view, promoted=promoted_view)

    async def promote(self, *, stage_id: int | None = None, actor: str) -> ApplicationView:
        """Gives a free place of a stage to the first JST of the reserve list."""
        now = self.now()
        async with self.db.write() as session:
            await self.db.lock_placements(session)
            if stage_id is not None:
                stage = await session.get(Stage, stage_id)
            else:
                stage = await self._open_stage_at(session, now) or await session.scalar(
                    select(Stage).order_by(Stage.opens_at.desc()).limit(1)
                )
            if stage is None:
                raise RegistryError("stage_unknown", stage=stage_id)
            qualified = await self._count(session, stage.id, Status.QUALIFIED)
            if qualified >= stage.capacity:
                raise RegistryError("no_free_place", stage=stage.name, capacity=stage.capacity)
            promoted = await self._promote_into(session, stage, now, actor)
            if promoted is None:
                raise RegistryError("reserve_empty")
            view = await self.view_in(session, promoted)
            await self.notifier.promoted(session, view, now)
            return view

    # --- reading ------------------------------------------------------------------------

    async def get(self, number: int) -> ApplicationView:
        async with self.db.read() as session:
            return await self.view_in(session, await self.by_number_in(session, number))

    async def find(
        self, *, teryt: str | None = None, email: str | None = None
    ) -> list[ApplicationView]:
        query = select(Application).order_by(Application.number)
        if teryt is not None:
            query = query.where(Application.teryt == teryt)
        if email is not None:
            query = query.where(Application.contact_email == email.lower())
        async with self.db.read() as session:
            return [await self.view_in(session, a) for a in (await session.scalars(query)).all()]

    async def list_applications(
        self,
        *,
        status: Status | None = None,
        stage_id: int | None = None,
        organizer: str | None = None,
        with_history: bool = False,
    ) -> list[ApplicationView]:
        query = select(Application).order_by(Application.number)
        if status is not None:
            query = query.where(Application.status == status.value)
        if stage_id is not None:
            query = query.where(Application.stage_id == stage_id)
        if organizer is not None:
            query = query.where(Application.organizer == organizer)
        async with self.db.read() as session:
            applications = (await session.scalars(query)).all()
            positions = await self._reserve_positions(session)
            return [
                _to_view(a, positions.get(a.number), with_history=with_history)
                for a in applications
            ]

    async def unlink_chat(self, telegram_chat_id: int, *, actor: str) -> list[int]:
        """The user asked to delete their data (/usun_dane): the chat's conversation state
        goes, and its applications lose the link to the chat. The applications themselves
        stay: the organiser must keep what was submitted (returned numbers say which)."""
        now = self.now()
        async with self.db.write() as session:
            applications = (
                await session.scalars(
                    select(Application).where(Application.telegram_chat_id == telegram_chat_id)
                )
            ).all()
            for application in applications:
                application.telegram_chat_id = None
                self.note(application, now, actor, "chat_unlinked")
            await session.execute(
                delete(ConversationState).where(
                    ConversationState.key.like(f"%:{telegram_chat_id}:%")
                )
            )
            return [application.number for application in applications]

    async def hand_over_question(
        self,
        question: str,
        *,
        key: str,
        organizer: str | None = None,
        sender: str | None = None,
        contact: dict[str, Any] | None = None,
        jst_name: str | None = None,
    ) -> int:
        """A question the FAQ could not answer goes to the organiser (their mailbox and the
        organisers' Telegram chat), with whatever contact the asker gave (Zasady pkt 14)."""
        async with self.db.write() as session:
            return await self.notifier.to_organizer(
                session,
                organizer,
                "forward_question",
                key,
                self.now(),
                sender=sender,
                subject="",
                text=question[:5000],
                number=None,
                jst_name=jst_name,
                contact=contact or {},
            )

    async def reserve_position(self, number: int) -> int | None:
        async with self.db.read() as session:
            application = await self.by_number_in(session, number)
            return await self._position(session, application)

    # --- internals ----------------------------------------------------------------------

    async def _facts(
        self, session: AsyncSession, checks: Sequence[_Check], now: datetime
    ) -> list[EligibilityFacts]:
        """What the eligibility rules need to know of each JST, in three queries."""
        stage, next_opening = await self._stage_and_next(session, now)
        teryts = sorted({check.teryt for check in checks})
        nips = sorted({check.nip for check in checks if check.nip})
        condition: ColumnElement[bool] = Application.teryt.in_(teryts)
        if nips:
            condition = or_(condition, Application.nip.in_(nips))
        # The first application of each JST (or of its NIP) already in the registry.
        by_teryt: dict[str, int] = {}
        by_nip: dict[str, int] = {}
        for teryt, nip, number in await session.execute(
            select(Application.teryt, Application.nip, Application.number)
            .where(condition)
            .order_by(Application.number.desc())
        ):
            by_teryt[teryt] = number
            by_nip[nip] = number
        pilot = set(await session.scalars(select(PilotJst.teryt).where(PilotJst.teryt.in_(teryts))))
        window = _window(stage) if stage else None
        facts: list[EligibilityFacts] = []
        for check in checks:
            numbers = [by_teryt.get(check.teryt), by_nip.get(check.nip) if check.nip else None]
            existing = min((n for n in numbers if n is not None), default=None)
            facts.append(
                EligibilityFacts(
                    organizer=check.kind.organizer,
                    on_pilot_list=check.teryt in pilot,
                    existing_number=existing,
                    stage=window,
                    next_opening=next_opening,
                )
            )
        return facts

    async def _stage_and_next(
        self, session: AsyncSession, now: datetime
    ) -> tuple[Stage | None, datetime | None]:
        """The stage open now, and when the next announced stage opens."""
        stages = (await session.scalars(select(Stage).order_by(Stage.opens_at))).all()
        open_now = next((s for s in stages if _window(s).is_open(now)), None)
        upcoming = next((s.opens_at for s in stages if s.opens_at > now), None)
        return open_now, upcoming

    async def _open_stage_at(self, session: AsyncSession, now: datetime) -> Stage | None:
        return (await self._stage_and_next(session, now))[0]

    async def _take_numbers(self, session: AsyncSession, count: int) -> int:
        """Advances the submission counter by `count`; returns the last number taken."""
        last = await session.scalar(
            update(Counter)
            .where(Counter.name == PLACEMENT_COUNTER)
            .values(value=Counter.value + count)
            .returning(Counter.value)
        )
        return int(last or 0)

    async def _stage_counts(self, session: AsyncSession, stage_id: int) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for status, count in await session.execute(
            select(Application.status, func.count())
            .where(Application.stage_id == stage_id)
            .group_by(Application.status)
        ):
            counts[Status(status)] = count
        return counts

    async def _reserve_total(self, session: AsyncSession) -> int:
        total = await session.scalar(
            select(func.count())
            .select_from(Application)
            .where(Application.status == Status.RESERVE.value)
        )
        return int(total or 0)

    async def _count(self, session: AsyncSession, stage_id: int, status: Status) -> int:
        count = await session.scalar(
            select(func.count())
            .select_from(Application)
            .where(Application.stage_id == stage_id, Application.status == status.value)
        )
        return int(count or 0)

    async def _activate_due_stages(
        self, session: AsyncSession, now: datetime, actor: str
    ) -> list[int]:
        """Pkt 5: when a stage opens, the reserve list of earlier stages comes first."""
        carried: list[int] = []
        due = (
            await session.scalars(
                select(Stage)
                .where(Stage.opens_at <= now, Stage.activated_at.is_(None))
                .order_by(Stage.opens_at)
            )
        ).all()
        for stage in due:
            stage.activated_at = now
            reserve = (
                await session.scalars(
                    select(Application)
                    .where(
                        Application.status == Status.RESERVE.value,
                        Application.stage_id != stage.id,
                    )
                    .order_by(Application.number)
                )
            ).all()
            qualified = await self._count(session, stage.id, Status.QUALIFIED)
            for application in reserve:
                application.stage_id = stage.id
                if qualified < stage.capacity:
                    qualified += 1
                    self._change(application, Status.QUALIFIED, now, actor, "reserve_priority")
                else:
                    self._change(application, Status.RESERVE, now, actor, "reserve_carried_over")
                carried.append(application.number)
            await session.flush()
        return carried

    async def _promote_into(
        self, session: AsyncSession, stage: Stage, now: datetime, actor: str
    ) -> Application | None:
        candidate = await session.scalar(
            select(Application)
            .where(Application.status == Status.RESERVE.value)
            .order_by(Application.number)
            .limit(1)
        )
        if candidate is None:
            return None
        candidate.stage_id = stage.id
        self._change(candidate, Status.QUALIFIED, now, actor, "promoted_from_reserve")
        await session.flush()
        return candidate

    def _change(
        self, application: Application, status: Status, now: datetime, actor: str, reason: str
    ) -> None:
        _record(application, status.value, now, actor, reason)
        application.status = status.value
        if status is Status.QUALIFIED:
            application.qualified_at = now
            application.agreement_deadline = None  # the lifecycle sets it anew

    def note(self, application: Application, now: datetime, actor: str, reason: str) -> None:
        """A history entry for a change that keeps the status (a confirmation, an agreement,
        an address that bounced): the history shows every step, not only status changes."""
        _record(application, application.status, now, actor, reason)

    async def by_number_in(self, session: AsyncSession, number: int) -> Application:
        application = await session.scalar(select(Application).where(Application.number == number))
        if application is None:
            raise RegistryError("application_unknown", number=number)
        return application

    async def _position(self, session: AsyncSession, application: Application) -> int | None:
        if application.status != Status.RESERVE.value:
            return None
        position = await session.scalar(
            select(func.count())
            .select_from(Application)
            .where(
                Application.status == Status.RESERVE.value,
                Application.number <= application.number,
            )
        )
        return int(position or 0)

    async def _reserve_positions(self, session: AsyncSession) -> dict[int, int]:
        numbers = (
            await session.scalars(
                select(Application.number)
                .where(Application.status == Status.RESERVE.value)
                .order_by(Application.number)
            )
        ).all()
        return {number: position for position, number in enumerate(numbers, start=1)}

    async def view_in(self, session: AsyncSession, application: Application) -> ApplicationView:
        await session.refresh(application, ["stage", "history"])
        return _to_view(application, await self._position(session, application), True)

    async def _stage_view(self, session: AsyncSession, stage: Stage, now: datetime) -> StageView:
        qualified = await self._count(session, stage.id, Status.QUALIFIED)
        reserve = await self._count(session, stage.id, Status.RESERVE)
        return StageView(
            id=stage.id,
            name=stage.name,
            opens_at=stage.opens_at,
            closes_at=stage.closes_at,
            closed_at=stage.closed_at,
            capacity=stage.capacity,
            reserve_only=stage.reserve_only,
            qualified=qualified,
            reserve=reserve,
            is_open=_window(stage).is_open(now),
            propose_reserve_only_next=propose_reserve_only(qualified, reserve),
        )


def _new_view(
    application: Application, actor: str, stage: Stage, position: int | None
) -> ApplicationView:
    """The view of an application just written, from what is already in memory."""
    entry = HistoryEntry(
        at=application.submitted_at,
        from_status=None,
        to_status=application.status,
        actor=actor,
        reason="submitted",
        stage=stage.name,
    )
    return _view_of(application, stage.name, position, (entry,))


def _to_view(application: Application, position: int | None, with_history: bool) -> ApplicationView:
    history: Iterable[StatusChange] = application.history if with_history else ()
    return _view_of(
        application,
        application.stage.name,
        position,
        tuple(
            HistoryEntry(
                at=change.at,
                from_status=change.from_status,
                to_status=change.to_status,
                actor=change.actor,
                reason=change.reason,
                stage=change.stage.name if change.stage else None,
            )
            for change in history
        ),
    )


def _view_of(
    application: Application,
    stage_name: str,
    position: int | None,
    history: tuple[HistoryEntry, ...],
) -> ApplicationView:
    return ApplicationView(
        number=application.number,
        teryt=application.teryt,
        nip=application.nip,
        jst_name=application.jst_name,
        kind=application.kind,
        organizer=application.organizer,
        status=Status(application.status),
        stage_id=application.stage_id,
        stage_name=stage_name,
        submitted_at=application.submitted_at,
        reserve_position=position,
        document=dict(application.document),
        contact_email=application.contact_email,
        channel=application.channel,
        lang=application.lang,
        telegram_chat_id=application.telegram_chat_id,
        consent_pending=application.consent_pending,
        confirmed_at=application.confirmed_at,
        agreement_status=application.agreement_status or "none",
        agreement_deadline=application.agreement_deadline,
        contact_undeliverable=bool(application.contact_undeliverable),
        history=history,
    )
