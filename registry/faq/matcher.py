"""Which knowledge-base entry a question asks about — or none, and then a human answers.

A wrong answer about the rules is worse than none (issue 4), so matching is built to
refuse rather than guess:

1. Words are folded and lemmatised through a table built from simplemma
   (`build_lemmas.py`; `lemma_merge` in the knowledge base joins aspect pairs and the
   dictionary's split families), so "zgłoszeń", "zgloszen" and "zgłoszenia" are one
   term. A word not in the table is corrected with rapidfuzz (OSA distance, same first
   letter, 1 edit, 2 for long words) against the forms of the vocabulary.
2. Entries are ranked by BM25 over lemmas, normalised by what the question asks: every
   content word counts in the denominator, a word the index does not know ("VAT",
   "samochodu") weighs like the rarest term, and each term is capped at its idf so a
   repeated term cannot make up for an unexplained word. Character 3-grams (cosine,
   best phrasing) add tolerance for what the lemma table misses.
3. Gates keep out off-topic questions that share words with the rules:
   - off-topic lexicon: a word of another municipal matter (żłobek, VAT, samochód…)
     hands the question over whatever else it shares with the rules;
   - anchors: an entry is eligible only when the question holds one of its anchor terms
     ("podatek od nieruchomości" shares words with the area names, but not "obszar");
   - domain: without a word of the SMUP domain (szkolenie, umowa, uczestnik, GWD…) the
     question must be covered completely, with no unknown word;
   - confidence: below `threshold` — or close to the runner-up without being clearly
     above it — it is not a match.
4. Some entries (`handover`) describe questions the seeds do not answer (venue,
   certificates, travel costs…); when one of them wins, the question goes to a human.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from registry.faq.kb import Entry, KnowledgeBase, load_kb, load_lemma_table
from registry.faq.text import tokens

ANCHOR_STEM_MIN = 5
GRAM_COMMON = 0.1


@dataclass(frozen=True)
class Params:
    """The ranking's knobs (tuned on the labelled set, see bench/faq.py)."""

    # BM25: k1 as usual; b low because an entry's length reflects how many phrasings
    # it has, not how diffuse it is.
    k1: float = 1.2
    b: float = 0.3
    # An unknown content word weighs like a term that occurs in no entry, times this.
    unknown_weight: float = 1.0
    # A corrected word may be a real word we do not know ("przedszkola" is not
    # "przeszkolić"): it matches as its correction but also adds this share of an
    # unknown word's weight to what the question asks, so it is never a sure match.
    corrected_doubt: float = 0.5
    # The words of an entry's answer count in its document at this weight: a question
    # may use the answer's words ("część praktyczna") rather than a phrasing's.
    answer_tf: float = 0.5
    w_ngram: float = 0.35
    tie_bm25: float = 0.05
    threshold: float = 0.4
    # Above `clear` a match needs no margin over the runner-up; below it, `margin`.
    clear: float = 0.5
    margin: float = 0.06
    # Without a domain word the question must be covered this well, no word unknown.
    no_domain_coverage: float = 0.95
    # Words this long may be corrected by 2 edits, shorter ones by 1.
    long_word: int = 9


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
        long_word: int = Params.long_word,
    ) -> None:
        self._long_word = long_word
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
        # A mistyped stop word ("jset") is a stop word, not an unknown word.
        for word in stopwords:
            buckets[(word[0], len(word))].append(word)
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
            lemma = self._table.get(corrected, corrected)
            return Token(word, lemma, known=True, stop=lemma in self._stop, corrected=True)
        return Token(word, word, known=False, stop=False)

    def _correct(self, word: str) -> str | None:
        if len(word) < 4:
            return None
        limit = 1 if len(word) < self._long_word else 2
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
            key=lambda hit: (
                hit[1],
                self._table.get(hit[0], hit[0]) not in self.preferred,
                hit[0],
            ),
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

    def __init__(
        self, kb: KnowledgeBase, table: dict[str, str], params: Params | None = None
    ) -> None:
        vocab = kb.vocab
        self.kb = kb
        self.params = p = params or Params()
        self.lemmatizer = Lemmatizer(
            table,
            kb.stopwords,
            dict(vocab.get("lemma_merge", {})),
            vocab["keep_numbers"],
            p.long_word,
        )
        analyse = self.lemmatizer.analyse
        self.entries = kb.entries
        # --- lemma BM25, one document per entry (all its phrasings and anchors) ---
        docs: list[dict[str, float]] = []
        self._anchors: list[frozenset[str]] = []
        # Anchors also match by stem: simplemma splits some families ("oświadczeń" →
        # oświadczyć), the stem of the anchor's lemma still finds them.
        self._anchor_stems: dict[str, set[int]] = defaultdict(set)
        phrasings: list[tuple[int, list[str]]] = []
        for index, entry in enumerate(self.entries):
            doc: Counter[str] = Counter()
            for question in (*entry.questions, *entry.questions_en):
                analysed = analyse(question)
                doc.update(terms_of(analysed))
                phrasings.append((index, [t.text for t in analysed if not t.stop]))
            anchors = {t.lemma for a in entry.anchors for t in analyse(a) if not t.stop}
            doc.update(anchors)
            for keyword in entry.keywords:
                doc.update(terms_of(analyse(keyword)))
            weighted: dict[str, float] = dict(doc)
            for text in (entry.answer_pl, entry.answer_en):
                for term in terms_of(analyse(text)):
                    weighted[term] = weighted.get(term, 0.0) + p.answer_tf
            docs.append(weighted)
            self._anchors.append(frozenset(anchors))
            for anchor in anchors:
                if len(anchor) >= ANCHOR_STEM_MIN:
                    self._anchor_stems[anchor[: max(ANCHOR_STEM_MIN, len(anchor) - 2)]].add(index)
        count = len(docs)
        df: Counter[str] = Counter()
        for entry_doc in docs:
            df.update(entry_doc.keys())
        self._idf = {term: math.log(1 + (count - n + 0.5) / (n + 0.5)) for term, n in df.items()}
        self._unknown_idf = math.log(1 + (count + 0.5) / 0.5) * p.unknown_weight
        lengths = [sum(entry_doc.values()) for entry_doc in docs]
        average = sum(lengths) / count
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, entry_doc in enumerate(docs):
            norm = p.k1 * (1 - p.b + p.b * lengths[index] / average)
            for term, tf in entry_doc.items():
                weight = self._idf[term] * tf * (p.k1 + 1) / (tf + norm)
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
        # Grams in more than this share of phrasings (" sz", "ie ") carry almost no
        # weight but the longest posting lists: they stay in the norms, not in the index.
        common = GRAM_COMMON * total
        for pid, vector in enumerate(vectors):
            weights = {g: tf * self._gram_idf[g] for g, tf in vector.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for gram, weight in weights.items():
                if gram_df[gram] <= common:
                    self._gram_postings[gram].append((pid, weight / norm))
        domain = vocab.get("domain_words", ())
        self._domain = frozenset(t.lemma for w in domain for t in analyse(w) if not t.stop)
        self._offtopic_stems = tuple(vocab.get("offtopic_stems", ()))
        self._offtopic_words = frozenset(vocab.get("offtopic_words", ()))
        clash = [
            f"{stem}/{term}"
            for stem in self._offtopic_stems
            for term in self._idf
            if term.startswith(stem)
        ]
        if clash:
            # An off-topic stem that prefixes an indexed term would refuse real questions.
            raise ValueError(f"off-topic stems clash with the index: {clash}")

    # ------------------------------------------------------------------ scoring
    def _stemmed(self, words: Iterable[str]) -> set[int]:
        """Entries with an anchor stem that begins one of `words`."""
        found: set[int] = set()
        for word in words:
            for end in range(ANCHOR_STEM_MIN, len(word) + 1):
                found |= self._anchor_stems.get(word[:end], set())
        return found

    def _bm25(self, terms: dict[str, bool]) -> tuple[list[float], list[float], float]:
        """Per entry: BM25, the share of the question it explains, and the ideal score.

        `terms` maps each content lemma to whether it came from a typo correction. The
        share caps each term at its idf: a term repeated in many phrasings ranks its
        entry higher (BM25) but cannot make up for a word the entry does not explain.
        """
        scores = [0.0] * len(self.entries)
        covered = [0.0] * len(self.entries)
        ideal = 0.0
        for term, corrected in terms.items():
            idf = self._idf.get(term)
            if idf is None:
                ideal += self._unknown_idf
                continue
            ideal += idf + (self.params.corrected_doubt * self._unknown_idf if corrected else 0.0)
            for index, weight in self._postings[term]:
                scores[index] += weight
                covered[index] += min(weight, idf)
        return scores, covered, ideal

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
        p = self.params
        analysed = self.lemmatizer.analyse(question)
        content = [t for t in analysed if not t.stop]
        if not content:
            return Match(None, 0.0, None, 0.0, analysed, reason="empty")
        if any(
            t.text in self._offtopic_words or t.text.startswith(self._offtopic_stems)
            for t in analysed
        ):
            return Match(None, 0.0, None, 0.0, analysed, reason="offtopic")
        terms: dict[str, bool] = {}
        for t in content:
            terms[t.lemma] = terms.get(t.lemma, True) and t.corrected
        lemmas = set(terms)
        words = [t.text for t in content]
        unknown = tuple(t.text for t in content if not t.known or t.lemma not in self._idf)
        bm25, covered, ideal = self._bm25(terms)
        ngram = self._ngram(words)
        stemmed = self._stemmed({*words, *lemmas})
        ranked: list[tuple[float, float, int]] = []
        for index in range(len(self.entries)):
            if index not in stemmed and not self._anchors[index] & lemmas:
                continue
            coverage = covered[index] / ideal if ideal else 0.0
            score = (1 - p.w_ngram) * coverage + p.w_ngram * ngram[index]
            # BM25 itself only breaks near-ties (tf: the term is central to the entry).
            tie = p.tie_bm25 * min(1.0, bm25[index] / ideal) if ideal else 0.0
            ranked.append((score + tie, coverage, index))
        if not ranked:
            return Match(None, 0.0, None, 0.0, analysed, unknown, reason="no_anchor")
        ranked.sort(reverse=True)
        score, coverage, index = ranked[0]
        # A confidence, 0..1: the tie-breaker may push a full match past 1.
        score = min(1.0, score)
        second = min(1.0, ranked[1][0]) if len(ranked) > 1 else 0.0
        best = self.entries[index]
        result = Match(best, score, best, second, analysed, unknown)
        if not lemmas & self._domain and (unknown or coverage < p.no_domain_coverage):
            return _refuse(result, "domain")
        if score < p.threshold:
            return _refuse(result, "threshold")
        if score < p.clear and score - second < p.margin:
            return _refuse(result, "margin")
        if best.handover:
            return _refuse(result, "handover")
        return result


def _refuse(match: Match, reason: str) -> Match:
    return Match(None, match.score, match.best, match.second, match.tokens, match.unknown, reason)


_MATCHER: Matcher | None = None
_LOCK = threading.Lock()


def get_matcher() -> Matcher:
    """The process-wide matcher: the knowledge base is loaded and indexed once."""
    global _MATCHER
    if _MATCHER is None:
        with _LOCK:
            if _MATCHER is None:
                _MATCHER = Matcher(load_kb(), load_lemma_table())
    return _MATCHER
