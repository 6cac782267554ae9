"""Tokenising and folding shared by the index, the queries and the lemma-table builder.

Clerks type on phones: no Polish letters, "e-mail"/"email", "on-line"/"online". Every
token is folded (lowercase, no diacritics, ł→l; the same `fold` the rules use for areas),
so "zgłoszeń" and "zgloszen" meet in one key.
"""

from __future__ import annotations

import re

from rules.areas import fold

__all__ = ["fold", "split_words", "tokens"]

# Compound spellings folded before splitting, so "e-mail" is one word as "email" is.
_JOINED = re.compile(r"\b(e|on)[\s-](mail|line)\b")
# A word is a run of letters or a run of digits: "1/2" → "1", "2"; "smup.gov.pl" → 3 words.
_WORD = re.compile(r"\d+|[^\W\d_]+")


def split_words(text: str) -> list[str]:
    """Lowercase words as typed (diacritics kept), compounds joined."""
    return _WORD.findall(_JOINED.sub(r"\1\2", text.lower()))


def tokens(text: str) -> list[str]:
    """Folded words: the keys of the lemma table and of every index."""
    return [fold(word) for word in split_words(text)]
