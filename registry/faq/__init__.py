"""Questions about the SMUP rules, answered in Polish (and English) — or handed to a human.

    answer_question("ile osób zgłaszamy przy 120 pracownikach")
    → FaqAnswer(matched=True, entry="liczba_uczestnikow",
                answer="Przy 120 pracownikach urzędu (grupa II) zgłaszają Państwo 2 …")

Pure: no I/O beyond reading the package's own data once. The channels (Telegram, e-mail,
CLI) call `answer_question`; when `handed_over` is true they forward the question with the
asker's contact to the organiser and show `answer`, which says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry.faq.computed import compute, number
from registry.faq.context import FaqContext
from registry.faq.kb import Lang, load_kb
from registry.faq.matcher import get_matcher

__all__ = ["FaqAnswer", "FaqContext", "answer_question", "normalize_lang", "warm"]


@dataclass(frozen=True)
class FaqAnswer:
    question: str
    matched: bool
    answer: str
    entry: str | None
    score: float
    # The seed paragraph the answer rests on ("000 Zasady rekrutacji pkt 10").
    ref: str | None = None
    # True when the answer was computed for the asker's own case.
    computed: bool = False

    @property
    def handed_over(self) -> bool:
        """The question goes to a human (the organiser): the service did not answer it."""
        return not self.matched

    def to_json(self) -> dict[str, Any]:
        """The CLI contract (DESIGN.md): question, matched, answer, entry, score."""
        return {
            "question": self.question,
            "matched": self.matched,
            "answer": self.answer,
            "entry": self.entry,
            "score": self.score,
        }


def normalize_lang(lang: str | None) -> Lang:
    """ "en", "en-GB", "EN" → "en"; anything else → Polish, the source language."""
    return "en" if (lang or "").strip().lower().startswith("en") else "pl"


def warm() -> None:
    """Load the knowledge base, build the index and import the number formatting now
    rather than on the first question."""
    get_matcher()
    number(0, "pl")


def answer_question(
    question: str, *, lang: str = "pl", context: FaqContext | None = None
) -> FaqAnswer:
    """The answer to one question, for the asker's case when `context` or the question
    gives it; `matched` is false (and `answer` the hand-over text) when unsure."""
    language = normalize_lang(lang)
    kb = load_kb()
    text = question.strip()
    if not text:
        return FaqAnswer(question, False, str(kb.text("empty", language)), None, 0.0)
    matcher = get_matcher()
    match = matcher.match(text)
    score = round(match.score, 3)
    computed = compute(text, match, context, language, matcher)
    if computed is not None:
        ref = kb.entry(computed.entry).ref
        return FaqAnswer(question, True, computed.text, computed.entry, score, ref, True)
    if match.entry is not None:
        entry = match.entry
        return FaqAnswer(question, True, entry.answer(language), entry.id, score, entry.ref)
    return FaqAnswer(question, False, str(kb.text("handover", language)), None, score)
