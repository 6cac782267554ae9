"""The registration document (DESIGN.md) and its whole check.

`check_document` reads a document as JSON gives it, normalises every field it can, and
returns every violation at once, so the user can fix them all in one go (pkt 13: the data
of the form; pkt 9–12: the formal criteria).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rules import fields
from rules.areas import Area, parse_area
from rules.jst import JstKind, Organizer, parse_kind
from rules.participants import (
    Assignment,
    HeadcountGroup,
    Training,
    check_assignment,
    check_count,
    group_for,
    parse_employees,
    parse_training,
)
from rules.violations import Code, Violation


class KindLookup(Protocol):
    """What the check needs of the JST register: the kind behind a TERYT code."""

    def kind_of(self, teryt: str) -> JstKind | None: ...


@dataclass(frozen=True)
class Jst:
    name: str
    kind: JstKind
    teryt: str | None
    nip: str
    powiat: str
    office_name: str
    office_address: str

    @property
    def organizer(self) -> Organizer:
        return self.kind.organizer


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class Participant:
    name: str
    training: Training
    area: Area


@dataclass(frozen=True)
class Registration:
    """A registration document whose every field is valid and normalised."""

    jst: Jst
    employees: int
    contact: Contact
    participants: tuple[Participant, ...]
    organizer_consent: bool = False

    @property
    def group(self) -> HeadcountGroup:
        return group_for(self.employees)

    @property
    def extra_participants(self) -> int:
        """Participants beyond pkt 10's number, registered under pkt 11."""
        return max(0, len(self.participants) - self.group.required)

    @property
    def stationary_area(self) -> Area | None:
        for participant in self.participants:
            if participant.training is Training.STATIONARY:
                return participant.area
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "jst": {
                "name": self.jst.name,
                "kind": self.jst.kind.value,
                "teryt": self.jst.teryt,
                "nip": self.jst.nip,
                "powiat": self.jst.powiat,
                "office_name": self.jst.office_name,
                "office_address": self.jst.office_address,
            },
            "employees": self.employees,
            "contact": {
                "name": self.contact.name,
                "phone": self.contact.phone,
                "email": self.contact.email,
            },
            "participants": [
                {"name": p.name, "training": p.training.value, "area": p.area.value}
                for p in self.participants
            ],
            "organizer_consent": self.organizer_consent,
        }


@dataclass(frozen=True)
class CheckResult:
    violations: tuple[Violation, ...]
    registration: Registration | None
    required_participants: int | None
    group: str | None
    organizer: Organizer | None

    @property
    def valid(self) -> bool:
        return not self.violations

    @property
    def codes(self) -> list[str]:
        return [v.code.value for v in self.violations]


@dataclass
class _Reader:
    """Collects violations while reading the raw document field by field."""

    violations: list[Violation] = field(default_factory=list)

    def section(self, raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = raw.get(key)
        if isinstance(value, Mapping):
            return value
        self.violations.append(Violation(Code.FIELD_MISSING, path=key, field=key))
        return {}

    def read(
        self,
        section: Mapping[str, Any],
        path: str,
        parse: Any,
        code: Code,
        **params: Any,
    ) -> Any:
        label = params.pop("label", path)
        raw = section.get(path.rsplit(".", 1)[-1])
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            self.violations.append(Violation(Code.FIELD_MISSING, path=path, field=label, **params))
            return None
        value = parse(raw)
        if value is None:
            self.violations.append(Violation(code, path=path, value=_shown(raw), **params))
        return value


def _shown(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= 60 else text[:57] + "…"


def check_document(raw: object, register: KindLookup | None = None) -> CheckResult:
    """Every violation of the document at once, and the registration when there are none."""
    reader = _Reader()
    if not isinstance(raw, Mapping):
        reader.violations.append(Violation(Code.FIELD_MISSING, path="jst", field="jst"))
        return CheckResult(tuple(reader.violations), None, None, None, None)

    jst_raw = reader.section(raw, "jst")
    name = reader.read(jst_raw, "jst.name", fields.parse_text, Code.FIELD_MISSING)
    teryt = None
    if jst_raw.get("teryt") not in (None, ""):
        teryt = reader.read(jst_raw, "jst.teryt", fields.parse_teryt, Code.TERYT_INVALID)
    kind = _read_kind(reader, jst_raw, teryt, register)
    nip = reader.read(jst_raw, "jst.nip", fields.parse_nip, Code.NIP_INVALID)
    powiat = reader.read(jst_raw, "jst.powiat", fields.parse_text, Code.FIELD_MISSING)
    office_name = reader.read(jst_raw, "jst.office_name", fields.parse_text, Code.FIELD_MISSING)
    office_address = reader.read(
        jst_raw, "jst.office_address", fields.parse_office_address, Code.POSTAL_CODE_INVALID
    )

    employees = reader.read(raw, "employees", parse_employees, Code.EMPLOYEES_INVALID)

    contact_raw = reader.section(raw, "contact")
    contact_name = reader.read(
        contact_raw, "contact.name", fields.parse_person_name, Code.PERSON_NAME_INVALID
    )
    phone = reader.read(contact_raw, "contact.phone", fields.parse_phone, Code.PHONE_INVALID)
    email = reader.read(contact_raw, "contact.email", fields.parse_email, Code.EMAIL_INVALID)

    consent = raw.get("organizer_consent") is True
    participants = _read_participants(reader, raw.get("participants"))

    group: HeadcountGroup | None = group_for(employees) if employees is not None else None
    if group is not None and participants is not None:
        reader.violations.extend(check_count(employees, len(participants), consent))
    complete = [p for p in participants or [] if p is not None]
    if participants is not None and len(complete) == len(participants):
        reader.violations.extend(
            check_assignment(
                [Assignment(p.training, p.area) for p in complete],
                planned_total=group.required if group else None,
            )
        )

    registration = None
    violations = tuple(reader.violations)
    if not violations:
        # No violations means every field was read (a missing one is a violation).
        assert kind is not None and employees is not None
        registration = Registration(
            jst=Jst(name, kind, teryt, nip, powiat, office_name, office_address),
            employees=employees,
            contact=Contact(contact_name, phone, email),
            participants=tuple(complete),
            organizer_consent=consent,
        )
    return CheckResult(
        violations=violations,
        registration=registration,
        required_participants=group.required if group else None,
        group=group.numeral if group else None,
        organizer=kind.organizer if kind else None,
    )


def _read_kind(
    reader: _Reader,
    jst_raw: Mapping[str, Any],
    teryt: str | None,
    register: KindLookup | None,
) -> JstKind | None:
    registered = register.kind_of(teryt) if register is not None and teryt else None
    if register is not None and teryt and registered is None:
        reader.violations.append(
            Violation(Code.TERYT_INVALID, path="jst.teryt", value=teryt, variant="unknown")
        )
    if jst_raw.get("kind") in (None, "") and registered is not None:
        return registered
    kind: JstKind | None = reader.read(jst_raw, "jst.kind", parse_kind, Code.JST_KIND_UNKNOWN)
    if kind is not None and registered is not None and kind is not registered:
        reader.violations.append(
            Violation(
                Code.TERYT_INVALID,
                path="jst.teryt",
                value=teryt,
                variant="kind_mismatch",
                expected=registered.value,
            )
        )
    return kind


def _read_participants(reader: _Reader, raw: object) -> list[Participant | None] | None:
    if raw is None:
        return []
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        reader.violations.append(
            Violation(Code.FIELD_MISSING, path="participants", field="participants")
        )
        return None
    participants: list[Participant | None] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw, start=1):
        path = f"participants[{index - 1}]"
        item = item if isinstance(item, Mapping) else {}
        name = reader.read(
            item,
            f"{path}.name",
            fields.parse_person_name,
            Code.PERSON_NAME_INVALID,
            index=index,
            label="participant.name",
        )
        if name is not None:
            key = name.casefold()
            if key in seen:
                reader.violations.append(
                    Violation(
                        Code.PARTICIPANT_DUPLICATE, path=f"{path}.name", value=name, index=index
                    )
                )
            seen.setdefault(key, index)
        training = reader.read(
            item,
            f"{path}.training",
            parse_training,
            Code.TRAINING_UNKNOWN,
            index=index,
            label="participant.training",
        )
        area = _read_area(reader, item, path, index)
        participants.append(
            Participant(name, training, area) if name and training and area else None
        )
    return participants


def _read_area(reader: _Reader, item: Mapping[str, Any], path: str, index: int) -> Area | None:
    raw = item.get("area")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        reader.violations.append(Violation(Code.AREA_MISSING, path=f"{path}.area", index=index))
        return None
    area = parse_area(raw)
    if area is None:
        reader.violations.append(
            Violation(
                Code.AREA_UNKNOWN,
                path=f"{path}.area",
                index=index,
                value=_shown(raw),
                areas=", ".join(a.value for a in Area),
            )
        )
    return area
