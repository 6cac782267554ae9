"""The whole-document check: every violation at once, each with its DESIGN.md code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rules import Code, JstKind, Organizer, check_document

Doc = Callable[..., dict[str, Any]]


def test_valid_document_gives_registration_and_group(document: Doc) -> None:
    result = check_document(document(employees=45))
    assert result.valid, result.violations
    assert (result.group, result.required_participants, result.organizer) == ("I", 1, Organizer.ZMP)
    registration = result.registration
    assert registration is not None
    assert registration.contact.phone == "+48601234567"
    assert registration.to_json()["participants"] == [
        {"name": "Anna Nowak", "training": "online", "area": "edukacja"}
    ]


def test_every_violation_comes_at_once(document: Doc) -> None:
    doc = document(employees=120, participants=[("stationary", "edukacja")])
    doc["jst"]["nip"] = "123-456-32-19"
    doc["contact"]["email"] = "sekretariat.gmina.pl"
    doc["contact"]["phone"] = "123"
    result = check_document(doc)
    assert set(result.codes) == {
        "nip_invalid",
        "email_invalid",
        "phone_invalid",
        "participants_too_few",
    }
    assert result.registration is None
    assert result.required_participants == 2


@pytest.mark.parametrize(
    ("participants", "code"),
    [
        ([("online", "")], Code.AREA_MISSING),
        ([("online", "sport")], Code.AREA_UNKNOWN),
        ([("hybrydowe", "edukacja")], Code.TRAINING_UNKNOWN),
    ],
)
def test_13_4_each_participant_has_a_known_training_and_area(
    document: Doc, participants: list[tuple[str, str]], code: Code
) -> None:
    result = check_document(document(participants=participants))
    assert result.codes == [code.value]
    assert result.violations[0].params["index"] == 1


def test_employees_invalid(document: Doc) -> None:
    result = check_document(document(employees=-5))
    assert result.codes == ["employees_invalid"]
    assert result.group is None and result.required_participants is None


def test_11_consent_allows_more(document: Doc) -> None:
    two = [("online", "edukacja"), ("online", "nieruchomosci")]
    assert check_document(document(employees=45, participants=two)).codes == [
        "participants_too_many"
    ]
    assert check_document(document(employees=45, participants=two, consent=True)).valid


def test_powiat_goes_to_zpp(document: Doc) -> None:
    result = check_document(document(kind="powiat", teryt="1206"))
    assert result.organizer is Organizer.ZPP


def test_missing_sections_are_named(document: Doc) -> None:
    doc = document()
    del doc["contact"]
    doc["jst"]["office_address"] = ""
    result = check_document(doc)
    fields = {v.params.get("field") for v in result.violations if v.code is Code.FIELD_MISSING}
    assert fields == {
        "contact",
        "contact.name",
        "contact.phone",
        "contact.email",
        "jst.office_address",
    }


def test_duplicate_participant(document: Doc) -> None:
    doc = document(employees=120, participants=[("online", "edukacja"), ("online", "edukacja")])
    doc["participants"][1]["name"] = "anna  nowak"
    assert check_document(doc).codes == ["participant_duplicate"]


def test_not_an_object() -> None:
    assert not check_document(["x"]).valid


class _Register:
    def kind_of(self, teryt: str) -> JstKind | None:
        return {"1206052": JstKind.GMINA_WIEJSKA}.get(teryt)


def test_kind_taken_from_the_register_and_checked_against_it(document: Doc) -> None:
    doc = document()
    del doc["jst"]["kind"]
    assert check_document(doc, _Register()).organizer is Organizer.ZMP
    wrong = document(kind="powiat")
    result = check_document(wrong, _Register())
    assert result.violations[0].params["variant"] == "kind_mismatch"
    unknown = document(teryt="0201011")
    assert check_document(unknown, _Register()).violations[0].params["variant"] == "unknown"
