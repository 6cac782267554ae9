"""The JST register: every gmina, miasto na prawach powiatu and powiat, and its search.

The data is the GUS TERYT TERC register of 2022-01-01 (DESIGN.md "Data at hand"),
generated into rules/_terc.py by scripts/build_register.py. Pure: no I/O, no framework.

Who organises a JST's training follows from its kind (Słownik pojęć pkt 10–11): ZMP for
the three gmina kinds, ZPP for powiaty and miasta na prawach powiatu.

The search serves a person typing the name of their office in a chat, often on a phone:
no Polish letters, a typo, the words of an office's name ("Urząd Gminy w Kłodzku"), the
powiat as an adjective ("powiatu wielickiego"). It returns every JST that fits, best
first, because many names repeat (two gminy "Nowy Targ", three "Dobra"); the caller
asks the person to choose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Prefix

from rules import _terc
from rules.areas import fold
from rules.fields import parse_teryt
from rules.jst import JstKind, Organizer

__all__ = ["JstEntry", "Match", "Register", "load_register"]


@dataclass(frozen=True, slots=True)
class JstEntry:
    teryt: str
    name: str
    kind: JstKind
    powiat: str  # a gmina's powiat adjective as TERC writes it ("wielicki"); a city's name
    wojewodztwo: str  # lowercase, "małopolskie"
    # For a powiat, its seat: the town of its starostwo (scripts/build_register.py), which
    # the search relates to it ("Starostwo Powiatowe w Zakopanem"); and the seat in the
    # locative with its preposition ("w Zakopanem"), for the office's name. Neither is in
    # the JSON contract.
    seat: str = ""
    in_seat: str = ""

    @property
    def organizer(self) -> Organizer:
        return self.kind.organizer

    def to_json(self) -> dict[str, str]:
        """The `smup jst find --json` object of DESIGN.md."""
        return {
            "teryt": self.teryt,
            "name": self.name,
            "kind": self.kind.value,
            "powiat": self.powiat,
            "wojewodztwo": self.wojewodztwo,
            "organizer": self.organizer.value,
        }


@dataclass(frozen=True, slots=True)
class Match:
    entry: JstEntry
    score: float  # 0–100; 100 only for the name (or TERYT) typed exactly, case and letters aside


# --- query words -------------------------------------------------------------------------


class _Hint(Enum):
    """The kind of JST the words of a query point at."""

    GMINA = "gmina"
    GMINA_MIEJSKA = "gmina miejska"
    GMINA_WIEJSKA = "gmina wiejska"
    GMINA_MIEJSKO_WIEJSKA = "gmina miejsko-wiejska"
    MIASTO = "miasto"
    MIASTO_NPP = "miasto na prawach powiatu"
    POWIAT = "powiat"
    STAROSTWO = "starostwo"  # the office of a powiat; a city with county rights has none


_K = JstKind
# Points taken off a JST whose kind does not fit the words of the query. A city with
# county rights is a gmina miejska and a powiat at once, so those words cost it little;
# "miasto" fits the town of a gmina miejsko-wiejska ("miasto Wieliczka") almost fully.
_PENALTY: dict[_Hint, dict[JstKind, float]] = {
    _Hint.GMINA: {
        _K.GMINA_MIEJSKA: 0,
        _K.GMINA_WIEJSKA: 0,
        _K.GMINA_MIEJSKO_WIEJSKA: 0,
        _K.MIASTO_NA_PRAWACH_POWIATU: 5,
        _K.POWIAT: 15,
    },
    _Hint.GMINA_MIEJSKA: {
        _K.GMINA_MIEJSKA: 0,
        _K.MIASTO_NA_PRAWACH_POWIATU: 3,
        _K.GMINA_MIEJSKO_WIEJSKA: 10,
        _K.GMINA_WIEJSKA: 12,
        _K.POWIAT: 15,
    },
    _Hint.GMINA_WIEJSKA: {
        _K.GMINA_WIEJSKA: 0,
        _K.GMINA_MIEJSKO_WIEJSKA: 8,
        _K.GMINA_MIEJSKA: 12,
        _K.MIASTO_NA_PRAWACH_POWIATU: 15,
        _K.POWIAT: 15,
    },
    _Hint.GMINA_MIEJSKO_WIEJSKA: {
        _K.GMINA_MIEJSKO_WIEJSKA: 0,
        _K.GMINA_MIEJSKA: 8,
        _K.GMINA_WIEJSKA: 8,
        _K.MIASTO_NA_PRAWACH_POWIATU: 12,
        _K.POWIAT: 15,
    },
    _Hint.MIASTO: {
        _K.GMINA_MIEJSKA: 0,
        _K.MIASTO_NA_PRAWACH_POWIATU: 0,
        _K.GMINA_MIEJSKO_WIEJSKA: 4,
        _K.GMINA_WIEJSKA: 10,
        _K.POWIAT: 15,
    },
    _Hint.MIASTO_NPP: {
        _K.MIASTO_NA_PRAWACH_POWIATU: 0,
        _K.GMINA_MIEJSKA: 5,
        _K.POWIAT: 8,
        _K.GMINA_MIEJSKO_WIEJSKA: 10,
        _K.GMINA_WIEJSKA: 12,
    },
    _Hint.POWIAT: {
        _K.POWIAT: 0,
        _K.MIASTO_NA_PRAWACH_POWIATU: 5,
        _K.GMINA_MIEJSKA: 15,
        _K.GMINA_WIEJSKA: 15,
        _K.GMINA_MIEJSKO_WIEJSKA: 15,
    },
    # "Starostwo Powiatowe w Krakowie" is the office of powiat krakowski, not of Kraków.
    _Hint.STAROSTWO: {
        _K.POWIAT: 0,
        _K.MIASTO_NA_PRAWACH_POWIATU: 15,
        _K.GMINA_MIEJSKA: 15,
        _K.GMINA_WIEJSKA: 15,
        _K.GMINA_MIEJSKO_WIEJSKA: 15,
    },
}

# Order among equal scores when the query names no kind: a bare name is most often the
# town (Kraków, Nowy Targ the town before Nowy Targ the rural gmina around it).
_KIND_ORDER = {
    _K.MIASTO_NA_PRAWACH_POWIATU: 0,
    _K.GMINA_MIEJSKA: 1,
    _K.GMINA_MIEJSKO_WIEJSKA: 2,
    _K.GMINA_WIEJSKA: 3,
    _K.POWIAT: 4,
}


def _phrases() -> dict[tuple[str, ...], _Hint | None]:
    """Words people add to a JST's name (folded, as tokens), with the kind they point at;
    None for words that say nothing about the kind ("urząd", the preposition "w")."""
    table: dict[_Hint | None, list[str]] = {
        None: [
            "urzad",
            "urzedu",
            "urzedzie",
            "w",
            "we",
            "jst",
            "samorzad",
            "siedziba",
            "siedziba w",
            "z siedziba w",
            "st",
            "wojt",
            "wojta",
        ],
        _Hint.GMINA: [
            "gmina",
            "gminy",
            "gminie",
            "gmine",
            "gmin",
            "gm",
            "urzad gminy",
            "urzedu gminy",
            "urzedzie gminy",
            "ug",
            "wojt gminy",
            "wojta gminy",
        ],
        _Hint.GMINA_MIEJSKA: [
            "gmina miejska",
            "gminy miejskiej",
            "gminie miejskiej",
            "gmine miejska",
            "gmina miasto",
            "gminy miasto",
            "miejska",
        ],
        _Hint.GMINA_WIEJSKA: [
            "gmina wiejska",
            "gminy wiejskiej",
            "gminie wiejskiej",
            "gmine wiejska",
            "wiejska",
        ],
        _Hint.GMINA_MIEJSKO_WIEJSKA: [
            "gmina miejsko wiejska",
            "gminy miejsko wiejskiej",
            "gminie miejsko wiejskiej",
            "gmine miejsko wiejska",
            "miejsko wiejska",
            "miejsko wiejskiej",
            "urzad miasta i gminy",
            "urzedu miasta i gminy",
            "urzedzie miasta i gminy",
            "urzad gminy i miasta",
            "urzedu gminy i miasta",
            "urzedzie gminy i miasta",
            "umig",
            "ugim",
            "miasto i gmina",
            "miasta i gminy",
            "gmina i miasto",
            "gminy i miasta",
            "burmistrz miasta i gminy",
        ],
        _Hint.MIASTO: [
            "miasto",
            "miasta",
            "miescie",
            "miastem",
            "m",
            "um",
            "urzad miasta",
            "urzedu miasta",
            "urzedzie miasta",
            "urzad miejski",
            "urzedu miejskiego",
            "urzedzie miejskim",
            "burmistrz",
            "burmistrza",
            "burmistrz miasta",
            "prezydent",
            "prezydenta",
            "prezydent miasta",
            "prezydenta miasta",
        ],
        _Hint.MIASTO_NPP: [
            "miasto na prawach powiatu",
            "miasta na prawach powiatu",
            "miescie na prawach powiatu",
            "na prawach powiatu",
            "mnpp",
            "m n p p",
            "miasto stoleczne",
            "miasta stolecznego",
            "m st",
            "urzad miasta stolecznego",
        ],
        _Hint.POWIAT: [
            "powiat",
            "powiatu",
            "powiecie",
            "powiatem",
            "powiatowi",
            "pow",
            "powiatowy",
        ],
        _Hint.STAROSTWO: [
            "starostwo",
            "starostwa",
            "starostwie",
            "starostwem",
            "starostwo powiatowe",
            "starostwa powiatowego",
            "starostwie powiatowym",
            "starosta",
            "starosty",
            "starosta powiatowy",
        ],
    }
    return {tuple(p.split()): hint for hint, phrases in table.items() for p in phrases}


_PHRASES = _phrases()
_LONGEST_PHRASE = max(len(p) for p in _PHRASES)
_WOJ_WORDS = frozenset({"woj", "wojewodztwo", "wojewodztwa", "wojewodztwie"})
_TOKEN = re.compile(r"[a-z0-9]+")
# Parts of a query after the name: "Dobra, powiat turecki", "Lipno (kujawsko-pomorskie)".
_SEGMENT = re.compile(r"[,;()\[\]/|]|\s[-–—]\s")


def _tokens(text: str) -> list[str]:
    """Folded words; hyphens split ("Bielsko-Biała" and "Bielsko Biała" are the same)."""
    return _TOKEN.findall(fold(text))


def _adjective_base(token: str) -> str:
    """A masculine adjective in an oblique case to its nominative: "wielickiego",
    "wielickim", "wielickiemu" → "wielicki", so "powiatu wielickiego" finds the powiat.
    Feminine forms are left alone: "Wielicka" is far more often a mistyped Wieliczka."""
    for ending in ("iego", "iemu", "im"):
        if (
            token.endswith(ending)
            and len(token) > len(ending) + 2
            and token[-len(ending) - 1] in "kc"
        ):
            return token[: -len(ending)] + "i"
    return token


@dataclass(frozen=True, slots=True)
class _Reading:
    """One way to read a query: the name's words, the kinds pointed at, and words naming
    the powiat or województwo the JST lies in."""

    words: tuple[str, ...]
    hints: frozenset[_Hint]
    context: tuple[str, ...]
    literal: bool  # the whole query as typed, with words that the other reading took out
    dropped: int  # phrases taken out of the query as kind words: the more, the more a guess
    locative: bool  # "w"/"we" came before the name: it is declined ("w Kłodzku")


def _read_segment(
    tokens: list[str], in_context: bool, regions: frozenset[str], keep_late: bool
) -> tuple[list[str], set[_Hint], list[str], bool, int]:
    """Take the kind words out of one part of the query; `regions` are the first words of
    the województwa's names ("malopolskie", "kujawsko"). With `keep_late`, only the first
    kind phrase is taken: later kind and region words stay in the name ("gmina Nowe
    Miasto", "gmina miejsko-wiejska Miejska Górka", "gmina Oborniki Śląskie")."""
    words: list[str] = []
    hints: set[_Hint] = set()
    context: list[str] = []
    locative = False
    dropped = 0
    i = 0
    while i < len(tokens):
        for size in range(min(_LONGEST_PHRASE, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i : i + size])
            if phrase in _PHRASES:
                break
        else:
            size, phrase = 0, ()
        if size:
            hint = _PHRASES[phrase]
            i += size
            if keep_late and (words or hints) and not in_context and hint is not None:
                words.extend(phrase)
                continue
            locative = locative or phrase[-1] in ("w", "we")
            dropped += 0 if in_context else 1
            if hint is _Hint.POWIAT and (in_context or (words and i < len(tokens))):
                # "Dobra, powiat turecki", "Dobra pow. turecki": the powiat the gmina lies
                # in, not the kind asked for.
                context.extend(tokens[i:])
                break
            if hint is not None:
                hints.add(hint)
            continue
        token = tokens[i]
        i += 1
        if (token in _WOJ_WORDS or token in regions) and not (keep_late and words):
            # "Lipno woj. kujawsko-pomorskie": the rest names the region.
            context.extend(tokens[i - 1 if token in regions else i :])
            break
        if in_context:
            context.append(token)
        else:
            words.append(token)
    return words, hints, context, locative, dropped


def _parse(folded: str, regions: frozenset[str], keep_late: bool) -> _Reading:
    words: list[str] = []
    hints: set[_Hint] = set()
    context: list[str] = []
    locative = False
    dropped = 0
    for segment in _SEGMENT.split(folded):
        tokens = _TOKEN.findall(segment)
        if not tokens:
            continue
        in_context = bool(words)
        seg_words, seg_hints, seg_context, seg_locative, seg_dropped = _read_segment(
            tokens, in_context, regions, keep_late
        )
        dropped += seg_dropped
        words.extend(seg_words)
        hints |= seg_hints
        context.extend(seg_context)
        locative = locative or (seg_locative and not in_context)
    return _Reading(tuple(words), frozenset(hints), tuple(context), False, dropped, locative)


def _readings(query: str, regions: frozenset[str]) -> list[_Reading]:
    """The ways to read a query, each scored; a JST keeps its best score."""
    folded = fold(query)
    literal = tuple(_TOKEN.findall(folded))
    readings: list[_Reading] = []
    for keep_late in (False, True):
        reading = _parse(folded, regions, keep_late)
        if reading.words and all(
            (r.words, r.hints, r.context) != (reading.words, reading.hints, reading.context)
            for r in readings
        ):
            readings.append(reading)
    if readings and all(r.words != literal for r in readings):
        # The query as typed, for a bracket ("Dobra (Szczecińska)") or a name that is
        # nothing but kind words.
        readings.append(_Reading(literal, frozenset(), (), True, 0, False))
    return readings


# --- similarity --------------------------------------------------------------------------

_VOWELS = "aeiouy"
# Case endings of Polish nouns and adjectives, folded: what a declined name puts after its
# stem ("Krakow-ie", "Kłodzk-u", "Kielc-ach", "Zielon-ej", "Zakopane-m", "Gdyni-").
_CASE_ENDINGS = frozenset(
    {
        "",
        "a",
        "e",
        "i",
        "y",
        "u",
        "ie",
        "iu",
        "ii",
        "ia",
        "ej",
        "iej",
        "em",
        "iem",
        "im",
        "ym",
        "om",
        "ach",
        "ami",
        "ow",
        "owi",
        "ego",
        "iego",
        "emu",
        "iemu",
        "m",
        "ch",
    }
)
# A plural name's final -i/-y gives way only to plural endings ("Suwałki" → "Suwałkach"); so
# the feminine "wielicka" is no case of the adjective "wielicki".
_PLURAL_ENDINGS = frozenset({"ach", "ami", "om", "ow"})
# Stems a name takes before an ending besides losing its final vowel: the fleeting e
# ("Bolesławiec" → "Bolesławcu", "Szczecinek" → "Szczecinku") and a softened consonant
# ("Wieliczka" → "Wieliczce", "Góra" → "Górze", "Sopot" → "Sopocie", "Ostróda" → "Ostródzie").
_STEM_CHANGES = (
    ("iec", "c"),
    ("ec", "c"),
    ("ek", "k"),
    ("ka", "c"),
    ("ra", "rz"),
    ("ga", "dz"),
    ("cha", "sz"),
    ("da", "dz"),
    ("t", "c"),
)
# The looser test for other endings: what a name may lose ("Kłodzk-o", "-ia") and what the
# query may have instead, both short.
_NAME_ENDING = re.compile(r"|i?[aeouy]|i|[a-z][aeouy]|i?e[cknl]")
_QUERY_ENDING = re.compile(r"|[a-z]{0,2}[aeiouy][a-z]{0,2}|m|ch")
# Words of JST names whose stem changes within its first letters, beyond _STEM_CHANGES:
# "Miasto" → "w Nowym Mieście", "Wieś" → "w Wielkiej Wsi" (folded: the stem, and the
# endings it takes).
_WORD_STEMS = {
    "miasto": ("miesc", frozenset({"ie"})),
    "wies": ("ws", frozenset({"i"})),
}
_LOCATIVE_BONUS = 2.0  # after "w"/"we" a declined name is what to expect ("Urząd Gminy w …")


def _declined(query: str, name: str) -> float:
    """How well `query` reads as `name` declined (0 if it does not): "krakowie" as
    "krakow" 95, "klodzku" as "klodzko" 94.5. Always below 100, so the name typed as it is
    comes first."""
    if len(name) < 3:
        return 0.0
    same_start = query.startswith(name[:3])
    whole = _WORD_STEMS.get(name)
    if not same_start and whole is None:
        return 0.0
    stems = [(name, 0.0, _CASE_ENDINGS)]
    if name[-1] in _VOWELS and len(name) > 3:
        endings = _PLURAL_ENDINGS if name[-1] in "iy" else _CASE_ENDINGS
        stems.append((name[:-1], 1.0, endings))
    for tail, change in _STEM_CHANGES:
        if name.endswith(tail) and len(name) - len(tail) >= 3:
            stems.append((name[: -len(tail)] + change, 1.0, _CASE_ENDINGS))
    if whole is not None:
        stems.append((whole[0], 1.0, whole[1]))
    best = 0.0
    for stem, cost, endings in stems:
        if query.startswith(stem) and query[len(stem) :] in endings:
            best = max(best, 96.0 - cost - 0.5 * (len(query) - len(stem)))
    if best or not same_start:
        return best
    common = int(Prefix.similarity(query, name))
    name_rest, query_rest = len(name) - common, len(query) - common
    if (
        name_rest <= 3
        and query_rest <= 4
        and _NAME_ENDING.fullmatch(name[common:])
        and _QUERY_ENDING.fullmatch(query[common:])
    ):
        return 90.0 - 2 * name_rest - query_rest
    return 0.0


# A search compares the same words again and again across the readings of its query; few
# pairs recur from one query to the next. A larger cache gains no speed (the register's
# 2,791 names searched each: 0.21 ms a search with 512 entries or 65,536) but holds about
# 200 bytes a pair: 8 MB after a surge of every JST.
@lru_cache(maxsize=4096)
def _token_similarity(query: str, name: str, locative: bool = False) -> float:
    """0–100 for one word of the query against one word of a name."""
    if query == name:
        return 100.0
    best = fuzz.ratio(query, name)  # typos: "Wielicka" for Wieliczka
    # An inflected form ("w Kłodzku" → Kłodzko, "Krakowie" → Kraków), only for real
    # Polish endings so it stays precise ("Dobra" does not find Dobrcz).
    declined = _declined(query, name)
    if declined:
        best = max(best, declined + (_LOCATIVE_BONUS if locative else 0.0))
    adjective = _adjective_base(query)
    if adjective != query and adjective == name:
        best = max(best, 97.0)  # "powiatu wielickiego" → wielicki
    return min(best, 99.0)


def _name_similarity(reading: _Reading, text: str, key: tuple[str, ...], key_text: str) -> float:
    """0–100 for the words of a query against the words of a name (both folded)."""
    words, literal, loc = reading.words, reading.literal, reading.locative
    if text == key_text:
        return 100.0
    best = fuzz.ratio(text, key_text)  # catches "bielskobiala", "bialymstoku"
    n, m = len(words), len(key)
    if n == m:
        score = sum(_token_similarity(q, k, loc) for q, k in zip(words, key, strict=True)) / m
    elif n < m:
        # The beginning of a longer name ("Bielsko" for Bielsko-Biała): a word not typed
        # counts 0.8 of the typed ones, so "Nowy" lists every "Nowy …" at 90, below any
        # full match, and "Wieliczka" does not find "Wielka Wieś".
        typed = sum(_token_similarity(q, k, loc) for q, k in zip(words, key, strict=False))
        score = typed / n * (n + 0.8 * (m - n)) / m
    elif literal:
        # Its extra words are the kind words of the query: "miasto Nowy Targ" must not find
        # the gmina wiejska Nowy Targ by its last two words, without the kind's penalty.
        score = sum(_token_similarity(q, k, loc) for q, k in zip(words, key, strict=False)) / n
    else:
        # The name inside a longer text ("Wieliczka ul. Powstania Warszawy 1"): the best
        # run of words, less for the words left over: 15 for one ("Bielsko Biała" is not
        # the gmina Biała), 5 for each further one.
        score = max(
            sum(_token_similarity(q, k, loc) for q, k in zip(words[i : i + m], key, strict=True))
            / m
            for i in range(n - m + 1)
        ) - min(30.0, 10.0 + 5.0 * (n - m))
    return max(best, score)


# --- the register ------------------------------------------------------------------------

# A town typed for its powiat ("Nowy Targ" for powiat nowotarski) counts a little less than
# its name, unless the query names the starostwo ("Starostwo Powiatowe w Nowym Targu"): a
# gmina has none, so the town is the powiat's seat.
_SEAT_WEIGHT = 0.9
_FIRST_WORD_WEIGHT = 0.95  # "powiat łódzki" for powiat łódzki wschodni
_MIN_SCORE = 60.0
_WINDOW = 20.0  # candidates more than this far below the best are noise
_CONTEXT_PENALTY = 10.0
# A reading that took words out of the query is a guess: it scores a little below the same
# name typed as it is, the less the more it took ("gmina Nowe Miasto" is the gmina Nowe
# Miasto before the town of Nowe).
_GUESS_PENALTY = 1.0


@dataclass(frozen=True, slots=True)
class _Key:
    entry: int  # index into Register.entries
    words: tuple[str, ...]
    text: str
    weight: float
    seat: bool = False  # the town of a powiat's starostwo


class Register:
    """The 2,791 JST of TERC 2022-01-01. Build it with load_register()."""

    def __init__(self, entries: Iterable[JstEntry]) -> None:
        self.entries: tuple[JstEntry, ...] = tuple(entries)
        self._by_teryt: dict[str, JstEntry] = {}
        for entry in self.entries:
            self._by_teryt[entry.teryt] = entry
        for entry in self.entries:
            if entry.kind is JstKind.MIASTO_NA_PRAWACH_POWIATU:
                # A city's powiat-level TERC code (1261 for Kraków) names the same JST.
                self._by_teryt.setdefault(entry.teryt[:4], entry)
        self._keys: list[_Key] = []
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        self._names: dict[str, list[JstEntry]] = {}
        # Per entry the words of its województwo and of its powiat ("kujawsko pomorskie",
        # "lipnowski"), to read "Lipno, kujawsko-pomorskie" or "Dobra, powiat turecki".
        self._places: list[tuple[tuple[str, ...], ...]] = []
        # Folding is the costly part of the build (unicodedata per character), so each
        # distinct text is folded once, all in one call: fold works letter by letter.
        # (fold strips the ends, hence the "#" lines around the texts, one of them "".)
        texts = sorted({t for e in self.entries for t in (e.name, e.powiat, e.wojewodztwo, e.seat)})
        lines = fold("#\n" + "\n".join(texts) + "\n#").split("\n")[1:-1]
        folded = dict(zip(texts, lines, strict=True))
        for index, entry in enumerate(self.entries):
            name, powiat = folded[entry.name], folded[entry.powiat]
            wojewodztwo, seat = folded[entry.wojewodztwo], folded[entry.seat]
            for words, weight in self._entry_keys(entry, name, powiat):
                self._add_key(_Key(index, words, " ".join(words), weight))
            if seat:
                words = tuple(_TOKEN.findall(seat))
                self._add_key(_Key(index, words, " ".join(words), _SEAT_WEIGHT, seat=True))
            places = (tuple(_TOKEN.findall(wojewodztwo)), tuple(_TOKEN.findall(powiat)))
            self._places.append(places)
            self._names.setdefault(" ".join(_TOKEN.findall(name)), []).append(entry)
            if entry.kind is JstKind.POWIAT:
                self._names.setdefault(" ".join(_TOKEN.findall(powiat)), []).append(entry)
        self._key_texts = [key.text for key in self._keys]
        # The word a województwo's name starts with: where a query's region part begins.
        self._regions = frozenset(places[0][0] for places in self._places)

    @staticmethod
    def _entry_keys(entry: JstEntry, name: str, powiat: str) -> list[tuple[tuple[str, ...], float]]:
        """The folded names a JST is searched by, each with the weight of a match on it.
        (A powiat is also searched by its seat, a key of its own: see _SEAT_WEIGHT.)"""
        if entry.kind is JstKind.POWIAT:
            adjective = tuple(_TOKEN.findall(powiat))
            keys = [(adjective, 1.0)]
            if len(adjective) > 1:
                keys.append((adjective[:1], _FIRST_WORD_WEIGHT))
            return keys
        keys = [(tuple(_TOKEN.findall(name)), 1.0)]
        if "(" in name:
            # "Dobra (Szczecińska)": the bracket only tells it from the other Dobra.
            keys.append((tuple(_TOKEN.findall(name.split("(")[0])), 1.0))
        return keys

    def _add_key(self, key: _Key) -> None:
        number = len(self._keys)
        self._keys.append(key)
        self._exact.setdefault(key.text, []).append(number)
        for word in set(key.words):
            self._prefix.setdefault(word[:3], []).append(number)

    # --- look-ups ----------------------------------------------------------------------

    def __iter__(self) -> Iterator[JstEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, teryt: str) -> JstEntry | None:
        """The JST of a TERYT code: 7 digits for a gmina or city, 4 for a powiat
        ("1206", "120600" and "1206000" alike)."""
        code = parse_teryt(teryt)
        if code is None:
            return None
        return self._by_teryt.get(code)

    def kind_of(self, teryt: str) -> JstKind | None:
        """rules.document.KindLookup: the kind behind a TERYT code."""
        entry = self.get(teryt)
        return entry.kind if entry is not None else None

    def find_by_name(self, name: str, kind: JstKind | None = None) -> list[JstEntry]:
        """Every JST whose name is exactly `name` once case and Polish letters are set
        aside, for importing lists ("Nowy Targ", "powiat nowotarski", "nowotarski").
        Leading kind words narrow it: "Gmina wiejska Nowy Targ", "Miasto Kraków"."""
        words = _tokens(name)
        found = self._names.get(" ".join(words))
        hints: set[_Hint] = set()
        if found is None:
            # Only whole kind phrases before the name are taken off; the rest must match.
            while words:
                for size in range(min(_LONGEST_PHRASE, len(words)), 0, -1):
                    if tuple(words[:size]) in _PHRASES:
                        hint = _PHRASES[tuple(words[:size])]
                        if hint is not None:
                            hints.add(hint)
                        words = words[size:]
                        break
                else:
                    break
            found = self._names.get(" ".join(words), [])
            if hints:
                found = [e for e in found if min(_PENALTY[h][e.kind] for h in hints) <= 5]
        return [e for e in found if kind is None or e.kind is kind]

    # --- search ------------------------------------------------------------------------

    def search(self, query: str, limit: int = 10) -> list[Match]:
        """The JST a person may mean by `query`, best first, at most `limit`.

        Every JST of the same name comes back, with the kind the words point at first;
        an empty list when nothing is close."""
        code = parse_teryt(query.strip()) if query.strip().isdigit() else None
        if code is not None:
            entry = self._by_teryt.get(code)
            return [Match(entry, 100.0)] if entry is not None and limit > 0 else []
        best: dict[int, float] = {}
        for reading in _readings(query, self._regions):
            for index, score in self._score(reading).items():
                if score > best.get(index, 0.0):
                    best[index] = score
        if not best:
            return []
        top = max(best.values())
        floor = max(_MIN_SCORE, top - _WINDOW)
        ranked = sorted(
            (index for index, score in best.items() if score >= floor),
            key=lambda i: (-best[i], _KIND_ORDER[self.entries[i].kind], self.entries[i].teryt),
        )
        return [Match(self.entries[i], round(best[i], 1)) for i in ranked[:limit]]

    def _candidates(self, reading: _Reading) -> set[int]:
        text = " ".join(reading.words)
        exact = self._exact.get(text, ())
        found = set(exact)
        for word in reading.words:
            for variant in {word, _adjective_base(word)}:
                if len(variant) >= 3:
                    found.update(self._prefix.get(variant[:3], ()))
        if not exact:
            # A typo in the first letters escapes the prefix index; rapidfuzz's C loop over
            # all names finds a few more. (Needless when the name was typed as it is.)
            for _, _, number in process.extract(
                text, self._key_texts, scorer=fuzz.ratio, limit=8, score_cutoff=_MIN_SCORE
            ):
                found.add(number)
        return found

    def _score(self, reading: _Reading) -> dict[int, float]:
        text = " ".join(reading.words)
        scores: dict[int, float] = {}
        for number in self._candidates(reading):
            key = self._keys[number]
            weight = 1.0 if key.seat and _Hint.STAROSTWO in reading.hints else key.weight
            score = weight * _name_similarity(reading, text, key.words, key.text)
            entry = self.entries[key.entry]
            if reading.hints:
                score -= min(_PENALTY[hint][entry.kind] for hint in reading.hints)
            score -= _GUESS_PENALTY * reading.dropped
            if score > scores.get(key.entry, 0.0):
                scores[key.entry] = score
        if reading.context:
            # Words after the name that name a powiat or województwo ("Dobra, powiat
            # turecki") put the JST lying there first. Words that name no place of any
            # candidate (a street, "(Szczecińska)") cost every JST the same small guess
            # penalty, so the query read as typed wins if it is a name.
            strength = {i: self._in_place(i, reading.context) for i in scores}
            most = max(strength.values(), default=0)
            inside = {i for i, s in strength.items() if s == most} if most else set()
            for index in scores.keys() - inside:
                scores[index] -= _CONTEXT_PENALTY if inside else _GUESS_PENALTY
        return scores

    def _in_place(self, index: int, context: tuple[str, ...]) -> int:
        """How many words of its powiat's or województwo's name the context words give
        ("turecki", "powiatu tureckiego", "kujawsko-pomorskie"); 0 if none is named whole.
        The longest wins, so "kujawsko-pomorskie" is not taken for "pomorskie"."""
        best = 0
        for place in self._places[index]:
            if len(place) > best and all(
                any(_token_similarity(word, part) >= 85 for word in context) for part in place
            ):
                best = len(place)
        return best


def _parse_data(data: str) -> list[JstEntry]:
    entries = []
    for line in data.splitlines():
        # teryt, kind, name, powiat, województwo[, seat, in_seat] (rules/_terc.py)
        teryt, kind, name, powiat, wojewodztwo, *seat = line.split("\t")
        entries.append(JstEntry(teryt, name, JstKind(kind), powiat, wojewodztwo, *seat))
    return entries


@cache
def load_register() -> Register:
    """The register of rules/_terc.py, built once per process."""
    return Register(_parse_data(_terc.DATA))
