"""Answers computed for the asker's own case, from the pure rules in `rules/`.

- A headcount ("przy 120 pracownikach", "urząd zatrudnia 1200 osób") gives that office's
  group and required number of participants (Zasady rekrutacji pkt 10), not the table.
- A number of participants ("mamy 3 uczestników") gives the allowed assignments to
  online and stationary trainings (pkt 12).
- A kind of JST (gmina wiejska, powiat, miasto na prawach powiatu…) gives its organiser
  (Słownik pojęć pkt 10–11).

The question says which rule is asked about (the matched entry); the numbers and the kind
come from the question, or else from the conversation (`FaqContext`). Every text is in
the knowledge base's `_texts`; the code only picks and fills them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from registry.faq.context import FaqContext
from registry.faq.kb import KnowledgeBase, Lang
from registry.faq.matcher import Match, Matcher, Token, get_matcher
from registry.faq.text import fold
from rules.jst import JstKind, Organizer, organizer_for
from rules.participants import MAX_STATIONARY, group_for, parse_employees

# Entries whose answer a headcount makes concrete (pkt 9.2, 10, 11, 13.2).
HEADCOUNT = "liczba_uczestnikow"
HEADCOUNT_FAMILY = frozenset({HEADCOUNT, "liczba_etaty"})
# For these the rule itself is the answer; the asker's number is said first.
HEADCOUNT_PREFIX = frozenset({"wiecej_uczestnikow", "mniej_uczestnikow"})
ASSIGNMENT = "przydzial_szkolen"
ORGANIZER_ENTRIES = frozenset({"organizatorzy", "kontakt_pytania"})
# A handful of participants: beyond this a "N osób" is an office's headcount.
MAX_PARTICIPANTS_GUESS = 10
# Kinds named in a question that are not a JstKind: any gmina (ZMP) and a "miasto",
# which may be a gmina miejska (ZMP) or a miasto na prawach powiatu (ZPP).
GMINA = "gmina"
MIASTO = "miasto"

# "1 200", "1.200", "1 200" (thin or no-break space) are one number.
_GROUPED = re.compile(r"(?<![\d,.])(\d{1,3})((?:[ \u00a0\u202f.]\d{3})+)(?![\d,])")


@dataclass(frozen=True)
class Facts:
    """What a question states about the asker's case."""

    employees: int | None = None
    participants: int | None = None
    kind: str | None = None  # a JstKind value, GMINA or MIASTO
    fte: bool = False  # the question speaks of etaty (pkt 13.2)


@dataclass(frozen=True)
class Computed:
    entry: str
    text: str


def plural(n: int, forms: Sequence[str], lang: Lang) -> str:
    """The form for `n`: [one, few, many] — Polish 2–4 (not 12–14) is "few"."""
    if n == 1:
        return forms[0]
    if lang == "pl" and 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def number(n: int, lang: Lang) -> str:
    from babel.numbers import format_decimal

    return format_decimal(n, locale="pl_PL" if lang == "pl" else "en_GB")


# --------------------------------------------------------------------------- facts
_NUMERALS: dict[int, dict[str, int]] = {}


def _word_numbers(vocab: Any) -> dict[str, int]:
    """Numerals spelt out ("trzech uczestników"), folded; built once per vocabulary."""
    key = id(vocab)
    if key not in _NUMERALS:
        _NUMERALS[key] = {fold(w): int(v) for w, v in vocab["numerals"].items()}
    return _NUMERALS[key]


def extract(question: str, matcher: Matcher) -> Facts:
    """The headcount, number of participants and JST kind a question states."""
    vocab = matcher.kb.vocab
    text = _GROUPED.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), question)
    analysed = matcher.lemmatizer.analyse(text)
    lemmas = [t.lemma for t in analysed]
    words = [t.text for t in analysed]
    headcount_nouns = set(vocab["headcount_nouns"])
    participant_nouns = set(vocab["participant_nouns"])
    cues = set(vocab["headcount_cues"])
    assignment = bool(set(vocab["assignment_cues"]) & (set(lemmas) | set(words)))
    numerals = _word_numbers(vocab)
    employees: set[int] = set()
    participants: set[int] = set()
    for i, token in enumerate(analysed):
        digits = token.text.isdigit()
        value = int(token.text) if digits else numerals.get(token.text)
        if value is None:
            continue
        after = _nouns(analysed[i + 1 : i + 4])
        before = set(lemmas[max(0, i - 3) : i]) | set(words[max(0, i - 3) : i])
        if after & participant_nouns:
            participants.add(value)
        elif after & headcount_nouns:
            if not digits:
                # Nobody spells a headcount; "dwie osoby" are people sent (pkt 12).
                if assignment:
                    participants.add(value)
            elif before & cues or not assignment or value > MAX_PARTICIPANTS_GUESS:
                employees.add(value)
            else:
                # "zgłaszamy 3 osoby, czy mogą iść na stacjonarne": people sent, pkt 12.
                participants.add(value)
        elif digits and not after and before & headcount_nouns:
            # "liczba pracowników: 140"
            employees.add(value)
    return Facts(
        employees=_single_employees(employees),
        participants=_single(participants),
        kind=_kind(text, vocab),
        fte=bool(set(vocab["fte_cues"]) & (set(lemmas) | set(words))),
    )


def _nouns(tokens: Sequence[Token]) -> set[str]:
    """The first content word after a number (its noun), as lemma and as typed."""
    for token in tokens:
        if token.text.isdigit():
            return set()
        if not token.stop:
            return {token.lemma, token.text}
    return set()


def _single(values: set[int]) -> int | None:
    return next(iter(values)) if len(values) == 1 else None


def _single_employees(values: set[int]) -> int | None:
    """The headcount when the question gives exactly one valid one: two figures (or an
    absurd one) get the table, not a guess."""
    if len(values) != 1:
        return None
    return parse_employees(next(iter(values)))


def _kind(text: str, vocab: Any) -> str | None:
    """The one kind of JST a question names; None when it names none or several."""
    folded = " ".join(re.sub(r"[-–]", " ", fold(text)).split())
    found: list[str] = []
    for kind, pattern in vocab["kind_patterns"]:
        if re.search(pattern, folded):
            found.append(kind)
            # Blank the span so "gmina miejsko-wiejska" is not also a "gmina miejska" or
            # a "gmina", and "miasto na prawach powiatu" not also a "powiat".
            folded = re.sub(pattern, " ", folded)
    specific = [k for k in found if k not in (GMINA, MIASTO)]
    if len(specific) > 1:
        return None  # "gmina wiejska i powiat": the general answer names both
    if specific:
        kind = specific[0]
        # A bare "gmina" beside a powiat or a miasto npp names a second unit.
        if GMINA in found and not kind.startswith(GMINA):
            return None
        return kind
    if GMINA in found and MIASTO in found:
        return None  # "Urząd Miasta i Gminy": the general answer
    return found[0] if found else None


# --------------------------------------------------------------------------- texts
def headcount_text(employees: int, kb: KnowledgeBase, lang: Lang) -> str:
    """Pkt 10 for one office: "Przy 120 pracownikach urzędu (grupa II) zgłaszają…"."""
    group = group_for(employees)
    return str(kb.text("headcount", lang)).format(
        employees=number(employees, lang),
        employees_noun=plural(employees, kb.text("employees_noun", lang), lang),
        group=group.numeral,
        required=group.required,
        participants_noun=plural(group.required, kb.text("participants_noun", lang), lang),
    )


def assignment_text(participants: int, kb: KnowledgeBase, lang: Lang) -> str:
    """Pkt 12: up to 2 participants — one kind only; more — at most 2 stationary."""
    if participants == 1:
        return str(kb.text("assignment_1", lang))
    if participants == 2:
        return str(kb.text("assignment_2", lang))
    rest = participants - MAX_STATIONARY
    return str(kb.text("assignment_many", lang)).format(
        participants=number(participants, lang),
        participants_noun=plural(participants, kb.text("participants_noun", lang), lang),
        max_stationary=MAX_STATIONARY,
        rest=plural(rest, kb.text("rest", lang), lang).format(n=number(rest, lang)),
    )


def organizer_text(kind: str, kb: KnowledgeBase, lang: Lang) -> str:
    """Słownik pojęć pkt 10–11: ZMP for gminy, ZPP for powiaty and miasta npp."""
    if kind == MIASTO:
        return str(kb.text("organizer_city", lang))
    organizer = Organizer.ZMP if kind == GMINA else organizer_for(JstKind(kind))
    return str(kb.text("organizer", lang)).format(
        kind=kb.text("kind", lang)[kind],
        name=kb.text("organizer_name", lang)[organizer.value],
        code=organizer.value,
    )


# --------------------------------------------------------------------------- answer
def compute(
    question: str,
    match: Match,
    context: FaqContext | None,
    lang: Lang,
    matcher: Matcher,
) -> Computed | None:
    """A computed answer when the question asks a computable rule and the case is known."""
    kb = matcher.kb
    context = context or FaqContext()
    facts = extract(question, matcher)
    entry = match.entry.id if match.entry is not None else None
    if entry is None and match.best is not None and not match.unknown:
        # Not sure which rule, but a bare headcount about counting ("urząd: 140 osób,
        # ilu?") still has one answer; anything with unknown words goes to a human.
        if facts.employees is not None and match.best.id in HEADCOUNT_FAMILY | {ASSIGNMENT}:
            entry = match.best.id
    if entry is None:
        return None
    employees = facts.employees or _valid_employees(context.employees)
    if entry in HEADCOUNT_FAMILY and employees is not None:
        if facts.employees is None and entry != HEADCOUNT:
            return None  # "czy liczymy etaty?" is answered by the rule, not the number
        parts = [headcount_text(employees, kb, lang)]
        if facts.participants is None and _asks_assignment(question, matcher):
            parts.append(assignment_text(group_for(employees).required, kb, lang))
        if facts.fte:
            parts.append(str(kb.text("fte_note", lang)))
        return Computed(HEADCOUNT, " ".join(parts))
    if entry in HEADCOUNT_PREFIX and facts.employees is not None:
        text = headcount_text(facts.employees, kb, lang)
        return Computed(entry, f"{text} {kb.entry(entry).answer(lang)}")
    if entry == ASSIGNMENT:
        participants = facts.participants or _valid_participants(context.participants)
        if participants is not None:
            return Computed(ASSIGNMENT, assignment_text(participants, kb, lang))
        if employees is not None:
            required = group_for(employees).required
            text = f"{headcount_text(employees, kb, lang)} {assignment_text(required, kb, lang)}"
            return Computed(ASSIGNMENT, text)
        return None
    if entry in ORGANIZER_ENTRIES:
        kind = facts.kind
        if context.jst_kind is not None and kind in (None, MIASTO):
            # "nasze miasto" is ambiguous; the conversation knows which kind it is.
            kind = context.jst_kind.value
        if kind is not None:
            return Computed(entry, organizer_text(kind, kb, lang))
    return None


def _asks_assignment(question: str, matcher: Matcher) -> bool:
    vocab = matcher.kb.vocab
    analysed = matcher.lemmatizer.analyse(question)
    seen = {t.lemma for t in analysed} | {t.text for t in analysed}
    return bool(set(vocab["assignment_cues"]) & seen)


def _valid_employees(value: int | None) -> int | None:
    return parse_employees(value) if value is not None else None


def _valid_participants(value: int | None) -> int | None:
    return value if value is not None and value >= 1 else None


def answer(question: str, context: FaqContext | None = None, lang: Lang = "pl") -> Computed | None:
    """The computed answer for a question alone (the service calls `compute`)."""
    matcher = get_matcher()
    return compute(question, matcher.match(question), context, lang, matcher)
