"""The service API: FaqAnswer, hand-over, languages."""

from __future__ import annotations

import dataclasses

import pytest

from registry.faq import FaqAnswer, answer_question, normalize_lang
from registry.faq.kb import load_kb

KB = load_kb()


def test_answer_is_frozen_and_serialises_to_the_contract() -> None:
    answer = answer_question("Czy szkolenie jest płatne?")
    assert isinstance(answer, FaqAnswer)
    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.matched = False  # type: ignore[misc]
    assert answer.to_json() == {
        "question": "Czy szkolenie jest płatne?",
        "matched": True,
        "answer": KB.entry("bezplatne").answer_pl,
        "entry": "bezplatne",
        "score": answer.score,
    }
    assert 0.0 < answer.score <= 1.0
    assert answer.ref == "000 Zasady rekrutacji pkt 16; 002"
    assert not answer.handed_over


def test_hand_over_in_both_languages() -> None:
    pl = answer_question("jaka jest stawka VAT")
    en = answer_question("jaka jest stawka VAT", lang="en")
    assert pl.handed_over and en.handed_over
    assert pl.answer == KB.texts["handover_pl"]
    assert pl.answer.startswith("Nie znam odpowiedzi na to pytanie; przekażę je organizatorowi")
    assert en.answer == KB.texts["handover_en"]
    assert pl.entry is None


def test_known_unknowns_are_handed_over() -> None:
    for question in (
        "czy po szkoleniu dostaniemy certyfikat",
        "gdzie odbywają się zjazdy stacjonarne",
    ):
        answer = answer_question(question)
        assert answer.handed_over and answer.entry is None


def test_english_answers() -> None:
    answer = answer_question("czy szkolenie jest płatne", lang="en")
    assert answer.answer == KB.entry("bezplatne").answer_en
    assert answer_question("Is the training free?", lang="en-GB").entry == "bezplatne"


def test_empty_question() -> None:
    answer = answer_question("   ")
    assert not answer.matched
    assert answer.answer == KB.texts["empty_pl"]


@pytest.mark.parametrize(
    ("given", "lang"), [("pl", "pl"), ("en", "en"), ("EN-us", "en"), ("de", "pl"), ("", "pl")]
)
def test_normalize_lang(given: str, lang: str) -> None:
    assert normalize_lang(given) == lang
