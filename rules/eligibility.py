"""Who may apply at all: Informacje podstawowe pkt 2–3 and Zasady rekrutacji pkt 3, 6, 9.1.

The facts (pilot list, earlier applications, the open stage) come from the registry; the
decision and its violations are made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rules.jst import Organizer
from rules.recruitment import StageWindow
from rules.violations import Code, Violation


@dataclass(frozen=True)
class EligibilityFacts:
    organizer: Organizer
    on_pilot_list: bool
    existing_number: int | None  # the number of an earlier application of this JST (or NIP)
    stage: StageWindow | None  # the stage whose window contains now, if any
    next_opening: datetime | None = None  # the next stage announced, if any
    on_reserve_list: bool = False


def check_eligibility(facts: EligibilityFacts, now: datetime) -> list[Violation]:
    violations: list[Violation] = []
    if facts.on_pilot_list:
        # Informacje podstawowe pkt 3: JST of the pilot are excluded.
        violations.append(Violation(Code.PILOT_JST, organizer=facts.organizer.value))
    if facts.existing_number is not None:
        # Informacje podstawowe pkt 2: a JST registers its staff only once.
        violations.append(
            Violation(
                Code.ALREADY_REGISTERED,
                variant="number",
                number=facts.existing_number,
                organizer=facts.organizer.value,
            )
        )
    stage = facts.stage
    if stage is None or not stage.is_open(now):
        # Zasady rekrutacji pkt 9.1: the form is filled in during a stage's recruitment.
        if facts.next_opening is not None and facts.next_opening > now:
            violations.append(
                Violation(Code.RECRUITMENT_CLOSED, variant="next", opens=facts.next_opening)
            )
        else:
            violations.append(Violation(Code.RECRUITMENT_CLOSED))
    elif stage.reserve_only and not facts.on_reserve_list:
        # Zasady rekrutacji pkt 6: a stage may be open to the reserve list only.
        violations.append(Violation(Code.RECRUITMENT_CLOSED, variant="reserve_only"))
    return violations
