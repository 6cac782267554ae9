"""Zasady rekrutacji pkt 10–12: how many participants, and for which trainings."""

from __future__ import annotations

import itertools

import pytest

from rules import Area, Assignment, Code, Training, check_assignment, check_count
from rules.participants import (
    GROUPS,
    Why,
    group_for,
    next_choice,
    parse_employees,
    required_participants,
)

ON, ST = Training.ONLINE, Training.STATIONARY
EDU, GEO = Area.EDUKACJA, Area.GEODEZJA_KARTOGRAFIA


@pytest.mark.parametrize(
    ("employees", "group", "required"),
    [
        (1, "I", 1),
        (50, "I", 1),
        (51, "II", 2),
        (150, "II", 2),
        (151, "III", 3),
        (300, "III", 3),
        (301, "IV", 4),
        (600, "IV", 4),
        (601, "V", 5),
        (12000, "V", 5),
    ],
)
def test_10_headcount_groups_and_required_participants(
    employees: int, group: str, required: int
) -> None:
    assert group_for(employees).numeral == group
    assert required_participants(employees) == required


def test_10_groups_cover_every_headcount_once() -> None:
    for employees in range(1, 2000):
        assert sum(g.contains(employees) for g in GROUPS) == 1


@pytest.mark.parametrize("raw", [0, -3, 12.5, "12,5", "sto", True, None, "", 10**9])
def test_13_2_headcount_is_a_positive_whole_number_of_persons(raw: object) -> None:
    assert parse_employees(raw) is None


@pytest.mark.parametrize(
    ("raw", "value"), [(120, 120), ("120", 120), (" 1 200 ", 1200), (45.0, 45)]
)
def test_13_2_headcount_accepts_written_numbers(raw: object, value: int) -> None:
    assert parse_employees(raw) == value


@pytest.mark.parametrize(
    ("employees", "given", "consent", "code"),
    [
        (120, 2, False, None),
        (120, 1, False, Code.PARTICIPANTS_TOO_FEW),
        (120, 3, False, Code.PARTICIPANTS_TOO_MANY),
        (120, 3, True, None),  # pkt 11: more with the organisers' consent
        (120, 1, True, Code.PARTICIPANTS_TOO_FEW),  # consent never lowers the number
        (700, 5, False, None),
        (700, 4, False, Code.PARTICIPANTS_TOO_FEW),
        (3, 4, True, Code.PARTICIPANTS_TOO_MANY),  # not more people than the office employs
    ],
)
def test_10_11_number_of_participants(
    employees: int, given: int, consent: bool, code: Code | None
) -> None:
    violations = check_count(employees, given, consent)
    assert [v.code for v in violations] == ([code] if code else [])


def _codes(*pairs: tuple[Training, Area]) -> list[Code]:
    return [v.code for v in check_assignment([Assignment(t, a) for t, a in pairs])]


@pytest.mark.parametrize(
    ("pairs", "codes"),
    [
        # pkt 12.1: up to 2 participants, one kind only
        (((ON, EDU),), []),
        (((ST, EDU),), []),
        (((ON, EDU), (ON, GEO)), []),  # online: same or different areas
        (((ST, EDU), (ST, EDU)), []),
        (((ON, EDU), (ST, EDU)), [Code.MIXED_TRAINING_SMALL]),
        (((ST, EDU), (ST, GEO)), [Code.STATIONARY_AREAS_DIFFER]),
        # pkt 12.2: more than 2 — all online, or at most 2 stationary in one area
        (((ON, EDU), (ON, GEO), (ON, EDU)), []),
        (((ST, EDU), (ON, GEO), (ON, EDU)), []),
        (((ST, GEO), (ST, GEO), (ON, EDU)), []),
        (((ST, EDU), (ST, EDU), (ST, EDU)), [Code.STATIONARY_TOO_MANY]),
        (((ST, EDU), (ST, GEO), (ON, EDU)), [Code.STATIONARY_AREAS_DIFFER]),
        (((ST, EDU), (ST, EDU), (ST, EDU), (ON, GEO), (ON, GEO)), [Code.STATIONARY_TOO_MANY]),
    ],
)
def test_12_assignment(pairs: tuple[tuple[Training, Area], ...], codes: list[Code]) -> None:
    assert _codes(*pairs) == codes


def test_12_regime_follows_the_number_the_jst_must_register() -> None:
    """A JST that must send 3 people may already list 1 stationary and 1 online."""
    mixed = [Assignment(ST, EDU), Assignment(ON, GEO)]
    assert [v.code for v in check_assignment(mixed)] == [Code.MIXED_TRAINING_SMALL]
    assert check_assignment(mixed, planned_total=3) == []


@pytest.mark.parametrize("total", [1, 2, 3, 4, 5, 6])
def test_12_next_choice_only_offers_what_keeps_the_registration_valid(total: int) -> None:
    """Every path through the offered options ends valid; every valid one is reachable."""
    areas = (EDU, GEO)
    reachable: set[tuple[Assignment, ...]] = set()

    def walk(chosen: tuple[Assignment, ...]) -> None:
        if len(chosen) == total:
            assert check_assignment(chosen) == [], chosen
            reachable.add(chosen)
            return
        choice = next_choice(total, chosen)
        for training in choice.trainings:
            for area in choice.areas_for(training):
                if area in areas:
                    walk((*chosen, Assignment(training, area)))

    walk(())
    every = {
        combo
        for combo in itertools.product(
            [Assignment(t, a) for t in Training for a in areas], repeat=total
        )
        if not check_assignment(combo)
    }
    assert reachable == every


def test_12_next_choice_says_why() -> None:
    assert next_choice(2, [Assignment(ON, EDU)]).reasons == (Why.SMALL_SAME_KIND,)
    small_stationary = next_choice(2, [Assignment(ST, GEO)])
    assert small_stationary.trainings == (ST,)
    assert small_stationary.areas_for(ST) == (GEO,)
    full = next_choice(4, [Assignment(ST, EDU), Assignment(ST, EDU)])
    assert full.trainings == (ON,) and Why.STATIONARY_FULL in full.reasons
    assert next_choice(3, [Assignment(ST, EDU)]).reasons == (Why.STATIONARY_AREA_FIXED,)
    assert next_choice(3, []).reasons == (Why.FREE,)
