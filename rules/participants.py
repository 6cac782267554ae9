"""How many participants a JST registers and for which trainings.

Zasady rekrutacji pkt 10 (the number, by the office's headcount), pkt 11 (more only with the
organisers' consent) and pkt 12 (assignment to online and stationary trainings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rules._marker import N_
from rules.areas import Area
from rules.violations import Code, Violation


class Training(StrEnum):
    """Słownik pojęć pkt 6–7: a one-day online training, or a GWD of 3 two-day meetings."""

    ONLINE = "online"
    STATIONARY = "stationary"

    @property
    def label(self) -> str:
        return TRAINING_NAMES[self]


TRAINING_NAMES: dict[Training, str] = {
    Training.ONLINE: N_("szkolenie online"),
    Training.STATIONARY: N_("szkolenie stacjonarne"),
}


_TRAINING_ALIASES = {
    "online": Training.ONLINE,
    "on-line": Training.ONLINE,
    "zdalne": Training.ONLINE,
    "stationary": Training.STATIONARY,
    "stacjonarne": Training.STATIONARY,
    "stacjonarny": Training.STATIONARY,
    "stacjonarna": Training.STATIONARY,
    "gwd": Training.STATIONARY,
}


def parse_training(value: object) -> Training | None:
    if isinstance(value, Training):
        return value
    if not isinstance(value, str):
        return None
    return _TRAINING_ALIASES.get(value.strip().lower())


@dataclass(frozen=True)
class HeadcountGroup:
    """One row of pkt 10: offices of `low`..`high` employees register `required` people."""

    numeral: str
    low: int
    high: int | None
    required: int

    def contains(self, employees: int) -> bool:
        return self.low <= employees and (self.high is None or employees <= self.high)


# Zasady rekrutacji pkt 10, 1)–5): persons employed, not FTE (pkt 13.2).
GROUPS: tuple[HeadcountGroup, ...] = (
    HeadcountGroup("I", 1, 50, 1),
    HeadcountGroup("II", 51, 150, 2),
    HeadcountGroup("III", 151, 300, 3),
    HeadcountGroup("IV", 301, 600, 4),
    HeadcountGroup("V", 601, None, 5),
)

# No office in Poland comes near this; a larger figure is a typo, not a headcount.
MAX_EMPLOYEES = 50_000

# Pkt 12.2: a JST with more than 2 participants may send at most 2 of them to stationary.
MAX_STATIONARY = 2
# Pkt 12.1/12.2: the threshold between the two assignment regimes.
SMALL_JST_MAX_PARTICIPANTS = 2


def parse_employees(value: object) -> int | None:
    """The headcount as a positive whole number of persons, or None.

    Accepts ints and strings of digits (spaces as thousands separators allowed);
    refuses fractions (FTE, pkt 13.2), zero, negatives, booleans and absurd figures.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, str):
        digits = value.strip().replace(" ", "").replace("\u00a0", "")
        if not digits.isdigit():
            return None
        value = int(digits)
    if not isinstance(value, int) or not 1 <= value <= MAX_EMPLOYEES:
        return None
    return value


def group_for(employees: int) -> HeadcountGroup:
    for group in GROUPS:
        if group.contains(employees):
            return group
    raise ValueError(f"employees must be a positive whole number, got {employees!r}")


def required_participants(employees: int) -> int:
    """Pkt 10: the required number of participants for an office of `employees` persons."""
    return group_for(employees).required


def check_count(employees: int, given: int, organizer_consent: bool) -> list[Violation]:
    """Pkt 9.2 with pkt 10–11: exactly the required number, more only with consent."""
    group = group_for(employees)
    if given < group.required:
        return [
            Violation(
                Code.PARTICIPANTS_TOO_FEW,
                path="participants",
                required=group.required,
                given=given,
                group=group.numeral,
                employees=employees,
            )
        ]
    if given > group.required and not organizer_consent:
        return [
            Violation(
                Code.PARTICIPANTS_TOO_MANY,
                path="participants",
                required=group.required,
                given=given,
                group=group.numeral,
                employees=employees,
            )
        ]
    if given > employees:
        # Even with consent a JST cannot register more people than its office employs.
        return [
            Violation(
                Code.PARTICIPANTS_TOO_MANY,
                path="participants",
                variant="employees",
                given=given,
                employees=employees,
            )
        ]
    return []


@dataclass(frozen=True)
class Assignment:
    """One participant's training kind and area (pkt 13.4)."""

    training: Training
    area: Area


def check_assignment(
    assignments: Sequence[Assignment], planned_total: int | None = None
) -> list[Violation]:
    """Pkt 12: which mixes of online and stationary trainings a JST may register.

    The regime (pkt 12.1 or 12.2) follows the number of participants the JST registers:
    `planned_total` when the list is still short of it (a JST that must send 3 people may
    mix kinds even while only 2 are listed), else the length of the list.
    """
    total = max(len(assignments), planned_total or 0)
    stationary = [a for a in assignments if a.training is Training.STATIONARY]
    online = [a for a in assignments if a.training is Training.ONLINE]
    violations: list[Violation] = []
    if total <= SMALL_JST_MAX_PARTICIPANTS:
        # Pkt 12.1: up to 2 participants — one kind of training only.
        if stationary and online:
            violations.append(
                Violation(Code.MIXED_TRAINING_SMALL, path="participants", given=total)
            )
    elif len(stationary) > MAX_STATIONARY:
        # Pkt 12.2: more than 2 participants — at most 2 of them stationary.
        violations.append(
            Violation(
                Code.STATIONARY_TOO_MANY,
                path="participants",
                given=len(stationary),
                allowed=MAX_STATIONARY,
            )
        )
    areas = {a.area for a in stationary}
    if len(areas) > 1:
        # Pkt 12.1–12.2 and 13.4: one stationary area for the whole JST.
        violations.append(
            Violation(
                Code.STATIONARY_AREAS_DIFFER,
                path="participants",
                areas=sorted(area.value for area in areas),
            )
        )
    return violations


# Every area of the trainings, in the order of the rules (for an unrestricted choice).
ALL_AREAS: tuple[Area, ...] = tuple(Area)


class Why(StrEnum):
    """Why the next participant's choice is narrowed (shown to the user by the edge)."""

    FREE = "free"  # both kinds open, any area
    SMALL_SAME_KIND = "small_same_kind"  # pkt 12.1: up to 2 participants, one kind
    STATIONARY_FULL = "stationary_full"  # pkt 12.2: 2 stationary already chosen
    STATIONARY_AREA_FIXED = "stationary_area_fixed"  # pkt 13.4: one stationary area


@dataclass(frozen=True)
class NextChoice:
    """What the next participant may choose, given the ones already chosen."""

    trainings: tuple[Training, ...]
    stationary_area: Area | None  # set when the stationary area is already fixed
    reasons: tuple[Why, ...]

    def areas_for(self, training: Training) -> tuple[Area, ...]:
        if training is Training.STATIONARY and self.stationary_area is not None:
            return (self.stationary_area,)
        return ALL_AREAS


def next_choice(planned_total: int, chosen: Sequence[Assignment]) -> NextChoice:
    """Kinds and areas still allowed for participant number len(chosen)+1 of planned_total.

    Every option offered keeps the whole registration valid under pkt 12, so a
    conversation that only offers these can never end in an assignment violation.
    """
    stationary = [a for a in chosen if a.training is Training.STATIONARY]
    area = stationary[0].area if stationary else None
    reasons: list[Why] = []
    trainings: tuple[Training, ...]
    if planned_total <= SMALL_JST_MAX_PARTICIPANTS and chosen:
        trainings = (chosen[0].training,)
        reasons.append(Why.SMALL_SAME_KIND)
    elif len(stationary) >= MAX_STATIONARY:
        trainings = (Training.ONLINE,)
        reasons.append(Why.STATIONARY_FULL)
    else:
        trainings = (Training.ONLINE, Training.STATIONARY)
    if area is not None and Training.STATIONARY in trainings:
        reasons.append(Why.STATIONARY_AREA_FIXED)
    return NextChoice(trainings, area, tuple(reasons) or (Why.FREE,))
