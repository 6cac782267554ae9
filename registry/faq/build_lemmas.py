"""Build `data/lemmas.json`: the inflected forms of the knowledge base's vocabulary.

Run after editing `data/kb.json`:  python -m registry.faq.build_lemmas

Why a table and not simplemma at run time: simplemma decodes its whole Polish dictionary
(3.7 million forms) on first use, about 5 s, while the FAQ must start in under a second.
Only words whose lemma occurs in the knowledge base can ever match an entry, so the
service needs just their forms: this script asks simplemma for the lemma of every
knowledge-base word and keeps every dictionary form of those lemmas — about 13,500 forms
of about 1,050 lemmas (of 3.7 million Polish forms), loaded in milliseconds. simplemma
is needed only here, not at run time.

Licence: simplemma's code is MIT; its dictionaries come from the sources its README
credits (lemmatization-lists by M. Měchura under ODbL, Wiktionary via Kaikki, FreeLing,
spaCy lookups, UniMorph, Wikinflection under CC BY 4.0). The table is a small extract
(under 0.4 % of the Polish forms, word/lemma pairs only) and names its source.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from registry.faq.text import fold, split_words

DATA = Path(__file__).parent / "data"
KB_PATH = DATA / "kb.json"
OUT_PATH = DATA / "lemmas.json"


def _kb_words(kb: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(Polish words, English words) of every text the service indexes or shows."""
    polish: list[str] = []
    english: list[str] = []
    for entry in kb["entries"]:
        polish += [
            *entry["questions"],
            *entry["anchors"],
            *entry.get("keywords", ()),
            entry["answer_pl"],
        ]
        english += entry.get("questions_en", []) + entry["anchors"] + [entry["answer_en"]]
    vocab = kb["_vocab"]
    for key in (
        "headcount_nouns",
        "participant_nouns",
        "headcount_cues",
        "assignment_cues",
        "domain_words",
    ):
        polish += vocab[key]
        english += vocab[key]
    pl = {w for text in polish for w in split_words(text) if not w.isdigit()}
    en = {w for text in english for w in split_words(text) if not w.isdigit()}
    return pl, en


def vocabulary_digest(kb: dict[str, Any]) -> str:
    """A digest of everything the table depends on: a test compares it with the
    knowledge base, so an edit of kb.json without a rebuild is caught."""
    pl_words, en_words = _kb_words(kb)
    parts = [
        sorted(pl_words),
        sorted(en_words),
        sorted(kb["_vocab"].get("lemma_merge", {})),
        sorted(kb["_stopwords"]),
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def build() -> dict[str, Any]:
    import simplemma
    from simplemma.strategies.dictionaries.dictionary_factory import (
        DEFAULT_DICTIONARY_FACTORY,
    )

    kb = json.loads(KB_PATH.read_text(encoding="utf-8"))
    stop = set(kb["_stopwords"])
    pl_words, en_words = _kb_words(kb)
    # How often each lemma occurs in the knowledge base: when two dictionary forms fold
    # to the same key ("umowę" of umowa, "umowe" of umowy) the knowledge base's lemma wins.
    kb_freq: Counter[str] = Counter()
    own: dict[str, str] = {}  # knowledge-base words simplemma does not know (typed folded)
    lemmas_by_lang: dict[str, set[str]] = {"pl": set(), "en": set()}
    for lang, words in (("pl", pl_words), ("en", en_words)):
        for word in sorted(words):
            lemma = simplemma.lemmatize(word, lang=lang)
            if lemma == word and fold(word) == word:
                # Probably a folded spelling ("zglaszamy"): the dictionary pass below
                # finds its real lemma; keep the word itself only as a last resort.
                own.setdefault(word, word)
                continue
            kb_freq[fold(lemma)] += 1
            lemmas_by_lang[lang].add(fold(lemma))
    # Lemmas merged into a knowledge-base lemma (aspect pairs: "wysyłać" → "wysłać")
    # need their forms too, or the merge would never see them.
    lemmas_by_lang["pl"].update(kb["_vocab"].get("lemma_merge", {}))
    candidates: dict[str, set[str]] = defaultdict(set)
    for lang in ("pl", "en"):
        wanted = lemmas_by_lang[lang]
        dictionary = DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)
        for form, lemma in dictionary.items():
            folded_lemma = fold(lemma)
            if folded_lemma in wanted:
                candidates[fold(form)].add(folded_lemma)
    for lemma in kb_freq:
        candidates[lemma].add(lemma)
    forms: dict[str, str] = {
        form: max(sorted(lemmas), key=lambda lemma: (kb_freq[lemma], lemma == form))
        for form, lemmas in candidates.items()
    }
    for word, lemma in own.items():
        forms.setdefault(word, lemma)
    grouped: dict[str, list[str]] = defaultdict(list)
    for form, lemma in sorted(forms.items()):
        if form != lemma and form not in stop:
            grouped[lemma].append(form)
    return {
        "_source": (
            "Generated by registry/faq/build_lemmas.py from simplemma "
            f"{simplemma.__version__} (MIT; dictionary data credited in simplemma's README: "
            "lemmatization-lists (ODbL), Wiktionary/Kaikki, FreeLing, spaCy lookups, "
            "UniMorph, Wikinflection (CC BY 4.0)). A small extract limited to the "
            "knowledge base's vocabulary; folded (lowercase, no diacritics). "
            "Do not edit by hand."
        ),
        "kb_digest": vocabulary_digest(kb),
        "lemmas": {lemma: grouped.get(lemma, []) for lemma in sorted(set(forms.values()))},
    }


def main() -> None:
    table = build()
    OUT_PATH.write_text(
        json.dumps(table, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
        encoding="utf-8",
    )
    count = sum(len(v) for v in table["lemmas"].values())
    sys.stdout.write(f"{OUT_PATH}: {len(table['lemmas'])} lemmas, {count} forms\n")


if __name__ == "__main__":
    main()
