"""Negation: which tokens a negation word's scope covers.

The scope of Das & Chen (2001) as Pang, Lee & Vaithyanathan (2002) used it runs
from a negation word to the next punctuation. Three refinements read short
reviews right, each measured in docs/reproduction.md:

* a contrast word ends the scope as punctuation does: in "not the best , but
  fine" and "not the best but fine" alike, "fine" is not negated;
* a negation word followed by one of :data:`NOT_NEGATING_NEXT` opens no scope:
  "not only", "not just", "no doubt", "no wonder" say more, not less;
* a second negation word inside a scope closes it (double negation): in "I can
  n't say I did n't enjoy it", "enjoy it" is not negated.

>>> mark_negation(["it", "was", "n't", "good", ",", "but", "fine"])
['it', 'was', "n't", 'NOT_good', ',', 'but', 'fine']
>>> mark_negation(["not", "only", "funny", "but", "wise"])
['not', 'only', 'funny', 'but', 'wise']
>>> mark_negation(["ca", "n't", "say", "i", "did", "n't", "enjoy", "it"])
['ca', "n't", 'NOT_say', 'NOT_i', 'NOT_did', "NOT_n't", 'enjoy', 'it']
"""

from __future__ import annotations

from collections.abc import Sequence

from thumbs.text.tokens import is_punctuation

#: Words that open a negation scope (Das & Chen 2001; Pang, Lee & Vaithyanathan 2002).
NEGATION_WORDS = frozenset(
    {"not", "no", "never", "n't", "cannot", "nothing", "nobody", "none", "nor", "neither", "nowhere"}
)
#: Words that end a negation scope as punctuation does: the clause after them is the writer's own
#: (Polanyi & Zaenen 2006 on contrast connectives; the list is the coordinating and concessive ones).
CONTRAST_WORDS = frozenset(
    {"but", "however", "yet", "though", "although", "whereas", "except", "nevertheless", "nonetheless"}
)
#: A negation word right before one of these opens no scope: "not only", "not just", "no doubt",
#: "no wonder" strengthen what follows rather than deny it.
NOT_NEGATING_NEXT = frozenset({"only", "just", "doubt", "wonder"})

NEGATION_PREFIX = "NOT_"
#: The negation rules a model's features were made with, as its file records them: 0 none; 1 the scope runs
#: to the next punctuation (thumbs 0.1); 2 the rules above (thumbs 0.2).
NO_NEGATION, NEGATION_TO_PUNCTUATION, NEGATION_RULES = 0, 1, 2


def ends_scope(token: str) -> bool:
    """Whether ``token`` ends a negation scope: punctuation or a contrast word."""
    return token in CONTRAST_WORDS or is_punctuation(token)


def mark_negation(tokens: Sequence[str], rules: int = NEGATION_RULES) -> list[str]:
    """Prefix ``NOT_`` to each word in a negation word's scope (see the module's rules).

    Punctuation is any token without a letter or digit. ``rules=1`` is thumbs 0.1's scope (to the
    next punctuation, nothing else), kept to reproduce it. :meth:`thumbs.features.index.NgramIndex.token_ids`
    applies the same rules to token ids.

    >>> mark_negation(["not", "good", "but", "fine"], rules=NEGATION_TO_PUNCTUATION)
    ['not', 'NOT_good', 'NOT_but', 'NOT_fine']
    """
    if rules == NEGATION_TO_PUNCTUATION:
        return _to_punctuation(tokens)
    marked: list[str] = []
    append = marked.append
    negating = False
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        if ends_scope(token):
            negating = False
            append(token)
            continue
        opens = token in NEGATION_WORDS and (i == last or tokens[i + 1] not in NOT_NEGATING_NEXT)
        if negating:
            append(NEGATION_PREFIX + token)
            negating = not opens  # a second negation word closes the scope
        else:
            append(token)
            negating = opens
    return marked


def _to_punctuation(tokens: Sequence[str]) -> list[str]:
    """thumbs 0.1's rule: every word after a negation word, up to the next punctuation, is negated."""
    marked: list[str] = []
    negating = False
    for token in tokens:
        if is_punctuation(token):
            negating = False
            marked.append(token)
        elif negating:
            marked.append(NEGATION_PREFIX + token)
        else:
            marked.append(token)
            negating = token in NEGATION_WORDS
    return marked
