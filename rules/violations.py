"""A rule breach is data: a stable code and the parameters its message needs.

Codes are a machine contract (DESIGN.md). The Polish text lives in `rules.messages` as
gettext ids and is rendered at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Code(StrEnum):
    # Document rules (DESIGN.md).
    NIP_INVALID = "nip_invalid"
    EMPLOYEES_INVALID = "employees_invalid"
    PARTICIPANTS_TOO_FEW = "participants_too_few"
    PARTICIPANTS_TOO_MANY = "participants_too_many"
    MIXED_TRAINING_SMALL = "mixed_training_small"
    STATIONARY_TOO_MANY = "stationary_too_many"
    STATIONARY_AREAS_DIFFER = "stationary_areas_differ"
    AREA_MISSING = "area_missing"
    AREA_UNKNOWN = "area_unknown"
    TRAINING_UNKNOWN = "training_unknown"
    # Eligibility, decided with the registry (DESIGN.md).
    PILOT_JST = "pilot_jst"
    ALREADY_REGISTERED = "already_registered"
    RECRUITMENT_CLOSED = "recruitment_closed"
    # Form fields of pkt 13 beyond the DESIGN.md list (additive).
    FIELD_MISSING = "field_missing"
    JST_KIND_UNKNOWN = "jst_kind_unknown"
    TERYT_INVALID = "teryt_invalid"
    POSTAL_CODE_INVALID = "postal_code_invalid"
    PHONE_INVALID = "phone_invalid"
    EMAIL_INVALID = "email_invalid"
    PERSON_NAME_INVALID = "person_name_invalid"
    PARTICIPANT_DUPLICATE = "participant_duplicate"
    # Organiser-side checks of a recruitment stage (Zasady rekrutacji pkt 3).
    STAGE_TOO_SHORT = "stage_too_short"
    STAGE_CAPACITY_INVALID = "stage_capacity_invalid"
    STAGE_OVERLAP = "stage_overlap"


@dataclass(frozen=True)
class Violation:
    code: Code
    params: dict[str, Any] = field(default_factory=dict)
    # Where in the document: "jst.nip", "participants[2].area", … (None: the whole document).
    path: str | None = None

    def __init__(self, code: Code | str, path: str | None = None, **params: Any) -> None:
        object.__setattr__(self, "code", Code(code))
        object.__setattr__(self, "params", dict(params))
        object.__setattr__(self, "path", path)

    def __hash__(self) -> int:
        return hash((self.code, self.path, tuple(sorted(map(repr, self.params.items())))))
