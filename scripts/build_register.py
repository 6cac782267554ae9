"""Generate rules/_terc.py, the JST register, from the GUS TERYT TERC XML.

    python scripts/build_register.py [TERC.xml] [--output rules/_terc.py] [--check]

DESIGN.md ("Data at hand"): ship what the project needs of data/teryt inside the package
and build the lookup from it. The XML is 900 kB and needs a parser; the generated module is
a plain string constant that rules/register.py (pure, no I/O) imports and splits at load.

Which TERC rows are JST (data/teryt/MANIFEST.md):
- every gmina, RODZ 1/2/3, except the gmina row of a miasto na prawach powiatu;
- every miasto na prawach powiatu (powiat-level row with POW >= 61) as ONE JST, under the
  7-digit code of its single gmina row (Kraków 1261011, Warszawa 1465011);
- every powiat, 4 digits WWPP.
Not JST: województwa (not trained under SMUP), RODZ 4 miasto and 5 obszar wiejski (parts
of a gmina miejsko-wiejska), 8 dzielnica (Warszawa), 9 delegatura (Kraków, Łódź, …).

For every powiat the generator also gives its seat, the town of its starostwo, so that the
search can relate a typed town to its powiat ("Starostwo Powiatowe w Nowym Targu"). It is
derived from the adjective ("nowotarski" → Nowy Targ): most powiaty are named after their
seat. The ten that are not, or whose adjective names no town, are listed in SEATS.

It also gives where the starostwo is, the seat in the locative with its preposition ("w
Zakopanem", "we Wrocławiu"), for the office name the bot suggests ("Starostwo Powiatowe w
Zakopanem"). Polish declines town names by their endings, with exceptions listed in
IRREGULAR_LOCATIVES. Run with --seats to print every seat and its locative for checking by
eye.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Prefix

from rules.areas import fold  # the project's fold: lowercase, no diacritics, ł → l

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_XML = REPO_ROOT.parent / "shared" / "data" / "teryt" / "TERC_Urzedowy_2022-01-01.xml"
DEFAULT_OUTPUT = REPO_ROOT / "rules" / "_terc.py"

# TERC's RODZ of the three gmina kinds, and the JstKind values of DESIGN.md.
GMINA_KINDS = {"1": "gmina_miejska", "2": "gmina_wiejska", "3": "gmina_miejsko_wiejska"}
CITY_KIND = "miasto_na_prawach_powiatu"
POWIAT_KIND = "powiat"
FIRST_CITY_POW = 61  # MANIFEST: a miasto na prawach powiatu has POW >= 61

# How well the adjective must match a town (0-100) to count as its seat; below it the seat
# is left empty, and SEATS must give it.
SEAT_THRESHOLD = 75.0

# The seats that cannot be derived from the adjective: a powiat named after a region or a
# river ("tatrzański", "niżański"), or after a town that is not its seat (the starostwo of
# powiat gdański is in Pruszcz Gdański, of warszawski zachodni in Ożarów Mazowiecki). Each
# must be a town of the powiat's województwo; the generator checks that it is.
SEATS = {
    "0206": "Jelenia Góra",  # karkonoski
    "0218": "Środa Śląska",  # średzki (dolnośląskie)
    "0620": "Zamość",  # zamojski
    "1217": "Zakopane",  # tatrzański
    "1432": "Ożarów Mazowiecki",  # warszawski zachodni
    "1801": "Ustrzyki Dolne",  # bieszczadzki
    "1812": "Nisko",  # niżański
    "2204": "Pruszcz Gdański",  # gdański
    "2812": "Nowe Miasto Lubawskie",  # nowomiejski
    "3025": "Środa Wielkopolska",  # średzki (wielkopolskie)
}


@dataclass(frozen=True)
class Row:
    woj: str
    pow: str
    gmi: str
    rodz: str
    name: str
    kind_text: str  # NAZWA_DOD


@dataclass
class Jst:
    teryt: str
    kind: str
    name: str
    powiat: str
    wojewodztwo: str
    seat: str = ""
    in_seat: str = ""  # "w Zakopanem"


@dataclass(frozen=True)
class Town:
    """A place a powiat may be named after: a gmina miejska, the town of a gmina
    miejsko-wiejska (RODZ 4) or a miasto na prawach powiatu."""

    name: str
    woj: str
    powiat_code: str  # WWPP of the powiat it lies in (its own for a city)


def read_rows(xml_path: Path) -> tuple[str, list[Row]]:
    root = ET.parse(xml_path).getroot()
    catalog = root.find("catalog")
    state_date = catalog.get("date", "") if catalog is not None else ""
    rows = []
    for element in root.iter("row"):
        cells = {child.tag: (child.text or "").strip() for child in element}
        rows.append(
            Row(
                woj=cells["WOJ"],
                pow=cells["POW"],
                gmi=cells["GMI"],
                rodz=cells["RODZ"],
                name=cells["NAZWA"],
                kind_text=cells["NAZWA_DOD"],
            )
        )
    return state_date, rows


def build(rows: list[Row]) -> list[Jst]:
    wojewodztwa = {r.woj: r.name.lower() for r in rows if not r.pow}
    powiaty = {r.woj + r.pow: r for r in rows if r.pow and not r.gmi}
    jst: list[Jst] = []
    towns: list[Town] = []
    for r in rows:
        if not r.pow:
            continue
        code = r.woj + r.pow
        woj = wojewodztwa[r.woj]
        is_city = int(r.pow) >= FIRST_CITY_POW
        if not r.gmi:
            if not is_city:
                # A powiat: TERC's NAZWA is the adjective ("nowotarski").
                jst.append(Jst(code, POWIAT_KIND, "powiat " + r.name, r.name, woj))
            continue
        if r.rodz == "4":
            towns.append(Town(r.name, r.woj, code))
        if r.rodz not in GMINA_KINDS:
            continue  # 4 miasto, 5 obszar wiejski, 8 dzielnica, 9 delegatura
        teryt = r.woj + r.pow + r.gmi + r.rodz
        if is_city:
            # The one gmina row of a miasto na prawach powiatu is the city itself.
            if r.rodz != "1":
                raise ValueError(f"unexpected gmina {teryt} in a city with county rights")
            jst.append(Jst(teryt, CITY_KIND, r.name, r.name, woj))
            towns.append(Town(r.name, r.woj, code))
            continue
        jst.append(Jst(teryt, GMINA_KINDS[r.rodz], r.name, powiaty[code].name, woj))
        if r.rodz == "1":
            towns.append(Town(r.name, r.woj, code))
    # Every city must be a single JST: one powiat-level row and exactly one gmina row.
    cities = [j for j in jst if j.kind == CITY_KIND]
    city_rows = [r for r in rows if r.pow and not r.gmi and int(r.pow) >= FIRST_CITY_POW]
    if len(cities) != len(city_rows):
        raise ValueError(f"{len(city_rows)} city rows but {len(cities)} city gminy")
    for j in jst:
        if j.kind == POWIAT_KIND:
            j.seat = SEATS.get(j.teryt) or derive_seat(j.powiat, j.teryt, towns)
            j.in_seat = in_town(j.seat) if j.seat else ""
    for code, seat in SEATS.items():
        if not any(town.name == seat and town.woj == code[:2] for town in towns):
            raise ValueError(f"SEATS: {seat} is not a town of województwo {code[:2]}")
    jst.sort(key=lambda j: j.teryt)
    return jst


# --- seats -------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def _adjective_stem(adjective: str) -> str:
    """The stem of a powiat's adjective: "nowotarski" → "nowotar", "wielicki" → "wielic";
    of a compound ("kędzierzyńsko-kozielski") or a two-word name ("łódzki wschodni") the
    first part, which names the seat ("kedzierzyn", "lodz")."""
    first = _words(adjective)[0]
    for suffix in ("sko", "cko", "ski", "ki"):
        if first.endswith(suffix) and len(first) > len(suffix) + 1:
            return first[: -len(suffix)]
    return first


def _drop_vowel(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "aeiouy" else word


def _town_forms(town: str) -> list[str]:
    """The forms of a town name an adjective is made from: its first word with and
    without the final vowel ("wieliczka", "wieliczk"), and for two words the Polish
    compound "stem + o + stem" ("Nowy Targ" → "nowotarg", "Zielona Góra" → "zielonogor")."""
    words = _words(town)
    forms = [words[0], _drop_vowel(words[0])]
    if len(words) >= 2:
        forms.append(_drop_vowel(words[0]) + "o" + _drop_vowel(words[1]))
    return forms


def _stem_variants(stem: str) -> list[str]:
    """The adjective stem with the usual Polish alternations undone: k → c before the
    suffix ("ełcki" ← Ełk, "rycki" ← Ryki) and the fleeting e ("lubelski" ← Lublin,
    "moniecki" ← Mońki)."""
    variants = [stem]
    if stem.endswith("c"):
        variants.append(stem[:-1] + "k")
    for variant in list(variants):
        fleeting = re.sub(r"i?e([a-z])$", r"\1", variant)
        if fleeting != variant and len(fleeting) >= 3:
            variants.append(fleeting)
    return variants


def _seat_score(stem: str, town: str) -> float:
    best = 0.0
    for variant in _stem_variants(stem):
        for form in _town_forms(town):
            common = int(Prefix.similarity(variant, form))
            if common < 2:
                continue  # an adjective starts as its town does ("średzki" ≠ Swarzędz)
            best = max(best, fuzz.ratio(variant, form))
            # A short stem the town's first word starts with ("su" → Sucha Beskidzka,
            # "min" → Mińsk Mazowiecki, "bydgo" → Bydgoszcz) is as good as a close spelling,
            # and so is a long shared beginning ("radomszczański" ← Radomsko).
            if len(form) - common <= 4 and common == len(variant):
                best = max(best, 90.0)
            if common >= 5 and common >= len(form) - 2:
                best = max(best, 85.0)
    return best


def derive_seat(adjective: str, powiat_code: str, towns: list[Town]) -> str:
    """The town of the same województwo the powiat is named after, or "" if none is close.
    A town lying in the powiat wins a tie (two "Lidzbark" in warmińsko-mazurskie)."""
    stem = _adjective_stem(adjective)
    best: tuple[float, int, str] = (0.0, 0, "")
    for town in towns:
        if town.woj != powiat_code[:2]:
            continue
        score = _seat_score(stem, town.name)
        inside = 1 if town.powiat_code == powiat_code else 0
        best = max(best, (score, inside, town.name))
    return best[2] if best[0] >= SEAT_THRESHOLD else ""


# --- where the starostwo is: the seat in the locative ------------------------------------

VOWELS = "aąeęioóuy"

# Words no rule below declines: irregular forms, feminine nouns ending in a consonant,
# names declined as adjectives, and compounds written as one word.
IRREGULAR_LOCATIVES = {
    "Białystok": "Białymstoku",
    "Bydgoszcz": "Bydgoszczy",
    "Chodzież": "Chodzieży",
    "Gniezno": "Gnieźnie",
    "Gołdap": "Gołdapi",
    "Golub": "Golubiu",  # Golub-Dobrzyń
    "Jasło": "Jaśle",
    "Kolbuszowa": "Kolbuszowej",
    "Końskie": "Końskich",
    "Krasnystaw": "Krasnymstawie",
    "Krosno": "Krośnie",
    "Limanowa": "Limanowej",
    "Lubliniec": "Lublińcu",
    "Łęczna": "Łęcznej",
    "Łobez": "Łobzie",
    "Łódź": "Łodzi",
    "Miasto": "Mieście",  # Nowe Miasto Lubawskie
    "Olesno": "Oleśnie",
    "Oświęcim": "Oświęcimiu",
    "Radom": "Radomiu",
    "Sól": "Soli",  # Nowa Sól
    "Zakopane": "Zakopanem",
    # A whole name: it keeps the old neuter form.
    "Wysokie Mazowieckie": "Wysokiem Mazowieckiem",
}

# Adjectives of the first or second word of a name (the rest are nouns): "Nowy Targ",
# "Biała Podlaska", "Drawsko Pomorskie", "Ustrzyki Dolne".
_ADJECTIVE_ENDINGS = ("ski", "cki", "dzki", "ska", "cka", "dzka", "skie", "ckie")
_ADJECTIVES = {
    "Nowy", "Nowa", "Nowe", "Biała", "Jelenia", "Kamienna", "Zielona", "Stalowa", "Sucha",
    "Wielka", "Dolne",
}  # fmt: skip


def _is_adjective(word: str) -> bool:
    return word in _ADJECTIVES or word.endswith(_ADJECTIVE_ENDINGS)


def _plural(noun: str) -> bool:
    """Kielce, Gliwice, Siemiatycze, Ryki, Suwałki, Góry: plural nouns."""
    return noun.endswith(("y", "i", "ce", "cze")) and noun not in IRREGULAR_LOCATIVES


def _adjective_locative(word: str, plural: bool) -> str:
    if word in IRREGULAR_LOCATIVES:
        return IRREGULAR_LOCATIVES[word]
    if word.endswith("e"):  # neuter or plural: Pomorskie, Nowe; Krajeńskie, Dolne
        stem = word[:-1] if word.endswith("ie") else word[:-1] + "y"
        return stem + ("ch" if plural else "m")
    if word.endswith("a"):  # feminine: Podlaska → Podlaskiej, Biała → Białej
        return word[:-1] + ("iej" if word.endswith("ka") else "ej")
    return word + "m"  # masculine: Kujawski → Kujawskim, Nowy → Nowym


def _noun_locative(word: str, *, feminine: bool = False) -> str:
    if word in IRREGULAR_LOCATIVES:
        return IRREGULAR_LOCATIVES[word]
    if word.endswith("ów"):  # Kraków → Krakowie; Ostrów Mazowiecka is feminine
        return word[:-2] + ("owi" if feminine else "owie")
    # The ó of a closed last syllable opens: Międzychód → Międzychodzie, Racibórz.
    word = re.sub(r"ó([^aąeęioóuy]+)$", r"o\1", word)
    if _plural(word):  # Kielce → Kielcach, Puławy → Puławach
        return word[:-1] + "ach"
    if word.endswith("e"):  # neuter: Opole → Opolu, Świecie → Świeciu
        return word[:-1] + "u"
    if word.endswith(("a", "o")):
        stem, ending = word[:-1], word[-1]
        if ending == "o" and stem.endswith(("k", "g", "ch")):  # Nisko → Nisku
            return stem + "u"
        if ending == "a":
            if stem.endswith("k"):  # Wieliczka → Wieliczce
                return stem[:-1] + "ce"
            if stem.endswith("ch"):  # Przysucha → Przysusze
                return stem[:-2] + "sze"
            if stem.endswith(("c", "cz", "rz", "ż", "sz", "dz")):  # Legnica → Legnicy
                return stem + "y"
            if stem.endswith("j"):  # Złotoryja → Złotoryi
                return stem[:-1] + "i"
            if stem.endswith("i"):  # Bochnia → Bochni
                return stem
            if stem.endswith("l"):  # Tuchola → Tucholi
                return stem + "i"
        return _hard_locative(stem)
    # Masculine, ending in a consonant.
    if word.endswith("ław"):  # Wrocław → Wrocławiu
        return word + "iu"
    for soft, plain in (("ń", "n"), ("ć", "c"), ("ś", "s"), ("ź", "z")):
        if word.endswith(soft):  # Poznań → Poznaniu, Zamość → Zamościu
            return word[:-1] + plain + "iu"
    if word.endswith("ec"):  # the fleeting e: Mielec → Mielcu, Żywiec → Żywcu
        return word[: -3 if word.endswith("iec") else -2] + "cu"
    if word.endswith("ek"):  # Włocławek → Włocławku
        return word[:-2] + "ku"
    if word.endswith(("k", "g", "ch", "c", "cz", "sz", "rz", "ż", "dz", "j", "l")):
        return word + "u"
    return _hard_locative(word)


def _hard_locative(stem: str) -> str:
    """A hard stem and the softened ending: Jawor → Jaworze, Ostróda → Ostródzie,
    Koło → Kole, Nysa → Nysie. (Where the consonant before it softens too, as in
    Krosno → Krośnie, the word is in IRREGULAR_LOCATIVES.)"""
    for hard, soft in (("r", "rze"), ("d", "dzie"), ("t", "cie"), ("ł", "le")):
        if stem.endswith(hard):
            return stem[: -len(hard)] + soft
    return stem + "ie"


def locative(town: str) -> str:
    """ "Nowy Targ" → "Nowym Targu", "Bielsko-Biała" → "Bielsku-Białej"; the words after
    "nad" stay as they are ("Nakło nad Notecią" → "Nakle nad Notecią")."""
    if town in IRREGULAR_LOCATIVES:
        return IRREGULAR_LOCATIVES[town]
    words, _, rest = town.partition(" nad ")
    names = words.split(" ")
    nouns = [w for w in names if not _is_adjective(w)]
    plural = bool(nouns) and _plural(nouns[0])
    feminine = any(w.endswith(("ska", "cka")) for w in names)

    def decline(word: str) -> str:
        if _is_adjective(word):
            return _adjective_locative(word, plural)
        return _noun_locative(word, feminine=feminine)

    # Each part of a hyphenated name on its own: Bielsko-Biała → Bielsku-Białej.
    declined = ["-".join(decline(part) for part in word.split("-")) for word in names]
    return " ".join(declined) + (f" nad {rest}" if rest else "")


def in_town(town: str) -> str:
    """The locative with its preposition: "we" before w or f and a consonant ("we
    Wrocławiu", "we Wschowie"), "w" otherwise ("w Wąbrzeźnie", "w Krakowie")."""
    form = locative(town)
    head = form[:2].lower()
    preposition = "we" if head[0] in "wf" and head[1] not in VOWELS else "w"
    return f"{preposition} {form}"


# --- output ------------------------------------------------------------------------------


def render(xml_path: Path) -> str:
    """The text of rules/_terc.py: deterministic, so a test can compare it."""
    state_date, rows = read_rows(xml_path)
    jst = build(rows)
    digest = hashlib.sha256(xml_path.read_bytes()).hexdigest()
    for j in jst:
        for value in (j.teryt, j.kind, j.name, j.powiat, j.wojewodztwo, j.seat, j.in_seat):
            if "\t" in value or "\n" in value or '"' in value or "\\" in value:
                raise ValueError(f"unexpected character in {value!r}")
    # An empty seat is left out rather than written as trailing tabs (W291, and a
    # whitespace fixer would silently change the data).
    lines = "\n".join(
        "\t".join((j.teryt, j.kind, j.name, j.powiat, j.wojewodztwo, j.seat, j.in_seat)).rstrip(
            "\t"
        )
        for j in jst
    )
    return (
        "# Generated by scripts/build_register.py; do not edit by hand.\n"
        f"# Source: {xml_path.name} (GUS TERYT TERC, catalog date {state_date})\n"
        f"# Source sha256: {digest}\n"
        "# ruff: noqa: E501\n"
        '"""The JST register: every gmina, miasto na prawach powiatu and powiat of TERC.\n'
        "\n"
        "One JST a line, tab-separated: teryt, kind (a JstKind value), name, powiat (the\n"
        "powiat adjective as TERC writes it; a city's own name), województwo and, for a\n"
        "powiat, its seat (the town of its starostwo) and the seat in the locative with its\n"
        'preposition ("w Zakopanem").\n'
        '"""\n'
        "\n"
        f'SOURCE = "{xml_path.name}"\n'
        f'STATE_DATE = "{state_date}"\n'
        f"COUNT = {len(jst)}\n"
        "\n"
        f'DATA = """\\\n{lines}\n"""\n'
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("xml", nargs="?", type=Path, default=DEFAULT_XML)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    parser.add_argument(
        "--seats", action="store_true", help="print every powiat's seat and its locative"
    )
    args = parser.parse_args(argv)
    text = render(args.xml)
    if args.seats:
        _, rows = read_rows(args.xml)
        for j in build(rows):
            if j.kind == POWIAT_KIND:
                print(
                    f"{j.teryt}\t{j.wojewodztwo:20}\t{j.powiat:26}\t{j.seat or '-':24}\t"
                    f"{j.in_seat or '-'}"
                )
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
