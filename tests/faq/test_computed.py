"""Computed answers: the asker's own number, group, assignments and organiser."""

from __future__ import annotations

import pytest

from registry.faq import FaqContext, answer_question
from registry.faq.computed import assignment_text, headcount_text, organizer_text, plural
from registry.faq.kb import load_kb
from rules.jst import JstKind

KB = load_kb()
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("employees", "group", "required", "noun"),
    [
        (1, "I", 1, "uczestnika"),
        (50, "I", 1, "uczestnika"),
        (51, "II", 2, "uczestników"),
        (150, "II", 2, "uczestników"),
        (151, "III", 3, "uczestników"),
        (300, "III", 3, "uczestników"),
        (301, "IV", 4, "uczestników"),
        (600, "IV", 4, "uczestników"),
        (601, "V", 5, "uczestników"),
    ],
)
def test_headcount_boundaries(employees: int, group: str, required: int, noun: str) -> None:
    place = "pracowniku" if employees == 1 else "pracownikach"
    expected = (
        f"Przy {employees} {place} urzędu (grupa {group}) zgłaszają Państwo "
        f"{required} {noun} (zasady rekrutacji, pkt 10)."
    )
    assert headcount_text(employees, KB, "pl") == expected
    answer = answer_question(f"ile osób zgłaszamy przy {employees} pracownikach")
    assert answer.matched and answer.computed
    assert answer.entry == "liczba_uczestnikow"
    assert answer.answer == expected


@pytest.mark.parametrize(
    ("question", "expected_start"),
    [
        (
            "ile osob zglaszamy przy 120 pracownikach",
            "Przy 120 pracownikach urzędu (grupa II) zgłaszają Państwo 2 uczestników",
        ),
        (
            "mamy 45 pracowników",
            "Przy 45 pracownikach urzędu (grupa I) zgłaszają Państwo 1 uczestnika",
        ),
        (
            "urząd zatrudnia 1200 osób",
            f"Przy 1{NBSP}200 pracownikach urzędu (grupa V) zgłaszają Państwo 5 uczestników",
        ),
        ("urzad zatrudnia 1 200 osob", f"Przy 1{NBSP}200 pracownikach urzędu (grupa V)"),
        ("w urzedzie pracuje 151 osob ilu zglaszamy", "Przy 151 pracownikach urzędu (grupa III)"),
        ("zatrudniamy 300 osob, ile uczestnikow", "Przy 300 pracownikach urzędu (grupa III)"),
        (
            "ile osob zglasza starostwo zatrudniajace 301 osob",
            "Przy 301 pracownikach urzędu (grupa IV)",
        ),
        ("mamy 601 pracownikow ile osob na szkolenie", "Przy 601 pracownikach urzędu (grupa V)"),
    ],
)
def test_headcount_in_the_question(question: str, expected_start: str) -> None:
    answer = answer_question(question)
    assert answer.entry == "liczba_uczestnikow"
    assert answer.answer.startswith(expected_start)


def test_headcount_in_etaty_adds_the_persons_note() -> None:
    answer = answer_question("mamy 600 etatów, ile osób zgłosić")
    assert answer.answer.startswith("Przy 600 pracownikach urzędu (grupa IV)")
    assert "w osobach, a nie w etatach" in answer.answer


def test_headcounts_in_different_groups_give_the_table_not_a_guess() -> None:
    answer = answer_question("ile osób zgłaszamy przy 40 albo 400 pracownikach")
    assert answer.entry == "liczba_uczestnikow"
    assert not answer.computed
    assert "grupa V" in answer.answer  # the whole table


@pytest.mark.parametrize(
    ("n", "forms"),
    [
        (1, "uczestnika"),
        (2, "uczestników"),
        (4, "uczestników"),
        (5, "uczestników"),
        (12, "uczestników"),
        (22, "uczestników"),
    ],
)
def test_masculine_personal_accusative_is_genitive_from_two(n: int, forms: str) -> None:
    assert plural(n, KB.text("participants_noun", "pl"), "pl") == forms


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (1, "pozostałą osobę"),
        (2, "pozostałe 2 osoby"),
        (3, "pozostałe 3 osoby"),
        (4, "pozostałe 4 osoby"),
        (5, "pozostałych 5 osób"),
        (12, "pozostałych 12 osób"),
        (13, "pozostałych 13 osób"),
        (22, "pozostałe 22 osoby"),
        (25, "pozostałych 25 osób"),
    ],
)
def test_feminine_plural_forms(n: int, form: str) -> None:
    assert plural(n, KB.text("rest", "pl"), "pl").format(n=n) == form


def test_english_plurals() -> None:
    nouns = KB.text("participants_noun", "en")
    assert plural(1, nouns, "en") == "participant"
    assert plural(2, nouns, "en") == plural(5, nouns, "en") == "participants"


def test_assignment_for_one_and_two_participants_is_one_kind_only() -> None:
    one = assignment_text(1, KB, "pl")
    two = assignment_text(2, KB, "pl")
    assert one.startswith("Jeśli zgłaszają Państwo 1 uczestnika")
    assert "pkt 12 ppkt 1" in one
    assert two.startswith("Jeśli zgłaszają Państwo 2 uczestników, obie osoby")
    assert "pkt 12 ppkt 1" in two


@pytest.mark.parametrize(
    ("n", "rest"),
    [
        (3, "a pozostałą osobę – na szkolenia online"),
        (4, "a pozostałe 2 osoby – na szkolenia online"),
        (5, "a pozostałe 3 osoby – na szkolenia online"),
        (7, "a pozostałych 5 osób – na szkolenia online"),
    ],
)
def test_assignment_for_more_than_two(n: int, rest: str) -> None:
    text = assignment_text(n, KB, "pl")
    assert text.startswith(f"Jeśli zgłaszają Państwo {n} uczestników")
    assert "najwyżej 2 osoby na szkolenia stacjonarne w jednym obszarze" in text
    assert rest in text
    assert "pkt 12 ppkt 2" in text


@pytest.mark.parametrize(
    ("question", "participants"),
    [
        ("mamy 3 uczestników, ilu może iść na stacjonarne", 3),
        ("mamy trzech uczestnikow, czy wszyscy moga isc na stacjonarne", 3),
        ("zglaszamy 5 osob czy wszyscy moga isc na stacjonarne", 5),
        ("mamy dwoch uczestnikow, czy jeden moze online a drugi stacjonarnie", 2),
    ],
)
def test_participants_in_the_question(question: str, participants: int) -> None:
    answer = answer_question(question)
    assert answer.entry == "przydzial_szkolen"
    assert answer.answer == assignment_text(participants, KB, "pl")


def test_headcount_and_stationary_question_gives_both() -> None:
    answer = answer_question("urząd ma 300 pracowników, ilu możemy wysłać na stacjonarne")
    assert answer.answer.startswith("Przy 300 pracownikach urzędu (grupa III)")
    assert assignment_text(3, KB, "pl") in answer.answer


@pytest.mark.parametrize(
    ("question", "organizer"),
    [
        ("jestesmy gmina wiejska, kto jest naszym organizatorem", "Związek Miast Polskich (ZMP)"),
        ("organizator dla gminy miejsko-wiejskiej", "Związek Miast Polskich (ZMP)"),
        ("kto organizuje szkolenia dla gminy miejskiej", "Związek Miast Polskich (ZMP)"),
        ("kto organizuje szkolenia dla powiatow", "Związek Powiatów Polskich (ZPP)"),
        ("czy miasto na prawach powiatu nalezy do ZPP", "Związek Powiatów Polskich (ZPP)"),
    ],
)
def test_organizer_for_a_kind_in_the_question(question: str, organizer: str) -> None:
    answer = answer_question(question)
    assert answer.entry == "organizatorzy"
    assert answer.computed
    assert f"jest {organizer}" in answer.answer


def test_organizer_texts_follow_the_rules_for_every_kind() -> None:
    for kind in JstKind:
        text = organizer_text(kind.value, KB, "pl")
        assert f"({kind.organizer.value})" in text
    assert "ZMP" in organizer_text("gmina", KB, "pl")
    city = organizer_text("miasto", KB, "pl")
    assert "ZPP" in city and "ZMP" in city  # a city may be either: both are said


def test_two_kinds_in_one_question_give_the_general_answer() -> None:
    answer = answer_question("kto organizuje szkolenia dla gminy i dla powiatu")
    assert answer.entry == "organizatorzy"
    assert not answer.computed


def test_context_fills_what_the_question_leaves_out() -> None:
    count = answer_question("ile osób musimy zgłosić?", context=FaqContext(employees=151))
    assert count.answer.startswith("Przy 151 pracownikach urzędu (grupa III)")
    organizer = answer_question(
        "kto jest naszym organizatorem?", context=FaqContext(jst_kind=JstKind.POWIAT)
    )
    assert "Związek Powiatów Polskich (ZPP)" in organizer.answer
    planned = answer_question(
        "ile osób może iść na stacjonarne?", context=FaqContext(participants=4)
    )
    assert planned.answer == assignment_text(4, KB, "pl")
    by_headcount = answer_question(
        "ile osób może iść na stacjonarne?", context=FaqContext(employees=40)
    )
    assert by_headcount.answer.startswith("Przy 40 pracownikach urzędu (grupa I)")
    assert assignment_text(1, KB, "pl") in by_headcount.answer


def test_the_question_wins_over_the_context() -> None:
    answer = answer_question("mamy 45 pracowników", context=FaqContext(employees=900))
    assert "(grupa I)" in answer.answer


def test_context_does_not_turn_a_rule_question_into_a_number() -> None:
    answer = answer_question("czy liczymy etaty czy osoby?", context=FaqContext(employees=120))
    assert answer.entry == "liczba_etaty"
    assert not answer.computed


def test_a_headcount_beside_another_rule_keeps_that_rule() -> None:
    answer = answer_question("mamy 120 pracowników, czy szkolenie jest płatne?")
    assert answer.entry == "bezplatne"
    more = answer_question("czy mozemy zglosic wiecej osob, mamy 120 pracownikow")
    assert more.entry == "wiecej_uczestnikow"
    assert more.answer.startswith("Przy 120 pracownikach urzędu (grupa II)")
    assert KB.entry("wiecej_uczestnikow").answer_pl in more.answer


def test_numbers_in_off_topic_questions_compute_nothing() -> None:
    for question in (
        "800 plus",
        "ile wynosi odpis na zfśs przy 120 pracownikach",
        "stawka vat 23 procent",
    ):
        assert not answer_question(question).matched


def test_english_computed_answers() -> None:
    answer = answer_question("How many participants for 1 employee?", lang="en")
    assert answer.answer == (
        "With 1 employee in the office (group I) you register 1 participant "
        "(recruitment rules, point 10)."
    )
    many = answer_question("we have 7 participants, how many can be stationary", lang="en")
    assert many.entry == "przydzial_szkolen"
    assert "the remaining 5 people" in many.answer
