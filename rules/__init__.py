"""The SMUP recruitment rules as pure Python (seed 000, "Podstawowe zasady uczestnictwa").

No I/O and no framework imports: plain data in, plain data (and violations) out.
"""

from rules.areas import AREA_NAMES, Area, parse_area
from rules.document import CheckResult, Contact, Jst, Participant, Registration, check_document
from rules.jst import JstKind, Organizer, organizer_for, parse_kind
from rules.participants import (
    GROUPS,
    Assignment,
    HeadcountGroup,
    NextChoice,
    Training,
    Why,
    check_assignment,
    check_count,
    group_for,
    next_choice,
    parse_employees,
    parse_training,
    required_participants,
)
from rules.violations import Code, Violation

__all__ = [
    "AREA_NAMES",
    "GROUPS",
    "Area",
    "Assignment",
    "CheckResult",
    "Code",
    "Contact",
    "HeadcountGroup",
    "Jst",
    "JstKind",
    "NextChoice",
    "Organizer",
    "Participant",
    "Registration",
    "Training",
    "Violation",
    "Why",
    "check_assignment",
    "check_count",
    "check_document",
    "group_for",
    "next_choice",
    "organizer_for",
    "parse_area",
    "parse_employees",
    "parse_kind",
    "parse_training",
    "required_participants",
]
