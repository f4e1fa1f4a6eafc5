"""N-grams: which n-grams a token list has, and how a feature names one.

Training (:mod:`thumbs.features.vectorizer`) and analysis
(:mod:`thumbs.features.index`) must agree on both, so both read them here.

>>> ngrams(["not", "a", "good", "film"], (1, 2))
['not', 'a', 'good', 'film', 'not a', 'a good', 'good film']
"""

from __future__ import annotations

from collections.abc import Sequence

#: Separator between the tokens of an n-gram feature name ("not bad").
NGRAM_JOINER = " "


def ngrams(tokens: Sequence[str], ngram_range: tuple[int, int] = (1, 1)) -> list[str]:
    """Return the n-grams of ``tokens`` for every n in ``ngram_range`` (inclusive)."""
    low, high = ngram_range
    grams: list[str] = list(tokens) if low <= 1 else []
    for n in range(max(low, 2), high + 1):
        grams.extend(NGRAM_JOINER.join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams
