"""The knowledge base: entries of `data/kb.json`, its texts and its word lists.

Every answer rests on a paragraph of seed 000 (or on the context seeds 001–004) named in
the entry's `ref`. Entries marked `handover` are questions we know we cannot answer from
the seeds (venue, certificates, travel costs…): recognising them lets the service hand
them to a human instead of answering a near-miss rule.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

Lang = Literal["pl", "en"]
LANGS: tuple[Lang, ...] = ("pl", "en")
DATA = Path(__file__).parent / "data"
KB_PATH = DATA / "kb.json"
LEMMAS_PATH = DATA / "lemmas.json"


class KnowledgeBaseError(ValueError):
    """The knowledge-base file is malformed."""


@dataclass(frozen=True)
class Entry:
    id: str
    ref: str
    questions: tuple[str, ...]
    questions_en: tuple[str, ...]
    anchors: tuple[str, ...]
    keywords: tuple[str, ...]
    answer_pl: str
    answer_en: str
    compute: str | None = None
    handover: bool = False

    def answer(self, lang: Lang) -> str:
        return self.answer_en if lang == "en" else self.answer_pl


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[Entry, ...]
    texts: Mapping[str, Any]
    vocab: Mapping[str, Any]
    stopwords: frozenset[str]

    def entry(self, entry_id: str) -> Entry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)

    def text(self, key: str, lang: Lang) -> Any:
        """A user-facing text (`_texts`), in `lang`, falling back to Polish."""
        value = self.texts.get(f"{key}_{lang}")
        return value if value is not None else self.texts[f"{key}_pl"]


def _entry(raw: Mapping[str, Any]) -> Entry:
    try:
        entry = Entry(
            id=str(raw["id"]),
            ref=str(raw["ref"]),
            questions=tuple(raw["questions"]),
            questions_en=tuple(raw.get("questions_en", ())),
            anchors=tuple(raw["anchors"]),
            keywords=tuple(raw.get("keywords", ())),
            answer_pl=str(raw["answer_pl"]),
            answer_en=str(raw["answer_en"]),
            compute=raw.get("compute"),
            handover=bool(raw.get("handover", False)),
        )
    except (KeyError, TypeError) as exc:
        raise KnowledgeBaseError(f"entry {raw.get('id', '?')}: {exc!r}") from exc
    if not entry.handover and not (entry.answer_pl and entry.answer_en):
        raise KnowledgeBaseError(f"entry {entry.id}: an answer in both languages is required")
    if not entry.anchors:
        raise KnowledgeBaseError(f"entry {entry.id}: anchors are required")
    return entry


def parse_kb(raw: Mapping[str, Any]) -> KnowledgeBase:
    entries = tuple(_entry(item) for item in raw["entries"])
    ids = [entry.id for entry in entries]
    if len(ids) != len(set(ids)):
        raise KnowledgeBaseError("duplicate entry ids")
    return KnowledgeBase(
        entries=entries,
        texts=raw["_texts"],
        vocab=raw["_vocab"],
        stopwords=frozenset(raw["_stopwords"]),
    )


@cache
def load_kb(path: Path = KB_PATH) -> KnowledgeBase:
    return parse_kb(json.loads(path.read_text(encoding="utf-8")))


@cache
def load_lemma_table(path: Path = LEMMAS_PATH) -> dict[str, str]:
    """Folded form → folded lemma, built by `build_lemmas.py` from simplemma."""
    raw = json.loads(path.read_text(encoding="utf-8"))["lemmas"]
    table: dict[str, str] = {}
    for lemma, forms in raw.items():
        for form in forms:
            table[form] = lemma
    for lemma in raw:
        # A lemma that is also a form of another lemma ("umowy" of umowa) keeps the
        # builder's choice: the form mapping wins.
        table.setdefault(lemma, lemma)
    return table
