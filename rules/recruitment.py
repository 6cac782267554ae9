"""Recruitment in stages, the order of submissions and the reserve list.

Zasady rekrutacji pkt 2–7 and Informacje podstawowe pkt 1, 6. The registry applies these
decisions inside one database transaction; here they are plain functions of plain facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from rules._marker import N_
from rules.violations import Code, Violation

# Informacje podstawowe pkt 1 and Zasady rekrutacji pkt 2: at least 577 JST trained.
TARGET_JST = 577
# Zasady rekrutacji pkt 3: each stage's recruitment lasts at least 30 days.
MIN_STAGE_DURATION = timedelta(days=30)
# Informacje podstawowe pkt 6: a stationary training needs at least 5 JST in its area.
STATIONARY_MIN_JST = 5


class Status(StrEnum):
    QUALIFIED = "qualified"  # has a place in its stage (pkt 7: in order of submission)
    RESERVE = "reserve"  # on the reserve list (pkt 5)
    WITHDRAWN = "withdrawn"  # withdrew, or the organiser withdrew (Umowa pkt 4)
    REJECTED = "rejected"  # the organiser found the application formally defective (pkt 9)

    @property
    def label(self) -> str:
        return STATUS_NAMES[self]

    @property
    def holds_place(self) -> bool:
        return self is Status.QUALIFIED

    @property
    def active(self) -> bool:
        return self in (Status.QUALIFIED, Status.RESERVE)


STATUS_NAMES: dict[Status, str] = {
    Status.QUALIFIED: N_("zakwalifikowana"),
    Status.RESERVE: N_("lista rezerwowa"),
    Status.WITHDRAWN: N_("wycofana"),
    Status.REJECTED: N_("odrzucona"),
}


@dataclass(frozen=True)
class StageWindow:
    """What the rules need to know of a stage: when it takes applications, for whom."""

    opens_at: datetime
    closes_at: datetime
    capacity: int
    reserve_only: bool = False
    closed_at: datetime | None = None  # set when the organiser closed it

    def is_open(self, now: datetime) -> bool:
        end = min(self.closes_at, self.closed_at) if self.closed_at else self.closes_at
        return self.opens_at <= now < end

    def has_ended(self, now: datetime) -> bool:
        return self.closed_at is not None or now >= self.closes_at


def check_stage(
    opens_at: datetime,
    closes_at: datetime,
    capacity: int,
    others: tuple[StageWindow, ...] = (),
) -> list[Violation]:
    """A new stage: at least 30 days (pkt 3), some places, no overlap with another stage."""
    violations = []
    if closes_at - opens_at < MIN_STAGE_DURATION:
        violations.append(
            Violation(Code.STAGE_TOO_SHORT, days=(closes_at - opens_at).days, minimum=30)
        )
    if capacity < 1:
        violations.append(Violation(Code.STAGE_CAPACITY_INVALID, value=capacity))
    for other in others:
        other_end = other.closed_at or other.closes_at
        if opens_at < other_end and other.opens_at < closes_at:
            violations.append(Violation(Code.STAGE_OVERLAP, opens=other.opens_at, closes=other_end))
    return violations


def may_close_early(stage: StageWindow, now: datetime) -> bool:
    """Pkt 3: recruitment lasts at least 30 days, so a stage closes early only by force."""
    return now - stage.opens_at >= MIN_STAGE_DURATION


def placement(qualified_in_stage: int, capacity: int) -> Status:
    """Pkt 5 and 7: places go in order of submission; when they run out, the reserve list."""
    return Status.QUALIFIED if qualified_in_stage < capacity else Status.RESERVE


def propose_reserve_only(qualified: int, reserve: int) -> bool:
    """Pkt 6: when a stage's applications (qualified plus reserve) exceed 577, the next stage
    may be open to the reserve list only. "May": the organiser decides, we only propose."""
    return qualified + reserve > TARGET_JST


def stationary_viable(jst_in_area: int) -> bool:
    """Informacje podstawowe pkt 6: a stationary training runs with at least 5 JST."""
    return jst_in_area >= STATIONARY_MIN_JST
