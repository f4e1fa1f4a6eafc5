"""A general opinion lexicon at training time: priors and weights from VADER's and TextBlob's valences.

The verdict learns its weights from aclImdb, where many opinion words are rare
and many plot words ("factory", a character's name) happen to lean one way. A
lexicon written by people for sentiment in general says which words carry
opinion at all; training reads it to favour those words' n-grams and to give
opinion words rare in the training reviews a weight of their own. The lexicon
itself (VADER's and TextBlob's valences) is read by :mod:`thumbs.text.opinion_lexicon`.

>>> lexicon = opinion_lexicon()
>>> lexicon["masterpiece"] > 0.5, lexicon["dull"] < -0.3, "factory" in lexicon
(True, True, False)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from thumbs.features.ngrams import NGRAM_JOINER
from thumbs.text.negation import NEGATION_PREFIX
from thumbs.text.opinion_lexicon import (  # the lexicon itself lives with the text, which analysis reads too
    TEXTBLOB_MIN_POLARITY,
    VADER_MIN_VALENCE,
    VADER_SCALE,
    merge,
    opinion_lexicon,
    parse_textblob,
    parse_vader,
)
from thumbs.text.tokens import tokenize

__all__ = [
    "TEXTBLOB_MIN_POLARITY",
    "VADER_MIN_VALENCE",
    "VADER_SCALE",
    "lexicon_prior",
    "lexicon_weights",
    "merge",
    "opinion_lexicon",
    "parse_textblob",
    "parse_vader",
]


def lexicon_prior(ngrams: Sequence[str], lexicon: Mapping[str, float], other: float) -> NDArray[np.float64]:
    """The prior of each n-gram feature: 1 if one of its words (``NOT_`` removed) is in ``lexicon``, else ``other``.

    :class:`~thumbs.learn.nbsvm.NBSVM` multiplies its features by it, so the weight of an
    n-gram without an opinion word costs ``1 / other**2`` times as much to grow.

    >>> lexicon_prior(["a masterpiece", "a factory", "NOT_dull"], {"masterpiece": 0.8, "dull": -0.4}, 0.7).tolist()
    [1.0, 0.7, 1.0]
    """
    opinion = {word for word in lexicon}
    prior = np.full(len(ngrams), float(other))
    for i, gram in enumerate(ngrams):
        if any(word.removeprefix(NEGATION_PREFIX) in opinion for word in gram.split(NGRAM_JOINER)):
            prior[i] = 1.0
    return prior


def lexicon_weights(lexicon: Mapping[str, float]) -> dict[str, float]:
    """Unigram weights from an opinion lexicon: a word weighs its valence, the word in a negation's scope the opposite.

    Words that are not one token of thumbs' tokenizer (``"can't"``, ``":)"``) are left out:
    no sentence's features could hold them.
    """
    weights: dict[str, float] = {}
    for word, valence in lexicon.items():
        if tokenize(word) == [word] and not word.startswith(NEGATION_PREFIX):
            weights[word] = float(valence)
            weights[NEGATION_PREFIX + word] = -float(valence)
    return weights
