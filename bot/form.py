"""The registration form, declared (Zasady rekrutacji pkt 13): one entry per field.

A field says how to ask (its prompt and options), how to read an answer (a parser from
rules/), where the answer lives in the draft, how the summary shows it and when it
applies. `bot.engine` asks, validates, stores, moves on, goes back and jumps from the
summary to any field and back; adding a field is one entry in FIELDS.

The draft is plain JSON (it lives in the FSM storage): every answer normalised the way
the registration document of DESIGN.md wants it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from aiogram.fsm.state import State
from aiogram.utils.i18n import ngettext

from bot.i18n import current_language
from bot.i18n import gettext as _
from bot.states import Form
from locales import describe
from rules import fields
from rules.areas import Area, parse_area
from rules.jst import JstKind
from rules.participants import (
    Assignment,
    NextChoice,
    Training,
    Why,
    group_for,
    next_choice,
    parse_employees,
    parse_training,
)
from rules.register import JstEntry, Register, load_register
from rules.violations import Code, Violation

Draft = dict[str, Any]

# The option that keeps the answer already given (offered when a step is asked again).
KEEP = "=keep"
# How many JST candidates a search offers.
CANDIDATES = 6


class Services(Protocol):
    """What the fields need: the JST register, and eligibility from the registry."""

    register: Register

    async def eligibility(self, teryt: str) -> list[Violation]: ...

    async def places_left(self) -> int | None: ...


@dataclass(frozen=True)
class Option:
    label: str  # shown on the button (already translated)
    value: str  # what the parser receives when it is chosen
    aliases: tuple[str, ...] = ()  # other words that choose it when typed


@dataclass(frozen=True)
class Outcome:
    """What a parser made of an answer."""

    value: Any = None
    error: str | None = None  # the answer is refused; the message names the fix
    note: str | None = None  # said before the next question
    stay: bool = False  # the draft changed but the same step is asked again


def accepted(value: Any, note: str | None = None) -> Outcome:
    return Outcome(value=value, note=note)


def refused(message: str) -> Outcome:
    return Outcome(error=message)


Parser = Callable[[Services, Draft, int, str], Awaitable[Outcome]]


@dataclass(frozen=True)
class Field:
    code: str
    state: State
    label: Callable[[Draft, int], str]  # the field's name (summary, edit buttons)
    prompt: Callable[[Draft, int], str]
    parse: Parser
    get: Callable[[Draft, int], Any]
    put: Callable[[Draft, int, Any], None]
    shown: Callable[[Draft, int], str]
    options: Callable[[Draft, int], list[Option]] = field(default=lambda d, i: [])
    applies: Callable[[Draft, int], bool] = field(default=lambda d, i: True)
    # Answers are chosen from the options, so a typed number picks one.
    closed: bool = False
    per_participant: bool = False


@dataclass(frozen=True)
class Step:
    field: Field
    index: int = 0

    def value_in(self, draft: Draft) -> Any:
        return self.field.get(draft, self.index)

    def applies(self, draft: Draft) -> bool:
        return self.field.applies(draft, self.index)


# --- the draft ------------------------------------------------------------------------


def new_draft() -> Draft:
    return {
        "jst": None,
        "candidates": [],
        "nip": None,
        "office_name": None,
        "office_address": None,
        "employees": None,
        "contact_name": None,
        "contact_phone": None,
        "contact_email": None,
        "participants": [],
        "extra": 0,
    }


def required_count(draft: Draft) -> int | None:
    """Pkt 10: the number of participants the office's headcount requires."""
    employees = draft.get("employees")
    return group_for(employees).required if employees else None


def planned_count(draft: Draft) -> int:
    """The required number plus those added with the organiser's consent (pkt 11)."""
    required = required_count(draft)
    return 0 if required is None else required + int(draft.get("extra") or 0)


def may_add_participant(draft: Draft) -> bool:
    """Pkt 11 allows more, but never more participants than the office employs."""
    employees = draft.get("employees")
    return employees is not None and planned_count(draft) < int(employees)


def participants(draft: Draft) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = draft.setdefault("participants", [])
    return result


def _participant(draft: Draft, index: int) -> dict[str, Any]:
    people = draft.get("participants") or []
    return people[index] if index < len(people) else {}


def _chosen_before(draft: Draft, index: int) -> list[Assignment]:
    chosen = []
    for person in (draft.get("participants") or [])[:index]:
        training, area = parse_training(person.get("training")), parse_area(person.get("area"))
        if training is not None and area is not None:
            chosen.append(Assignment(training, area))
    return chosen


def choice_for(draft: Draft, index: int) -> NextChoice:
    """Pkt 12: the kinds and areas participant `index` may still choose."""
    return next_choice(planned_count(draft), _chosen_before(draft, index))


def normalise(draft: Draft) -> list[str]:
    """Keeps the draft consistent after any answer; returns what it changed, said plainly.

    The participant list always has the planned length; a participant whose kind or area
    the rules no longer allow (after an edit) loses it, or gets it when only one is left.
    """
    notes: list[str] = []
    required = required_count(draft)
    if required is None:
        return notes
    employees = int(draft["employees"])
    people = participants(draft)
    extra = max(int(draft.get("extra") or 0), len(people) - required)
    if extra > int(draft.get("extra") or 0):
        # A smaller headcount made earlier participants extra: pkt 11 needs consent.
        notes.append(note_now_extra(len(people) - required))
    if required + extra > employees:
        # Even with consent no more participants than the office employs.
        extra = max(0, employees - required)
        removed = people[required + extra :]
        del people[required + extra :]
        if removed:
            notes.append(note_removed(len(removed), employees))
    draft["extra"] = extra
    total = required + extra
    while len(people) < total:
        people.append({"name": None, "training": None, "area": None})
    chosen: list[Assignment] = []
    for index, person in enumerate(people):
        choice = next_choice(total, chosen)
        training = parse_training(person.get("training"))
        cleared = training is not None and training not in choice.trainings
        if cleared:
            person["training"] = person["area"] = None
            training = None
        if training is None and len(choice.trainings) == 1:
            training = choice.trainings[0]
            person["training"] = training.value
            notes.append(note_training_fixed(index, training, choice.reasons))
        elif cleared:
            notes.append(note_training_cleared(index))
        fixed = choice.stationary_area
        if training is Training.STATIONARY and fixed is not None and person.get("area") != fixed:
            person["area"] = fixed.value
            notes.append(note_area_fixed(index, fixed))
        area = parse_area(person.get("area"))
        if training is not None and area is not None:
            chosen.append(Assignment(training, area))
    return notes


def document(draft: Draft) -> dict[str, Any]:
    """The registration document of DESIGN.md made from a complete draft."""
    jst = draft["jst"]
    return {
        "jst": {
            "name": jst["name"],
            "kind": jst["kind"],
            "teryt": jst["teryt"],
            "nip": draft["nip"],
            "powiat": jst["powiat"],
            "office_name": draft["office_name"],
            "office_address": draft["office_address"],
        },
        "employees": draft["employees"],
        "contact": {
            "name": draft["contact_name"],
            "phone": draft["contact_phone"],
            "email": draft["contact_email"],
        },
        "participants": [
            {"name": p["name"], "training": p["training"], "area": p["area"]}
            for p in participants(draft)
        ],
        # Pkt 11: participants beyond the required number wait for the organiser's consent.
        "organizer_consent": int(draft.get("extra") or 0) > 0,
    }


# --- how things are shown -------------------------------------------------------------


def jst_record(entry: JstEntry) -> dict[str, str]:
    return {
        "teryt": entry.teryt,
        "name": entry.name,
        "kind": entry.kind.value,
        "powiat": entry.powiat,
        "wojewodztwo": entry.wojewodztwo,
    }


def jst_title(jst: dict[str, str]) -> str:
    """ "Nowy Targ (gmina wiejska, powiat nowotarski)", "powiat wielicki (małopolskie)"."""
    kind = JstKind(jst["kind"])
    if kind is JstKind.POWIAT:
        return _("{name} (województwo {region})").format(
            name=jst["name"], region=jst.get("wojewodztwo", "")
        )
    if kind is JstKind.MIASTO_NA_PRAWACH_POWIATU:
        return _("{name} ({kind}, województwo {region})").format(
            name=jst["name"], kind=_(kind.label), region=jst.get("wojewodztwo", "")
        )
    return _("{name} ({kind}, powiat {powiat})").format(
        name=jst["name"], kind=_(kind.label), powiat=jst["powiat"]
    )


def organizer_title(kind: JstKind) -> str:
    return _("{name} ({short})").format(name=_(kind.organizer.label), short=kind.organizer.value)


# Proper names of Polish offices: the same in every language, so not in the catalogs.
# A powiat's is named after the town it is in ("Starostwo Powiatowe w Zakopanem").
OFFICE_NAMES: dict[JstKind, str] = {
    JstKind.GMINA_WIEJSKA: "Urząd Gminy {name}",
    JstKind.GMINA_MIEJSKA: "Urząd Miasta {name}",
    JstKind.GMINA_MIEJSKO_WIEJSKA: "Urząd Miasta i Gminy {name}",
    JstKind.MIASTO_NA_PRAWACH_POWIATU: "Urząd Miasta {name}",
    JstKind.POWIAT: "Starostwo Powiatowe {name}",
}


def office_suggestion(jst: dict[str, str] | None) -> str | None:
    if not jst:
        return None
    kind = JstKind(jst["kind"])
    name = jst["name"]
    if kind is JstKind.POWIAT:
        entry = load_register().get(jst["teryt"])
        if entry is None or not entry.in_seat:
            return None
        name = entry.in_seat
    return OFFICE_NAMES[kind].format(name=name)


def training_name(training: Training) -> str:
    return _(training.label)


def area_name(area: Area) -> str:
    return _(area.label)


def participant_line(draft: Draft, index: int) -> str:
    person = _participant(draft, index)
    training = parse_training(person.get("training"))
    area = parse_area(person.get("area"))
    return _("{name} — {training}, obszar: {area}").format(
        name=person.get("name") or "—",
        training=training_name(training) if training else "—",
        area=area_name(area) if area else "—",
    )


# --- notes the engine says when it changes the draft on its own ------------------------


def _why(reason: Why) -> str:
    if reason is Why.SMALL_SAME_KIND:
        return _(
            "przy 1 lub 2 uczestnikach wszyscy biorą udział w tym samym rodzaju szkolenia "
            "(zasady rekrutacji, pkt 12 ppkt 1)"
        )
    if reason is Why.STATIONARY_FULL:
        return _(
            "na szkolenia stacjonarne jst może zgłosić najwyżej 2 osoby i obie są już "
            "wybrane (zasady rekrutacji, pkt 12 ppkt 2)"
        )
    if reason is Why.STATIONARY_AREA_FIXED:
        return _(
            "wszyscy uczestnicy szkoleń stacjonarnych z jednej jst mają ten sam obszar "
            "tematyczny (pkt 12 i pkt 13 ppkt 4)"
        )
    return ""


def note_training_fixed(index: int, training: Training, reasons: Sequence[Why]) -> str:
    why = "; ".join(_why(r) for r in reasons if r is not Why.STATIONARY_AREA_FIXED)
    return _("Uczestnik nr {number}: {training}, ponieważ {why}.").format(
        number=index + 1, training=training_name(training), why=why
    )


def note_area_fixed(index: int, area: Area) -> str:
    return _("Uczestnik nr {number}: obszar „{area}”, ponieważ {why}.").format(
        number=index + 1, area=area_name(area), why=_why(Why.STATIONARY_AREA_FIXED)
    )


def note_training_cleared(index: int) -> str:
    return _(
        "Uczestnik nr {number}: wybrany rodzaj szkolenia nie jest już dozwolony przy tej "
        "liczbie i tym przydziale uczestników — proszę wybrać go ponownie."
    ).format(number=index + 1)


def note_now_extra(count: int) -> str:
    return ngettext(
        "Po zmianie liczby pracowników {n} uczestnik jest ponad wymaganą liczbę: zostanie "
        "zgłoszony za zgodą organizatora (pkt 11). Można go usunąć w podsumowaniu.",
        "Po zmianie liczby pracowników {n} uczestników jest ponad wymaganą liczbę: zostaną "
        "zgłoszeni za zgodą organizatora (pkt 11). Można ich usunąć w podsumowaniu.",
        count,
    ).format(n=count)


def note_removed(count: int, employees: int) -> str:
    return ngettext(
        "Usunięto {n} dodatkowego uczestnika: jst nie może zgłosić więcej osób, niż "
        "zatrudnia urząd ({employees}).",
        "Usunięto {n} dodatkowych uczestników: jst nie może zgłosić więcej osób, niż "
        "zatrudnia urząd ({employees}).",
        count,
    ).format(n=count, employees=employees)


def _described(violation: Violation) -> str:
    return describe(violation, current_language())


# --- the fields -----------------------------------------------------------------------


def _get(key: str) -> Callable[[Draft, int], Any]:
    return lambda draft, index: draft.get(key)


def _put(key: str) -> Callable[[Draft, int, Any], None]:
    def put(draft: Draft, index: int, value: Any) -> None:
        draft[key] = value

    return put


def _shown(key: str) -> Callable[[Draft, int], str]:
    return lambda draft, index: str(draft.get(key) or "—")


# JST ------------------------------------------------------------------------------------


def _candidate_label(entry: JstEntry) -> str:
    return jst_title(jst_record(entry))


def _jst_options(services: Services) -> Callable[[Draft, int], list[Option]]:
    def options(draft: Draft, index: int) -> list[Option]:
        found = []
        for teryt in draft.get("candidates") or []:
            entry = services.register.get(teryt)
            if entry is not None:
                found.append(Option(_candidate_label(entry), entry.teryt))
        return found

    return options


def _jst_prompt(draft: Draft, index: int) -> str:
    if draft.get("candidates"):
        return _(
            "Proszę wybrać swoją jst z listy. Jeśli jej nie ma, proszę wpisać nazwę "
            "jeszcze raz, np. z powiatem: „Dobra, powiat turecki”."
        )
    return _(
        "Jakiej jednostki samorządu terytorialnego dotyczy zgłoszenie? Proszę wpisać nazwę "
        "gminy, miasta albo powiatu, np. „Nowy Targ” albo „powiat wielicki”."
    )


def _not_eligible(entry: JstEntry, violations: Sequence[Violation]) -> str:
    lines = [
        _("Wybrana jst: {jst}.").format(jst=_candidate_label(entry)),
        *(_described(v) for v in violations),
        _(
            "Jeśli wybrano niewłaściwą jst, proszę wybrać inną z listy albo wpisać nazwę "
            "jeszcze raz. Pytania: /pytanie, stan zgłoszeń: /status."
        ),
    ]
    return "\n\n".join(lines)


def _jst_chosen_note(entry: JstEntry, places_left: int | None) -> str:
    note = _("Wybrana jst: {jst}, kod TERYT {teryt}. Organizator szkoleń: {organizer}.").format(
        jst=_candidate_label(entry), teryt=entry.teryt, organizer=organizer_title(entry.kind)
    )
    if places_left == 0:
        note += " " + _(
            "W bieżącym etapie rekrutacji nie ma już wolnych miejsc: zgłoszenie trafi na "
            "listę rezerwową, a jst z tej listy mają pierwszeństwo w kolejnym etapie "
            "(zasady rekrutacji, pkt 5)."
        )
    return note


async def _parse_jst(services: Services, draft: Draft, index: int, text: str) -> Outcome:
    candidates = draft.get("candidates") or []
    entry = services.register.get(text) if text in candidates else None
    if entry is None:
        matches = services.register.search(text, limit=CANDIDATES)
        if not matches:
            return refused(
                _(
                    "Nie znaleźliśmy jst o nazwie „{query}”. Proszę sprawdzić pisownię "
                    "albo wpisać nazwę inaczej, np. „gmina Dobra” lub „powiat "
                    "nowotarski”. Można też podać 7-cyfrowy kod TERYT."
                ).format(query=text[:60])
            )
        draft["candidates"] = [match.entry.teryt for match in matches]
        return Outcome(stay=True)
    violations = await services.eligibility(entry.teryt)
    if violations:
        return refused(_not_eligible(entry, violations))
    note = _jst_chosen_note(entry, await services.places_left())
    return accepted(jst_record(entry), note)


def _put_jst(draft: Draft, index: int, value: Any) -> None:
    previous = draft.get("jst")
    if previous and draft.get("office_name") == office_suggestion(previous):
        # The office name was the old JST's suggestion: ask again with the new one.
        draft["office_name"] = None
    draft["jst"] = value
    draft["candidates"] = []


def _shown_jst(draft: Draft, index: int) -> str:
    jst = draft.get("jst")
    if not jst:
        return "—"
    kind = JstKind(jst["kind"])
    return _("{jst}, kod TERYT {teryt}; organizator: {organizer}").format(
        jst=jst_title(jst), teryt=jst["teryt"], organizer=organizer_title(kind)
    )


# NIP ------------------------------------------------------------------------------------


async def _parse_nip(services: Services, draft: Draft, index: int, text: str) -> Outcome:
    # A NIP already used by another application is refused when the application is
    # submitted (Informacje podstawowe pkt 2); the JST itself was checked when chosen.
    nip = fields.parse_nip(text)
    if nip is None:
        return refused(_described(Violation(Code.NIP_INVALID, value=text[:60])))
    return accepted(nip)


# Simple text fields ------------------------------------------------------------------------


def _simple(parse_value: Callable[[str], Any], problem: Callable[[str], Violation | str]) -> Parser:
    """A field read by one parser of rules.fields; `problem` says what is wrong."""

    async def parse(services: Services, draft: Draft, index: int, text: str) -> Outcome:
        value = parse_value(text)
        if value is None:
            found = problem(text[:60])
            return refused(found if isinstance(found, str) else _described(found))
        return accepted(value)

    return parse


def _office_name_invalid(text: str) -> str:
    return _(
        "Proszę wpisać pełną nazwę urzędu (co najmniej dwie litery, najwyżej 300 znaków), "
        "np. „Urząd Gminy Nowy Targ”."
    )


def _office_name_options(draft: Draft, index: int) -> list[Option]:
    suggestion = office_suggestion(draft.get("jst"))
    if suggestion is None or suggestion == draft.get("office_name"):
        return []
    return [Option(suggestion, suggestion)]


def _office_name_prompt(draft: Draft, index: int) -> str:
    suggestion = office_suggestion(draft.get("jst"))
    if suggestion is None:
        return _("Proszę podać pełną nazwę urzędu.")
    return _(
        "Proszę podać pełną nazwę urzędu. Proponujemy: „{suggestion}” — jeśli jest "
        "poprawna, wystarczy ją wybrać przyciskiem; jeśli nie, proszę wpisać właściwą."
    ).format(suggestion=suggestion)


_EMPLOYEES = re.compile(
    r"^\s*(?P<n>\d[\d \u00a0]*)\s*(os[oó]b|osoby|osoba|pracownik\w*|people|persons?|"
    r"employees?)?\s*\.?\s*$",
    re.IGNORECASE,
)


def parse_headcount(text: str) -> int | None:
    """The headcount as typed: "120", "1 200", "120 osób" (persons, not FTE: pkt 13.2)."""
    match = _EMPLOYEES.match(text)
    return parse_employees(match.group("n").strip()) if match else None


def headcount_note(employees: int) -> str:
    group = group_for(employees)
    persons = ngettext(
        "Urząd zatrudnia {n} osobę — grupa {group}.",
        "Urząd zatrudnia {n} osób — grupa {group}.",
        employees,
    ).format(n=employees, group=group.numeral)
    required = ngettext(
        "Na szkolenia zgłasza się {n} uczestnik (zasady rekrutacji, pkt 10).",
        "Na szkolenia zgłasza się {n} uczestników (zasady rekrutacji, pkt 10).",
        group.required,
    ).format(n=group.required)
    return f"{persons} {required}"


async def _parse_employees(services: Services, draft: Draft, index: int, text: str) -> Outcome:
    employees = parse_headcount(text)
    if employees is None:
        return refused(_described(Violation(Code.EMPLOYEES_INVALID, value=text[:60])))
    return accepted(employees, headcount_note(employees))


def _shown_employees(draft: Draft, index: int) -> str:
    employees = draft.get("employees")
    if not employees:
        return "—"
    group = group_for(employees)
    return ngettext(
        "{employees} (grupa {group}; wymagany {n} uczestnik)",
        "{employees} (grupa {group}; wymaganych {n} uczestników)",
        group.required,
    ).format(employees=employees, group=group.numeral, n=group.required)


def _shown_nip(draft: Draft, index: int) -> str:
    nip = draft.get("nip")
    return fields.format_nip(nip) if nip else "—"


def _shown_phone(draft: Draft, index: int) -> str:
    phone = draft.get("contact_phone")
    return fields.format_phone(phone) if phone else "—"


# Participants -------------------------------------------------------------------------


def _participant_heading(draft: Draft, index: int) -> str:
    required = required_count(draft) or 0
    if index >= required:
        return _("Uczestnik nr {number} (dodatkowy, za zgodą organizatora)").format(
            number=index + 1
        )
    return _("Uczestnik nr {number} z {total}").format(number=index + 1, total=required)


def _p_get(key: str) -> Callable[[Draft, int], Any]:
    return lambda draft, index: _participant(draft, index).get(key)


def _p_put(key: str) -> Callable[[Draft, int, Any], None]:
    def put(draft: Draft, index: int, value: Any) -> None:
        people = participants(draft)
        while len(people) <= index:
            people.append({"name": None, "training": None, "area": None})
        people[index][key] = value
        if key == "training":
            # A new kind of training: its area is chosen again (stationary: one area).
            people[index]["area"] = None

    return put


def _participant_name_prompt(draft: Draft, index: int) -> str:
    return _(
        "{heading}: proszę podać imię i nazwisko pracownika, który weźmie udział w szkoleniu."
    ).format(heading=_participant_heading(draft, index))


async def _parse_participant_name(
    services: Services, draft: Draft, index: int, text: str
) -> Outcome:
    name = fields.parse_person_name(text)
    if name is None:
        return refused(_described(Violation(Code.PERSON_NAME_INVALID, value=text[:60])))
    for other, person in enumerate(draft.get("participants") or []):
        if other != index and (person.get("name") or "").casefold() == name.casefold():
            return refused(
                _described(Violation(Code.PARTICIPANT_DUPLICATE, index=index + 1, value=name))
                + " "
                + _("Proszę podać inną osobę.")
            )
    return accepted(name)


def _training_options(draft: Draft, index: int) -> list[Option]:
    aliases = {
        Training.ONLINE: ("online", "on-line", "zdalne"),
        Training.STATIONARY: ("stacjonarne", "stationary", "gwd"),
    }
    return [
        Option(training_name(t).capitalize(), t.value, aliases[t])
        for t in choice_for(draft, index).trainings
    ]


def _training_prompt(draft: Draft, index: int) -> str:
    person = _participant(draft, index)
    lines = [
        _("{heading}: jaki rodzaj szkolenia wybiera {name}?").format(
            heading=_participant_heading(draft, index), name=person.get("name") or "—"
        ),
        _(
            "• Szkolenie online: jeden dzień, część podstawowa i praktyczna.\n"
            "• Szkolenie stacjonarne: grupa wymiany doświadczeń (GWD), 3 dwudniowe zjazdy "
            "w jednym obszarze tematycznym; odbędzie się, jeśli na dany obszar zgłosi się "
            "co najmniej 5 jst."
        ),
    ]
    if planned_count(draft) <= 2:
        lines.append(
            _(
                "Przy 1 lub 2 uczestnikach wszyscy biorą udział w tym samym rodzaju szkolenia "
                "(zasady rekrutacji, pkt 12 ppkt 1)."
            )
        )
    else:
        lines.append(
            _(
                "Na szkolenia stacjonarne jst może zgłosić najwyżej 2 osoby, w jednym "
                "obszarze tematycznym; pozostali uczestniczą w szkoleniach online "
                "(zasady rekrutacji, pkt 12 ppkt 2)."
            )
        )
    return "\n".join(lines)


async def _parse_training(services: Services, draft: Draft, index: int, text: str) -> Outcome:
    training = parse_training(text)
    if training is None:
        return refused(
            _described(Violation(Code.TRAINING_UNKNOWN, index=index + 1, value=text[:60]))
        )
    choice = choice_for(draft, index)
    if training not in choice.trainings:
        why = "; ".join(_why(r) for r in choice.reasons if r is not Why.FREE)
        return refused(
            _("Tego rodzaju szkolenia nie można tu wybrać, ponieważ {why}.").format(why=why)
        )
    return accepted(training.value)


def _training_applies(draft: Draft, index: int) -> bool:
    return len(choice_for(draft, index).trainings) > 1


def _shown_training(draft: Draft, index: int) -> str:
    training = parse_training(_participant(draft, index).get("training"))
    return training_name(training) if training else "—"


def _area_options(draft: Draft, index: int) -> list[Option]:
    training = parse_training(_participant(draft, index).get("training")) or Training.ONLINE
    return list(_area_option_list(choice_for(draft, index).areas_for(training), current_language()))


@lru_cache(maxsize=64)
def _area_option_list(areas: tuple[Area, ...], lang: str) -> tuple[Option, ...]:
    """The buttons of `areas`, labelled in `lang` (the current language): the same nine
    areas are offered to almost everyone, so their labels are translated once."""
    return tuple(Option(area_name(area), area.value) for area in areas)


def _area_prompt(draft: Draft, index: int) -> str:
    person = _participant(draft, index)
    training = parse_training(person.get("training"))
    text = _(
        "{heading}: proszę wybrać obszar tematyczny szkolenia ({training}) dla: {name}."
    ).format(
        heading=_participant_heading(draft, index),
        training=training_name(training) if training else "—",
        name=person.get("name") or "—",
    )
    if training is Training.STATIONARY:
        text += "\n" + _(
            "Ten obszar będzie wspólny dla wszystkich uczestników szkoleń stacjonarnych "
            "z Państwa jst (pkt 12 i pkt 13 ppkt 4)."
        )
    return text


async def _parse_area(services: Services, draft: Draft, index: int, text: str) -> Outcome:
    area = parse_area(text)
    if area is None:
        return refused(
            _described(Violation(Code.AREA_UNKNOWN, index=index + 1, value=text[:60], areas=True))
        )
    training = parse_training(_participant(draft, index).get("training")) or Training.ONLINE
    allowed = choice_for(draft, index).areas_for(training)
    if area not in allowed:
        return refused(
            _("Dla szkoleń stacjonarnych obowiązuje obszar „{area}”, ponieważ {why}.").format(
                area=area_name(allowed[0]), why=_why(Why.STATIONARY_AREA_FIXED)
            )
        )
    return accepted(area.value)


def _area_applies(draft: Draft, index: int) -> bool:
    training = parse_training(_participant(draft, index).get("training"))
    return not (training is Training.STATIONARY and choice_for(draft, index).stationary_area)


def _shown_area(draft: Draft, index: int) -> str:
    area = parse_area(_participant(draft, index).get("area"))
    return area_name(area) if area else "—"


def _label(text: Callable[[], str]) -> Callable[[Draft, int], str]:
    return lambda draft, index: text()


def _p_label(text: Callable[[], str]) -> Callable[[Draft, int], str]:
    return lambda draft, index: _("Uczestnik {number}: {field}").format(
        number=index + 1, field=text()
    )


def build_fields(services: Services) -> tuple[tuple[Field, ...], tuple[Field, ...]]:
    """The form: the fields asked once, then those asked for every participant."""
    once = (
        Field(
            code="jst",
            state=Form.jst,
            label=_label(lambda: _("Jst")),
            prompt=_jst_prompt,
            parse=_parse_jst,
            get=_get("jst"),
            put=_put_jst,
            shown=_shown_jst,
            options=_jst_options(services),
            closed=True,
        ),
        Field(
            code="nip",
            state=Form.nip,
            label=_label(lambda: _("NIP")),
            prompt=lambda d, i: _(
                "Proszę podać NIP jst: 10 cyfr, myślniki i spacje są dozwolone (np. 123-456-32-18)."
            ),
            parse=_parse_nip,
            get=_get("nip"),
            put=_put("nip"),
            shown=_shown_nip,
        ),
        Field(
            code="office_name",
            state=Form.office_name,
            label=_label(lambda: _("Nazwa urzędu")),
            prompt=_office_name_prompt,
            parse=_simple(fields.parse_text, _office_name_invalid),
            get=_get("office_name"),
            put=_put("office_name"),
            shown=_shown("office_name"),
            options=_office_name_options,
        ),
        Field(
            code="office_address",
            state=Form.office_address,
            label=_label(lambda: _("Adres urzędu")),
            prompt=lambda d, i: _(
                "Proszę podać adres urzędu z kodem pocztowym, np. „ul. Rynek 1, 34-400 Nowy Targ”."
            ),
            parse=_simple(
                fields.parse_office_address,
                lambda text: Violation(Code.POSTAL_CODE_INVALID, value=text),
            ),
            get=_get("office_address"),
            put=_put("office_address"),
            shown=_shown("office_address"),
        ),
        Field(
            code="employees",
            state=Form.employees,
            label=_label(lambda: _("Liczba osób zatrudnionych")),
            prompt=lambda d, i: _(
                "Ile osób zatrudnia urząd? Proszę podać liczbę osób, a nie etatów (np. 120). "
                "Od niej zależy, ilu pracowników zgłaszają Państwo na szkolenia "
                "(zasady rekrutacji, pkt 10)."
            ),
            parse=_parse_employees,
            get=_get("employees"),
            put=_put("employees"),
            shown=_shown_employees,
        ),
        Field(
            code="contact_name",
            state=Form.contact_name,
            label=_label(lambda: _("Osoba do kontaktu")),
            prompt=lambda d, i: _(
                "Teraz osoba do kontaktu w sprawie zgłoszenia. Proszę podać jej imię i nazwisko."
            ),
            parse=_simple(
                fields.parse_person_name,
                lambda text: Violation(Code.PERSON_NAME_INVALID, value=text),
            ),
            get=_get("contact_name"),
            put=_put("contact_name"),
            shown=_shown("contact_name"),
        ),
        Field(
            code="contact_phone",
            state=Form.contact_phone,
            label=_label(lambda: _("Telefon")),
            prompt=lambda d, i: _(
                "Proszę podać numer telefonu osoby do kontaktu, np. 601 234 567 albo "
                "12 345 67 89 wew. 21."
            ),
            parse=_simple(
                fields.parse_phone, lambda text: Violation(Code.PHONE_INVALID, value=text)
            ),
            get=_get("contact_phone"),
            put=_put("contact_phone"),
            shown=_shown_phone,
        ),
        Field(
            code="contact_email",
            state=Form.contact_email,
            label=_label(lambda: _("E-mail")),
            prompt=lambda d, i: _(
                "Proszę podać adres e-mail osoby do kontaktu. Na ten adres wyślemy "
                "potwierdzenie zgłoszenia i wynik rekrutacji (zasady rekrutacji, pkt 15)."
            ),
            parse=_simple(
                fields.parse_email, lambda text: Violation(Code.EMAIL_INVALID, value=text)
            ),
            get=_get("contact_email"),
            put=_put("contact_email"),
            shown=_shown("contact_email"),
        ),
    )
    each = (
        Field(
            code="p_name",
            state=Form.participant_name,
            label=_p_label(lambda: _("imię i nazwisko")),
            prompt=_participant_name_prompt,
            parse=_parse_participant_name,
            get=_p_get("name"),
            put=_p_put("name"),
            shown=lambda d, i: str(_participant(d, i).get("name") or "—"),
            per_participant=True,
        ),
        Field(
            code="p_training",
            state=Form.participant_training,
            label=_p_label(lambda: _("szkolenie")),
            prompt=_training_prompt,
            parse=_parse_training,
            get=_p_get("training"),
            put=_p_put("training"),
            shown=_shown_training,
            options=_training_options,
            applies=_training_applies,
            closed=True,
            per_participant=True,
        ),
        Field(
            code="p_area",
            state=Form.participant_area,
            label=_p_label(lambda: _("obszar")),
            prompt=_area_prompt,
            parse=_parse_area,
            get=_p_get("area"),
            put=_p_put("area"),
            shown=_shown_area,
            options=_area_options,
            applies=_area_applies,
            closed=True,
            per_participant=True,
        ),
    )
    return once, each
