"""Negation: which tokens a negation word's scope covers.

>>> mark_negation(["it", "was", "n't", "good", ",", "but", "fine"])
['it', 'was', "n't", 'NOT_good', ',', 'but', 'fine']
"""

from __future__ import annotations

from collections.abc import Sequence

from thumbs.text.tokens import is_punctuation

#: Words that open a negation scope (Das & Chen 2001; Pang, Lee & Vaithyanathan 2002).
NEGATION_WORDS = frozenset(
    {"not", "no", "never", "n't", "cannot", "nothing", "nobody", "none", "nor", "neither", "nowhere"}
)

NEGATION_PREFIX = "NOT_"


def mark_negation(tokens: Sequence[str]) -> list[str]:
    """Prefix ``NOT_`` to each word after a negation word up to the next punctuation.

    This is the scope rule of Das & Chen (2001) as used by Pang et al. (2002):
    in "was n't good , but fine" only "good" is negated. Punctuation is any token
    without a letter or digit.
    """
    marked: list[str] = []
    append = marked.append
    negating = False
    for token in tokens:
        if is_punctuation(token):
            negating = False
            append(token)
        elif negating:
            append(NEGATION_PREFIX + token)
        else:
            append(token)
            negating = token in NEGATION_WORDS
    return marked
