"""Zasady rekrutacji pkt 13: the form's fields."""

from __future__ import annotations

import pytest

from rules import fields
from rules.areas import Area, fold, parse_area
from rules.jst import JstKind, Organizer, organizer_for, parse_kind


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("1234563218", "1234563218"),
        ("123-456-32-18", "1234563218"),
        ("123 456 32 18", "1234563218"),
        ("PL 1234563218", "1234563218"),
        (" 526-025-02-74 ", "5260250274"),
    ],
)
def test_13_1_nip_accepts_dashes_and_spaces_stores_digits(raw: str, stored: str) -> None:
    assert fields.parse_nip(raw) == stored


@pytest.mark.parametrize(
    "raw", ["1234563219", "123456321", "12345632181", "abcdefghij", "", None, "0000000000"]
)
def test_13_1_nip_rejects_bad_check_digit_and_length(raw: object) -> None:
    assert fields.parse_nip(raw) is None


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("601 234 567", "+48601234567"),
        ("601-234-567", "+48601234567"),
        ("+48 601 234 567", "+48601234567"),
        ("0048601234567", "+48601234567"),
        ("(12) 345 67 89", "+48123456789"),
        ("+49 30 1234567", "+49301234567"),
    ],
)
def test_13_3_phone_stored_as_e164(raw: str, stored: str) -> None:
    assert fields.parse_phone(raw) == stored


@pytest.mark.parametrize(
    ("raw", "stored", "shown"),
    [
        # An office's landline with the extension, as offices write it ("wew." is short for
        # "numer wewnętrzny"); libphonenumber alone reads the letters of "wew" as digits.
        ("12 284 11 00 wew. 21", "+48122841100 wew. 21", "12 284 11 00 wew. 21"),
        ("+48 12 284 11 00 wew 21", "+48122841100 wew. 21", "12 284 11 00 wew. 21"),
        ("(12) 284-11-00 wewn. 215", "+48122841100 wew. 215", "12 284 11 00 wew. 215"),
        ("12 284 11 00 w. 21", "+48122841100 wew. 21", "12 284 11 00 wew. 21"),
        ("12 284 11 00, WEW. 21", "+48122841100 wew. 21", "12 284 11 00 wew. 21"),
        ("12 284 11 00 ext. 21", "+48122841100 wew. 21", "12 284 11 00 wew. 21"),
        ("12 284 11 00 #21", "+48122841100 wew. 21", "12 284 11 00 wew. 21"),
        ("601 234 567", "+48601234567", "601 234 567"),
        ("+49 30 1234567", "+49301234567", "+49 30 1234567"),
    ],
)
def test_13_3_phone_with_an_extension(raw: str, stored: str, shown: str) -> None:
    assert fields.parse_phone(raw) == stored
    assert fields.parse_phone(stored) == stored  # the registry checks the stored document
    assert fields.format_phone(stored) == shown


@pytest.mark.parametrize(
    "raw", ["12345", "601 234 56", "telefon", "", "+48 000 000 000", "wew. 21", "12345 wew. 21"]
)
def test_13_3_phone_rejects_impossible_numbers(raw: str) -> None:
    assert fields.parse_phone(raw) is None


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("sekretariat@gmina.example.pl", "sekretariat@gmina.example.pl"),
        ("Jan.Kowalski@Gmina.Example.PL", "Jan.Kowalski@gmina.example.pl"),
        (" ug@wies.example.pl ", "ug@wies.example.pl"),
    ],
)
def test_13_3_email_syntax_without_network(raw: str, stored: str) -> None:
    assert fields.parse_email(raw) == stored


@pytest.mark.parametrize(
    "raw", ["jan.kowalski", "jan@", "@gmina.pl", "jan kowalski@gmina.pl", "jan@gmina", ""]
)
def test_13_3_email_rejects_malformed(raw: str) -> None:
    assert fields.parse_email(raw) is None


@pytest.mark.parametrize(
    ("raw", "code"), [("34-400", "34-400"), ("34400", "34-400"), ("00-950", "00-950")]
)
def test_postal_code(raw: str, code: str) -> None:
    assert fields.parse_postal_code(raw) == code


@pytest.mark.parametrize("raw", ["3440", "344-00", "AB-123", "34-4000"])
def test_postal_code_rejects(raw: str) -> None:
    assert fields.parse_postal_code(raw) is None


def test_13_1_office_address_needs_postal_code_and_place() -> None:
    assert (
        fields.parse_office_address("ul. Rynek 1,  34400  Nowy Targ")
        == "ul. Rynek 1, 34-400 Nowy Targ"
    )
    assert fields.parse_office_address("ul. Rynek 1, Nowy Targ") is None
    assert fields.parse_office_address("34-400") is None


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Anna Nowak", "Anna Nowak"),
        ("anna nowak-kowalska", "Anna Nowak-Kowalska"),
        ("  Łucja   Żółkiewska ", "Łucja Żółkiewska"),
        ("JAN MARIA ROKITA", "Jan Maria Rokita"),
    ],
)
def test_13_3_person_name(raw: str, stored: str) -> None:
    assert fields.parse_person_name(raw) == stored


@pytest.mark.parametrize("raw", ["Anna", "Anna N0wak", "123 456", "", "a@b c"])
def test_13_3_person_name_rejects(raw: str) -> None:
    assert fields.parse_person_name(raw) is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1206052", "1206052"),
        ("1261011", "1261011"),
        ("1206", "1206"),
        ("120600", "1206"),
        ("1206000", "1206"),
    ],
)
def test_teryt_codes(raw: str, code: str) -> None:
    assert fields.parse_teryt(raw) == code


@pytest.mark.parametrize("raw", ["12", "1200", "12060", "1206054", "abc1234"])
def test_teryt_rejects(raw: str) -> None:
    assert fields.parse_teryt(raw) is None


def test_glossary_3_nine_areas_by_slug_and_name() -> None:
    assert len(Area) == 9
    assert parse_area("Gospodarowanie nieruchomościami") is Area.NIERUCHOMOSCI
    assert parse_area("podatki i oplaty lokalne") is Area.PODATKI_OPLATY
    assert parse_area("polityka_spoleczna") is Area.POLITYKA_SPOLECZNA
    assert parse_area("sport") is None
    assert fold("Łódź ŻÓŁW") == "lodz zolw"


@pytest.mark.parametrize(
    ("kind", "organizer"),
    [
        (JstKind.GMINA_MIEJSKA, Organizer.ZMP),
        (JstKind.GMINA_WIEJSKA, Organizer.ZMP),
        (JstKind.GMINA_MIEJSKO_WIEJSKA, Organizer.ZMP),
        (JstKind.MIASTO_NA_PRAWACH_POWIATU, Organizer.ZPP),
        (JstKind.POWIAT, Organizer.ZPP),
    ],
)
def test_glossary_10_11_organizer_by_kind(kind: JstKind, organizer: Organizer) -> None:
    assert organizer_for(kind) is organizer
    assert parse_kind(kind.value.replace("_", " ")) is kind
