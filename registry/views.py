"""What the registry's services return: plain frozen data, never ORM rows or sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rules.recruitment import Status
from rules.violations import Violation


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    from_status: str | None
    to_status: str
    actor: str
    reason: str
    stage: str | None


@dataclass(frozen=True)
class ApplicationView:
    number: int
    teryt: str
    nip: str
    jst_name: str
    kind: str
    organizer: str
    status: Status
    stage_id: int
    stage_name: str
    submitted_at: datetime
    reserve_position: int | None
    document: dict[str, Any]
    contact_email: str
    channel: str
    lang: str
    telegram_chat_id: int | None
    consent_pending: bool
    history: tuple[HistoryEntry, ...] = ()
    confirmed_at: datetime | None = None
    agreement_status: str = "none"
    agreement_deadline: datetime | None = None
    contact_undeliverable: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "teryt": self.teryt,
            "nip": self.nip,
            "jst_name": self.jst_name,
            "kind": self.kind,
            "organizer": self.organizer,
            "status": self.status.value,
            "stage": self.stage_name,
            "submitted_at": self.submitted_at.isoformat(),
            "reserve_position": self.reserve_position,
            "consent_pending": self.consent_pending,
            "channel": self.channel,
            "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
            "agreement": self.agreement_status,
            "contact_undeliverable": self.contact_undeliverable,
        }


@dataclass(frozen=True)
class StageView:
    id: int
    name: str
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    capacity: int
    reserve_only: bool
    qualified: int
    reserve: int
    is_open: bool
    # Zasady rekrutacji pkt 6: proposed to the organiser, who decides.
    propose_reserve_only_next: bool

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.qualified)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "opens_at": self.opens_at.isoformat(),
            "closes_at": self.closes_at.isoformat(),
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "capacity": self.capacity,
            "reserve_only": self.reserve_only,
            "qualified": self.qualified,
            "reserve": self.reserve,
            "places_left": self.places_left,
            "open": self.is_open,
            "propose_reserve_only_next": self.propose_reserve_only_next,
        }


@dataclass(frozen=True)
class SubmitResult:
    """An accepted application (number, status, reserve position) or the reasons it was not."""

    violations: tuple[Violation, ...] = ()
    application: ApplicationView | None = None
    propose_reserve_only_next: bool = False

    @property
    def accepted(self) -> bool:
        return self.application is not None


@dataclass(frozen=True)
class StageResult:
    violations: tuple[Violation, ...] = ()
    stage: StageView | None = None
    # Reserve entries of earlier stages moved in with priority (pkt 5), in their order.
    carried_over: tuple[int, ...] = ()


@dataclass(frozen=True)
class WithdrawResult:
    application: ApplicationView
    promoted: ApplicationView | None = None


@dataclass(frozen=True)
class PilotRow:
    line: int
    text: str
    teryt: str | None = None
    name: str | None = None
    problem: str | None = None  # "unknown" or "ambiguous"
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class PilotImportResult:
    rows: tuple[PilotRow, ...] = field(default_factory=tuple)
    imported: int = 0
    # Applications already in the registry from JST now on the pilot list.
    affected_applications: tuple[int, ...] = ()

    @property
    def problems(self) -> tuple[PilotRow, ...]:
        return tuple(row for row in self.rows if row.problem)

    @property
    def ok(self) -> bool:
        return not self.problems


class RegistryError(Exception):
    """A use case that cannot be carried out; `code` says why (adapters translate it)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
