"""Phrases: the verdict's n-gram contributions laid on the review's own words, and cut into stretches.

The verdict adds up the weights of the n-grams present in a review. Shown one by one
they read like the tokenizer ("did n't .", "no NOT_sense"), and one phrase of the review
fills the list several times ("a masterpiece", ". a masterpiece"). Here the contribution of
an n-gram is split equally among the places it occurs (as the sentence shares split it),
and each occurrence's part equally among its tokens; a token's contribution is what the
occurrences covering it give it. A phrase is then a run of adjacent tokens of one
sentence whose contributions have one sign. Tokens that weigh little (under
:data:`QUIET_SHARE` of the review's strongest token) form runs of their own (again by
sign), so that a strong phrase is not stretched over a clause by words that carry almost
nothing; a run of quiet words is a phrase too, and it can add up to a real push. Every token is in exactly one phrase, so the phrases'
contributions plus the bias are the score, exactly as the n-grams' are, and no two
phrases overlap: each can be shown in place.

Everything here works on the whole batch at once, on token positions in the batch's token
stream; :mod:`thumbs.pipeline.verdict` turns the few phrases it lists into words of the
text (:class:`thumbs.text.offsets.TextOffsets`).

>>> values = token_contributions(5, np.array([0, 1, 3, 4]), np.array([2, 2, 4, 5]), np.array([0.5, 0.25, -0.5, 0.0]))
>>> values.tolist()
[0.25, 0.5, 0.0, -0.5, 0.0]
>>> table = phrase_table(values=values, sentence_of_token=np.zeros(5, dtype=np.int64), doc_of_token=np.zeros(5, dtype=np.int64), n_docs=1)
>>> table.first.tolist(), table.end.tolist(), table.contribution.tolist()
([0, 3], [2, 4], [0.75, -0.5])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from thumbs.features.int_sets import ranges

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: A token whose |contribution| is under this share of its review's strongest token's is
#: quiet: it neither joins nor extends the phrases of the tokens around it. Chosen by eye
#: on reviews written for the tests: at 0.05 clauses of articles and names still chain
#: into one phrase; at 0.2 two-word phrases ("not bad") start to break.
QUIET_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class PhraseTable:
    """The phrases of a batch, one row each, in stream order.

    ``doc``, ``sentence``: the review and the (batch-wide) sentence of a phrase;
    ``first``, ``end``: its token positions in the stream (``end`` exclusive);
    ``contribution``: the sum of its tokens' contributions (never zero: such runs are dropped).
    """

    doc: IntArray
    sentence: IntArray
    first: IntArray
    end: IntArray
    contribution: FloatArray

    def strongest(self, n_docs: int, size: int | None) -> list[IntArray]:
        """Per review, the rows of its ``size`` strongest phrases (all with None), largest |contribution| first."""
        return strongest_by_group(self.contribution, self.doc, n_docs, size)


def strongest_by_group(values: FloatArray, groups: IntArray, n_groups: int, size: int | None) -> list[IntArray]:
    """Per group (``groups`` sorted), the indices of its ``size`` largest ``|values|`` (all with None), largest first.

    Ties keep their order, as a stable sort of each group would. One stable sort of the
    whole batch by (group, -|value|), then each group's first ``size``: no step per group
    but the split of the result.

    >>> [g.tolist() for g in strongest_by_group(np.array([0.1, -0.5, 0.2, 0.3]), np.array([0, 0, 1, 1]), 3, 1)]
    [[1], [3], []]
    """
    order = np.lexsort((-np.abs(values), groups))  # stable: ties keep their order
    bounds = np.searchsorted(groups, np.arange(n_groups + 1))
    if size is not None:
        rank = np.arange(len(order)) - np.repeat(bounds[:-1], np.diff(bounds))
        kept = rank < size
        order = order[kept]
        bounds = np.concatenate([[0], np.cumsum(np.minimum(np.diff(bounds), size))])
    return np.split(order, bounds[1:-1])


def token_contributions(n_tokens: int, starts: IntArray, ends: IntArray, parts: FloatArray) -> FloatArray:
    """Each token's contribution: the part of every occurrence covering it, split equally among its tokens."""
    lengths = ends - starts
    covered = ranges(starts, lengths)
    return np.asarray(
        np.bincount(covered, weights=np.repeat(parts / lengths, lengths), minlength=n_tokens), dtype=np.float64
    )


def phrase_table(
    *,
    values: FloatArray,
    sentence_of_token: IntArray,
    doc_of_token: IntArray,
    n_docs: int,
    glued: NDArray[np.bool_] | None = None,
) -> PhraseTable:
    """The phrases of a batch's token stream, from each token's contribution (:func:`token_contributions`).

    ``sentence_of_token`` is -1 for the separators between reviews (they belong to no phrase).
    ``glued[i]`` says token ``i`` came from the same character of the text as token ``i - 1``
    ("½" is "1⁄2"): such tokens stay in one phrase, which then has a place in the text.
    """
    n_tokens = len(values)
    # units: a token, or tokens glued to the one before; runs are made of units
    starts_unit = np.ones(n_tokens, dtype=bool) if glued is None else ~glued
    starts_unit[:1] = True
    unit_first = np.flatnonzero(starts_unit)
    unit_of = np.cumsum(starts_unit) - 1
    unit_values = np.asarray(np.bincount(unit_of, weights=values, minlength=len(unit_first)), dtype=np.float64)
    unit_doc, unit_sentence = doc_of_token[unit_first], sentence_of_token[unit_first]
    strongest = np.zeros(n_docs)
    np.maximum.at(strongest, unit_doc, np.abs(unit_values))
    quiet = np.abs(unit_values) < QUIET_SHARE * strongest[unit_doc]
    kind = np.sign(unit_values).astype(np.int64) * np.where(quiet, 2, 1)  # strong or quiet, by sign
    opens = np.ones(len(unit_first), dtype=bool)
    opens[1:] = (kind[1:] != kind[:-1]) | (unit_sentence[1:] != unit_sentence[:-1])
    heads = np.flatnonzero(opens)
    row = np.cumsum(opens) - 1
    sums = np.asarray(np.bincount(row, weights=unit_values, minlength=len(heads)), dtype=np.float64)
    first = unit_first[heads]
    ends_at = np.append(first[1:], n_tokens)
    kept = np.flatnonzero((sums != 0) & (unit_sentence[heads] >= 0))
    return PhraseTable(
        doc=unit_doc[heads[kept]],
        sentence=unit_sentence[heads[kept]],
        first=first[kept],
        end=ends_at[kept],
        contribution=sums[kept],
    )
