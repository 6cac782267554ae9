"""The knowledge base covers every paragraph of seed 000 and invents nothing."""

from __future__ import annotations

import re

import pytest

from registry.faq.kb import load_kb
from registry.faq.matcher import get_matcher

KB = load_kb()
ANSWERED = [entry for entry in KB.entries if not entry.handover]

# Seed 000, paragraph by paragraph → the entry that answers it.
COVERAGE = {
    "Słownik pojęć pkt 1": "grupa_docelowa",
    "Słownik pojęć pkt 2": "jst_definicja",
    "Słownik pojęć pkt 3": "obszary",
    "Słownik pojęć pkt 4": "projekt_finansowanie",
    "Słownik pojęć pkt 5": "smup_czym_jest",
    "Słownik pojęć pkt 6": "online_opis",
    "Słownik pojęć pkt 7": "stacjonarne_opis",
    "Słownik pojęć pkt 8": "kto_uczestnik",
    "Słownik pojęć pkt 9": "umowa_uczestnictwa",
    "Słownik pojęć pkt 10": "organizatorzy",
    "Słownik pojęć pkt 11": "organizatorzy",
    "Informacje podstawowe pkt 1": "cel_577",
    "Informacje podstawowe pkt 2": "jednorazowe_zgloszenie",
    "Informacje podstawowe pkt 3": "pilotaz",
    "Informacje podstawowe pkt 4": "formy_szkolen",
    "Informacje podstawowe pkt 5": "harmonogram",
    "Informacje podstawowe pkt 6": "stacjonarne_min5",
    "Zasady rekrutacji pkt 1": "zgloszenie_formularz",
    "Zasady rekrutacji pkt 2": "cel_577",
    "Zasady rekrutacji pkt 3": "etapy_rekrutacji",
    "Zasady rekrutacji pkt 4": "etapy_rekrutacji",
    "Zasady rekrutacji pkt 5": "lista_rezerwowa",
    "Zasady rekrutacji pkt 6": "etap_tylko_rezerwowa",
    "Zasady rekrutacji pkt 7": "kolejnosc_zgloszen",
    "Zasady rekrutacji pkt 8": "akceptacja_zasad",
    "Zasady rekrutacji pkt 9": "kryteria_formalne",
    "Zasady rekrutacji pkt 10": "liczba_uczestnikow",
    "Zasady rekrutacji pkt 11": "wiecej_uczestnikow",
    "Zasady rekrutacji pkt 12": "przydzial_szkolen",
    "Zasady rekrutacji pkt 13": "formularz_dane",
    "Zasady rekrutacji pkt 14": "kontakt_pytania",
    "Zasady rekrutacji pkt 15": "wyniki_rekrutacji",
    "Zasady rekrutacji pkt 16": "bezplatne",
    "Umowa uczestnictwa pkt 1": "umowa_uczestnictwa",
    "Umowa uczestnictwa pkt 2": "oswiadczenia",
    "Umowa uczestnictwa pkt 3": "umowa_termin",
    "Umowa uczestnictwa pkt 4": "umowa_niepodpisana",
    "Umowa uczestnictwa pkt 5": "umowa_niepodpisana",
}


def _section_and_points(ref: str) -> list[tuple[str, set[int]]]:
    """("Zasady rekrutacji", {3, 4}) for "000 Zasady rekrutacji pkt 3–4" and the like."""
    found = []
    for part in ref.split(";"):
        match = re.search(
            r"(Słownik pojęć|Informacje podstawowe|Zasady rekrutacji|"
            r"Umowa uczestnictwa) pkt ([\d–i, ]+)",
            part,
        )
        if not match:
            continue
        points: set[int] = set()
        for low, high in re.findall(r"(\d+)(?:–(\d+))?", match.group(2)):
            points.update(range(int(low), int(high or low) + 1))
        found.append((match.group(1), points))
    return found


@pytest.mark.parametrize(("paragraph", "entry_id"), COVERAGE.items())
def test_every_paragraph_of_seed_000_has_an_entry_citing_it(paragraph: str, entry_id: str) -> None:
    section, _, point = paragraph.rpartition(" pkt ")
    entry = KB.entry(entry_id)
    cited = _section_and_points(entry.ref)
    assert any(s == section and int(point) in points for s, points in cited), entry.ref


def test_entries_are_complete() -> None:
    for entry in KB.entries:
        assert len(entry.questions) >= 5, entry.id
        assert entry.questions_en, entry.id
        assert entry.ref, entry.id
        assert entry.anchors, entry.id
        if not entry.handover:
            assert entry.answer_pl and entry.answer_en, entry.id
            assert entry.ref.startswith("00"), entry.id


def test_answers_invent_no_contacts_and_keep_polish_letters() -> None:
    phone = re.compile(r"\d{3}[ -]?\d{3}[ -]?\d{3}")
    urls = {"https://smup.gov.pl", "www.smup.jst.org.pl"}
    for entry in ANSWERED:
        for text in (entry.answer_pl, entry.answer_en):
            assert "@" not in text, entry.id
            assert not phone.search(text), entry.id
            for url in re.findall(r"(?:https?://|www\.)[\w./-]+\w", text):
                assert url in urls, (entry.id, url)
        assert re.search("[ąćęłńóśźż]", entry.answer_pl.lower()), entry.id


def test_texts_exist_in_both_languages() -> None:
    keys = {key.rsplit("_", 1)[0] for key in KB.texts}
    for key in keys:
        assert f"{key}_pl" in KB.texts and f"{key}_en" in KB.texts, key


def test_anchors_are_never_stop_words() -> None:
    lemmatizer = get_matcher().lemmatizer
    for entry in KB.entries:
        for anchor in entry.anchors:
            tokens = lemmatizer.analyse(anchor)
            assert tokens and not all(t.stop for t in tokens), (entry.id, anchor)


def test_typed_without_polish_letters_or_with_typos_the_answer_is_the_same() -> None:
    from registry.faq import answer_question

    entry = answer_question("Czy szkolenie jest płatne?").entry
    assert entry == "bezplatne"
    assert answer_question("czy szkolenie jest platne").entry == entry
    assert answer_question("czy szkolnie jest platne").entry == entry
    assert answer_question("Do kiedy podpisać umowę?").entry == "umowa_termin"
    assert answer_question("do kiedy podpisac umowe").entry == "umowa_termin"
    assert answer_question("harmonogarm szkolen").entry == "harmonogram"


def test_lemma_table_was_rebuilt_after_the_last_kb_edit() -> None:
    """Run `python -m registry.faq.build_lemmas` after editing kb.json."""
    import json

    from registry.faq.build_lemmas import KB_PATH, OUT_PATH, vocabulary_digest

    kb = json.loads(KB_PATH.read_text(encoding="utf-8"))
    table = json.loads(OUT_PATH.read_text(encoding="utf-8"))
    assert table["kb_digest"] == vocabulary_digest(kb)
