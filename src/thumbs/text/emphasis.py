"""Emphasis: where in a review the writer gives the verdict.

A bag of n-grams weighs "the trailer promised a sharp thriller" as much as "the
film is a slog", and the plot retold in the middle as much as the closing
judgement. Two places carry the verdict more than the rest (docs/reproduction.md
measures each on a development split of aclImdb train and on polarity v2.0):

* the clause after a turn word (:data:`TURN_WORDS`: "but", "however", "yet",
  "though", "still", ...), up to the end of its sentence: the clause after "but"
  outweighs the one before (Polanyi & Zaenen 2006);
* the last sentence of a review: Pang & Lee (2004) found its last sentences say
  more about its polarity than its first ones.

A scorer with an emphasis weight ``e`` (:class:`thumbs.pipeline.scorers.LinearScorer`)
counts an n-gram that starts in such a place ``1 + e`` times instead of once;
:meth:`thumbs.features.index.NgramIndex.emphasized` finds the places on token
ids with the same rules as :func:`emphasized` here.

>>> tokens = "good cast . the trailer was fun but the film is a slog . avoid it".split()
>>> [t for t, e in zip(tokens, emphasized(tokens)) if e]
['the', 'film', 'is', 'a', 'slog', 'avoid', 'it']
"""

from __future__ import annotations

from collections.abc import Sequence

from thumbs.text.tokens import is_punctuation

#: Words after which a sentence turns to what the writer means (the clause after them is emphasized).
TURN_WORDS = frozenset(
    {"but", "however", "yet", "though", "although", "nevertheless", "nonetheless", "still", "instead"}
)
#: The characters a sentence-ending token is made of (".", "!", "?!", "...").
SENTENCE_END_CHARACTERS = frozenset(".!?")


def is_sentence_end(token: str) -> bool:
    """Whether ``token`` ends a sentence for emphasis: made only of ``.``, ``!`` and ``?``."""
    return bool(token) and all(c in SENTENCE_END_CHARACTERS for c in token)


def emphasized(tokens: Sequence[str]) -> list[bool]:
    """Which tokens of one review are emphasized: after a turn word to the sentence's end, and the last sentence.

    The last sentence starts after the last sentence-ending token that has a word
    (a token with a letter or digit) after it; a review with no such token has no
    last sentence apart from itself, and only its turns are emphasized.
    """
    flags = [False] * len(tokens)
    turned = False
    for i, token in enumerate(tokens):
        if is_sentence_end(token):
            turned = False
        elif token in TURN_WORDS:
            turned = True
        elif turned:
            flags[i] = True
    words = [i for i, token in enumerate(tokens) if not is_punctuation(token)]
    ends = [i for i, token in enumerate(tokens) if is_sentence_end(token) and words and i < words[-1]]
    if ends:
        for i in range(ends[-1] + 1, len(tokens)):
            flags[i] = True
    return flags
