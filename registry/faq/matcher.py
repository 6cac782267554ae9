"""Which knowledge-base entry a question asks about — or none, and then a human answers.

A wrong answer about the rules is worse than none (issue 4), so matching is built to
refuse rather than guess:

1. Words are folded and lemmatised through a table built from simplemma
   (`build_lemmas.py`), so "zgłoszeń", "zgloszen" and "zgłoszenia" are one term; a word
   not in the table is corrected with rapidfuzz (same first letter, 1 edit, 2 for long
   words) against the forms of the knowledge base's vocabulary.
2. Entries are ranked by BM25 over lemmas, normalised by what the question asks: every
   content word counts in the denominator, and a word the knowledge base does not know
   ("VAT", "samochodu", "800 plus") weighs like the rarest term. Character 3-grams
   (cosine, best phrasing) add tolerance for what the lemma table misses.
3. Three gates keep off-topic questions that share words with the rules out:
   - anchors: an entry is eligible only when the question holds one of its anchor terms
     ("podatek od nieruchomości" shares words with the area names, but not "obszar");
   - domain: without a word of the SMUP domain (szkolenie, umowa, uczestnik, GWD…) the
     question must be covered completely, with no unknown word;
   - confidence: below `threshold` — or close to the runner-up without being clearly
     above it — it is not a match.
4. Some entries (`handover`) describe questions the seeds do not answer; when one of
   them wins, the question goes to a human.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from registry.faq.kb import Entry, KnowledgeBase, load_kb, load_lemma_table
from registry.faq.text import tokens

# BM25 parameters: k1 as usual; b low because an entry's length reflects how many
# phrasings it has, not how diffuse it is.
K1 = 1.2
B = 0.3
# An unknown content word weighs like a term that occurs in no entry, times this.
UNKNOWN_WEIGHT = 1.0
W_BM25 = 0.65
W_NGRAM = 0.35
THRESHOLD = 0.45
# Above this a match needs no margin over the runner-up.
CLEAR = 0.6
MARGIN = 0.06
# Without a domain word the question must be covered this well, with no unknown word.
NO_DOMAIN_COVERAGE = 0.95
ANCHOR_STEM_MIN = 5


@dataclass(frozen=True)
class Token:
    """One word of a question: its folded surface and lemma."""

    text: str
    lemma: str
    known: bool
    stop: bool
    corrected: bool = False


@dataclass(frozen=True)
class Match:
    """The outcome of matching one question."""

    entry: Entry | None  # the answering entry; None when not matched
    score: float  # confidence of the best eligible entry, 0..1
    best: Entry | None  # best eligible entry even when below the threshold
    second: float
    tokens: tuple[Token, ...] = field(default=())
    unknown: tuple[str, ...] = field(default=())
    reason: str = ""

    @property
    def matched(self) -> bool:
        return self.entry is not None


class Lemmatizer:
    """Folded word → lemma via the simplemma-derived table, typos fixed with rapidfuzz."""

    def __init__(
        self,
        table: dict[str, str],
        stopwords: frozenset[str],
        merge: dict[str, str],
        keep_numbers: Iterable[str],
    ) -> None:
        self._table = {form: merge.get(lemma, lemma) for form, lemma in table.items()}
        self._stop = stopwords
        self._keep_numbers = frozenset(keep_numbers)
        self.preferred: frozenset[str] = frozenset()
        # Candidates for typo correction, bucketed by first letter and length: typos
        # rarely hit the first letter, and the length bounds the edit distance.
        buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for form in self._table:
            if not form.isdigit():
                buckets[(form[0], len(form))].append(form)
        self._buckets = dict(buckets)
        self.analyse_word = lru_cache(maxsize=16384)(self._analyse_word)

    def _analyse_word(self, word: str) -> Token:
        if word in self._stop:
            return Token(word, word, known=True, stop=True)
        if word.isdigit():
            # Numbers feed the computed answers, not the ranking — except the few the
            # rules give meaning to (577 jst, 2022, 30 days).
            keep = word in self._keep_numbers
            return Token(word, word, known=keep, stop=not keep)
        lemma = self._table.get(word)
        if lemma is not None:
            return Token(word, lemma, known=True, stop=lemma in self._stop)
        corrected = self._correct(word)
        if corrected is not None:
            lemma = self._table[corrected]
            return Token(word, lemma, known=True, stop=lemma in self._stop, corrected=True)
        return Token(word, word, known=False, stop=False)

    def _correct(self, word: str) -> str | None:
        if len(word) < 4:
            return None
        limit = 1 if len(word) < 8 else 2
        choices: list[str] = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            choices += self._buckets.get((word[0], length), ())
        if not choices:
            return None
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit, limit=8)
        if not found:
            return None
        # Closest first; among equals, a form of a term the index uses.
        best = min(
            found,
            key=lambda hit: (hit[1], self._table[hit[0]] not in self.preferred, hit[0]),
        )
        return best[0]

    def analyse(self, text: str) -> tuple[Token, ...]:
        return tuple(self.analyse_word(word) for word in tokens(text))


def terms_of(analysed: Sequence[Token]) -> list[str]:
    """The content lemmas of a question, in order (stop words and bare numbers dropped)."""
    return [token.lemma for token in analysed if not token.stop]


def _ngrams(words: Iterable[str]) -> Counter[str]:
    grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


class Matcher:
    """BM25 over lemmas plus character n-grams, with anchor, domain and confidence gates."""

    def __init__(self, kb: KnowledgeBase, table: dict[str, str]) -> None:
        vocab = kb.vocab
        self.kb = kb
        self.lemmatizer = Lemmatizer(
            table, kb.stopwords, dict(vocab.get("lemma_merge", {})), vocab["keep_numbers"]
        )
        analyse = self.lemmatizer.analyse
        self.entries = kb.entries
        # --- lemma BM25, one document per entry (all its phrasings and anchors) ---
        docs: list[Counter[str]] = []
        self._anchors: list[frozenset[str]] = []
        self._anchor_stems: list[tuple[str, ...]] = []
        phrasings: list[tuple[int, list[str]]] = []
        for index, entry in enumerate(self.entries):
            doc: Counter[str] = Counter()
            for question in (*entry.questions, *entry.questions_en):
                analysed = analyse(question)
                doc.update(terms_of(analysed))
                phrasings.append((index, [t.text for t in analysed if not t.stop]))
            anchors = {t.lemma for a in entry.anchors for t in analyse(a) if not t.stop}
            doc.update(anchors)
            docs.append(doc)
            self._anchors.append(frozenset(anchors))
            # Anchors also match by stem: simplemma splits some families ("oświadczeń"
            # → oświadczyć), a stem of the anchor's lemma still finds them.
            self._anchor_stems.append(
                tuple(
                    a[: max(ANCHOR_STEM_MIN, len(a) - 2)]
                    for a in anchors
                    if len(a) >= ANCHOR_STEM_MIN
                )
            )
        count = len(docs)
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(doc.keys())
        self._idf = {term: math.log(1 + (count - n + 0.5) / (n + 0.5)) for term, n in df.items()}
        self._unknown_idf = math.log(1 + (count + 0.5) / 0.5) * UNKNOWN_WEIGHT
        lengths = [sum(doc.values()) for doc in docs]
        average = sum(lengths) / count
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, doc in enumerate(docs):
            norm = K1 * (1 - B + B * lengths[index] / average)
            for term, tf in doc.items():
                weight = self._idf[term] * tf * (K1 + 1) / (tf + norm)
                self._postings[term].append((index, weight))
        self.lemmatizer.preferred = frozenset(self._idf)
        # --- character 3-grams, one vector per phrasing ---
        gram_df: Counter[str] = Counter()
        vectors = [_ngrams(words) for _, words in phrasings]
        for vector in vectors:
            gram_df.update(vector.keys())
        total = len(vectors)
        self._gram_idf = {g: math.log((total + 1) / (n + 1)) + 1 for g, n in gram_df.items()}
        self._gram_unknown = math.log(total + 1) + 1
        self._gram_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._phrasing_entry = [index for index, _ in phrasings]
        for pid, vector in enumerate(vectors):
            weights = {g: tf * self._gram_idf[g] for g, tf in vector.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for gram, weight in weights.items():
                self._gram_postings[gram].append((pid, weight / norm))
        domain = vocab.get("domain_words", ())
        self._domain = frozenset(t.lemma for w in domain for t in analyse(w) if not t.stop)

    # ------------------------------------------------------------------ scoring
    def _anchored(self, index: int, lemmas: set[str], words: Sequence[str]) -> bool:
        if self._anchors[index] & lemmas:
            return True
        return any(
            w.startswith(stem) for stem in self._anchor_stems[index] for w in (*words, *lemmas)
        )

    def _bm25(self, terms: set[str]) -> tuple[list[float], float]:
        scores = [0.0] * len(self.entries)
        ideal = 0.0
        for term in terms:
            idf = self._idf.get(term)
            if idf is None:
                ideal += self._unknown_idf
                continue
            ideal += idf
            for index, weight in self._postings[term]:
                scores[index] += weight
        return scores, ideal

    def _ngram(self, words: Sequence[str]) -> list[float]:
        vector = _ngrams(words)
        weights = {g: tf * self._gram_idf.get(g, self._gram_unknown) for g, tf in vector.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        per_phrasing: dict[int, float] = defaultdict(float)
        for gram, weight in weights.items():
            for pid, doc_weight in self._gram_postings.get(gram, ()):
                per_phrasing[pid] += weight * doc_weight
        best = [0.0] * len(self.entries)
        for pid, value in per_phrasing.items():
            index = self._phrasing_entry[pid]
            if value / norm > best[index]:
                best[index] = value / norm
        return best

    def match(self, question: str) -> Match:
        analysed = self.lemmatizer.analyse(question)
        content = [t for t in analysed if not t.stop]
        if not content:
            return Match(None, 0.0, None, 0.0, analysed, reason="empty")
        lemmas = {t.lemma for t in content}
        words = [t.text for t in content]
        unknown = tuple(t.text for t in content if not t.known or t.lemma not in self._idf)
        bm25, ideal = self._bm25(lemmas)
        ngram = self._ngram(words)
        ranked: list[tuple[float, float, int]] = []
        for index in range(len(self.entries)):
            if not self._anchored(index, lemmas, words):
                continue
            coverage = min(1.0, bm25[index] / ideal) if ideal else 0.0
            ranked.append((W_BM25 * coverage + W_NGRAM * ngram[index], coverage, index))
        if not ranked:
            return Match(None, 0.0, None, 0.0, analysed, unknown, reason="no_anchor")
        ranked.sort(reverse=True)
        score, coverage, index = ranked[0]
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        best = self.entries[index]
        result = Match(best, score, best, second, analysed, unknown)
        if not lemmas & self._domain and (unknown or coverage < NO_DOMAIN_COVERAGE):
            return _refuse(result, "domain")
        if score < THRESHOLD:
            return _refuse(result, "threshold")
        if score < CLEAR and score - second < MARGIN:
            return _refuse(result, "margin")
        if best.handover:
            return _refuse(result, "handover")
        return result


def _refuse(match: Match, reason: str) -> Match:
    return Match(None, match.score, match.best, match.second, match.tokens, match.unknown, reason)


_MATCHER: Matcher | None = None


def get_matcher() -> Matcher:
    """The process-wide matcher: the knowledge base is loaded and indexed once."""
    global _MATCHER
    if _MATCHER is None:
        _MATCHER = Matcher(load_kb(), load_lemma_table())
    return _MATCHER
