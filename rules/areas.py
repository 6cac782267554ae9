"""Thematic areas of SMUP (Słownik pojęć, pkt 3).

The slugs are a stable machine contract (DESIGN.md); the names are the seed's wording.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from functools import lru_cache

from rules._marker import N_


class Area(StrEnum):
    EDUKACJA = "edukacja"
    POLITYKA_SPOLECZNA = "polityka_spoleczna"
    KULTURA_REKREACJA = "kultura_rekreacja"
    DROGOWNICTWO_TRANSPORT = "drogownictwo_transport"
    OCHRONA_SRODOWISKA = "ochrona_srodowiska"
    NIERUCHOMOSCI = "nieruchomosci"
    INWESTYCJE_BUDOWNICTWO = "inwestycje_budownictwo"
    GEODEZJA_KARTOGRAFIA = "geodezja_kartografia"
    PODATKI_OPLATY = "podatki_oplaty"

    @property
    def label(self) -> str:
        """The seed's Polish name (a gettext message id)."""
        return AREA_NAMES[self]


# Słownik pojęć, pkt 3 — in the seed's order.
AREA_NAMES: dict[Area, str] = {
    Area.EDUKACJA: N_("Edukacja"),
    Area.POLITYKA_SPOLECZNA: N_("Lokalna polityka społeczna"),
    Area.KULTURA_REKREACJA: N_("Kultura i rekreacja"),
    Area.DROGOWNICTWO_TRANSPORT: N_("Drogownictwo i transport"),
    Area.OCHRONA_SRODOWISKA: N_("Ochrona środowiska"),
    Area.NIERUCHOMOSCI: N_("Gospodarowanie nieruchomościami"),
    Area.INWESTYCJE_BUDOWNICTWO: N_("Inwestycje i budownictwo"),
    Area.GEODEZJA_KARTOGRAFIA: N_("Geodezja i kartografia"),
    Area.PODATKI_OPLATY: N_("Podatki i opłaty lokalne"),
}


@lru_cache(maxsize=4096)  # the same labels are folded for every typed answer
def fold(text: str) -> str:
    """Lowercase without Polish diacritics (ł has no decomposition, so it is mapped)."""
    text = text.strip().lower().replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _area_aliases() -> dict[str, Area]:
    aliases: dict[str, Area] = {}
    for area, name in AREA_NAMES.items():
        aliases[area.value] = area
        aliases[fold(name)] = area
    return aliases


_ALIASES = _area_aliases()


def parse_area(value: object) -> Area | None:
    """An area from its slug or its Polish name (any case, with or without diacritics)."""
    if isinstance(value, Area):
        return value
    if not isinstance(value, str):
        return None
    key = fold(value).replace("-", "_")
    return _ALIASES.get(key) or _ALIASES.get(key.replace(" ", "_"))
