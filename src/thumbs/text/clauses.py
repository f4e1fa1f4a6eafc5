"""Clauses: a sentence's tokens cut where one judgement ends and another may begin.

"The acting is superb, but the story is a mess." judges two things in one sentence. An
aspect's polarity is read from its clause, not its sentence: the tokens from one cut to
the next, where a cut is punctuation inside the sentence, a contrast word, or "and"/"or"
starting a new subject ("and the story ...").

>>> tokens = "the acting is superb , but the story is a mess .".split()
>>> [" ".join(tokens[a:b]) for a, b in clause_bounds(tokens)]
['the acting is superb', 'but the story is a mess']
"""

from __future__ import annotations

from collections.abc import Sequence

#: Punctuation inside a sentence that ends a clause (it belongs to neither side).
CLAUSE_PUNCTUATION = frozenset({",", ";", ":", "--", "-", "(", ")", "[", "]", ".", "!", "?", "...", '"'})
#: Words that start a clause of their own, judging something against what came before (they stay
#: with the clause they start).
CONTRAST_WORDS = frozenset(
    {"but", "although", "though", "however", "yet", "while", "whereas", "except", "whilst", "despite", "still"}
)
#: "and", "or", "plus" start a new clause only when a new subject follows them ("and the score").
JOINING_WORDS = frozenset({"and", "or", "plus"})
#: The words that open a new subject after a joining word.
SUBJECT_OPENERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "this", "that", "these", "those"})


def clause_bounds(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """``(start, end)`` token indices of each clause of a sentence, in order, none empty.

    Cut punctuation is left out of every clause; a sentence of punctuation alone is one clause.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    for i, token in enumerate(tokens):
        if token in CLAUSE_PUNCTUATION:
            if i > start:
                bounds.append((start, i))
            start = i + 1
        elif i > start and (
            token in CONTRAST_WORDS
            or (token in JOINING_WORDS and i + 1 < len(tokens) and tokens[i + 1] in SUBJECT_OPENERS)
        ):
            bounds.append((start, i))
            start = i
    if start < len(tokens):
        bounds.append((start, len(tokens)))
    return bounds or [(0, len(tokens))]
