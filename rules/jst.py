"""Kinds of JST and who organises their trainings (Słownik pojęć, pkt 10–11)."""

from __future__ import annotations

from enum import StrEnum

from rules._marker import N_


class JstKind(StrEnum):
    GMINA_MIEJSKA = "gmina_miejska"
    GMINA_WIEJSKA = "gmina_wiejska"
    GMINA_MIEJSKO_WIEJSKA = "gmina_miejsko_wiejska"
    MIASTO_NA_PRAWACH_POWIATU = "miasto_na_prawach_powiatu"
    POWIAT = "powiat"

    @property
    def label(self) -> str:
        return KIND_NAMES[self]

    @property
    def organizer(self) -> Organizer:
        return organizer_for(self)


class Organizer(StrEnum):
    ZMP = "ZMP"
    ZPP = "ZPP"

    @property
    def label(self) -> str:
        return ORGANIZER_NAMES[self]


KIND_NAMES: dict[JstKind, str] = {
    JstKind.GMINA_MIEJSKA: N_("gmina miejska"),
    JstKind.GMINA_WIEJSKA: N_("gmina wiejska"),
    JstKind.GMINA_MIEJSKO_WIEJSKA: N_("gmina miejsko-wiejska"),
    JstKind.MIASTO_NA_PRAWACH_POWIATU: N_("miasto na prawach powiatu"),
    JstKind.POWIAT: N_("powiat"),
}

ORGANIZER_NAMES: dict[Organizer, str] = {
    Organizer.ZMP: N_("Związek Miast Polskich"),
    Organizer.ZPP: N_("Związek Powiatów Polskich"),
}


def organizer_for(kind: JstKind) -> Organizer:
    """ZMP for gminy that are not miasta na prawach powiatu (pkt 10); ZPP for powiaty and
    miasta na prawach powiatu (pkt 11)."""
    if kind in (JstKind.POWIAT, JstKind.MIASTO_NA_PRAWACH_POWIATU):
        return Organizer.ZPP
    return Organizer.ZMP


def parse_kind(value: object) -> JstKind | None:
    if isinstance(value, JstKind):
        return value
    if not isinstance(value, str):
        return None
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return JstKind(key)
    except ValueError:
        return None
