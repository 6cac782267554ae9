"""Shared fixtures: registration documents of invented JST and people."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

# Invented data: the names are made up; the NIPs have valid check digits only.
VALID_NIPS = ["1234563218", "5260250274", "7251801126", "5272525995", "6793108059"]


def make_document(
    *,
    employees: int = 45,
    participants: list[tuple[str, str]] | None = None,
    kind: str = "gmina_wiejska",
    teryt: str = "1206052",
    nip: str = "1234563218",
    consent: bool = False,
) -> dict[str, Any]:
    names = [
        "Anna Nowak",
        "Piotr Wiśniewski",
        "Ewa Zając",
        "Jan Kowalczyk",
        "Maria Lis",
        "Tomasz Wójcik",
        "Zofia Kamińska",
        "Adam Lewandowski",
    ]
    chosen = participants if participants is not None else [("online", "edukacja")]
    return {
        "jst": {
            "name": "Gmina Przykładowa",
            "kind": kind,
            "teryt": teryt,
            "nip": nip,
            "powiat": "krakowski",
            "office_name": "Urząd Gminy Przykładowa",
            "office_address": "ul. Słoneczna 1, 32-000 Przykładowo",
        },
        "employees": employees,
        "contact": {
            "name": "Krystyna Testowa",
            "phone": "601 234 567",
            "email": "sekretariat@przykladowa.example.pl",
        },
        "participants": [
            {"name": names[i], "training": training, "area": area}
            for i, (training, area) in enumerate(chosen)
        ],
        "organizer_consent": consent,
    }


@pytest.fixture
def document() -> Callable[..., dict[str, Any]]:
    def build(**kwargs: Any) -> dict[str, Any]:
        return copy.deepcopy(make_document(**kwargs))

    return build
