"""mark_negation's rules 2: contrast words end a scope, "not only" opens none, a second negation word closes one.

The unit tests pin each rule on short token lists written for them; the property
tests check mark_negation against a second reading of the rules (stretch by
stretch, the opening negation words pair up) on random token lists.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thumbs.text.negation import (
    CONTRAST_WORDS,
    NEGATION_PREFIX,
    NEGATION_WORDS,
    NOT_NEGATING_NEXT,
    ends_scope,
    mark_negation,
)
from thumbs.text.tokens import is_punctuation

#: A small vocabulary where every rule meets every other one often.
VOCABULARY = [
    *sorted(NEGATION_WORDS - {"nobody", "nowhere", "neither"}),
    "but",
    "however",
    "yet",
    "though",
    "except",
    "still",  # a turn word for emphasis, but no contrast word: it does not end a scope
    "only",
    "just",
    "doubt",
    "wonder",
    ".",
    "!",
    "?!",
    "...",
    ",",
    "good",
    "bad",
    "film",
    "fine",
]

token_lists = st.lists(st.sampled_from(VOCABULARY), max_size=25)


def _by_stretches(tokens: Sequence[str]) -> list[str]:
    """The rules read another way: in each stretch between scope ends, the opening negation words pair up.

    A negation word opens a scope unless one of NOT_NEGATING_NEXT follows it. The 1st, 3rd, 5th ...
    opening word of a stretch negates what follows it up to and including the next opening word
    (which closes the scope), or to the stretch's end when no opening word follows.
    """
    marked = list(tokens)
    stretch: list[int] = []
    for i in [*range(len(tokens)), len(tokens)]:
        if i < len(tokens) and not ends_scope(tokens[i]):
            stretch.append(i)
            continue
        opening = [
            j
            for j in stretch
            if tokens[j] in NEGATION_WORDS and (j + 1 >= len(tokens) or tokens[j + 1] not in NOT_NEGATING_NEXT)
        ]
        for k in range(0, len(opening), 2):
            stop = opening[k + 1] + 1 if k + 1 < len(opening) else stretch[-1] + 1
            for j in range(opening[k] + 1, stop):
                marked[j] = NEGATION_PREFIX + tokens[j]
        stretch = []
    return marked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # each contrast word ends a scope as a comma does
        *[(f"not bad {w} dull", f"not NOT_bad {w} dull") for w in sorted(CONTRAST_WORDS)],
        ("not bad , dull", "not NOT_bad , dull"),
        # "still" is no contrast word: the scope runs on through it
        ("not bad still dull", "not NOT_bad NOT_still NOT_dull"),
        # a negation word before one of NOT_NEGATING_NEXT opens no scope
        *[(f"not {w} good film", f"not {w} good film") for w in sorted(NOT_NEGATING_NEXT)],
        *[(f"no {w} good film", f"no {w} good film") for w in sorted(NOT_NEGATING_NEXT)],
        # ... but "only" after a word that opened a scope is negated like any word
        ("never good only bad", "never NOT_good NOT_only NOT_bad"),
        # a negation word that opens nothing inside a scope is negated and leaves it open
        ("not no doubt good", "not NOT_no NOT_doubt NOT_good"),
        # double negation: the second word is negated and closes the scope; a third opens one again
        ("not never good . fine", "not NOT_never good . fine"),
        ("no film n't good", "no NOT_film NOT_n't good"),
        ("not bad not good not fine", "not NOT_bad NOT_not good not NOT_fine"),
        ("not not not not film", "not NOT_not not NOT_not film"),
        # a contrast word or punctuation between two negation words: two scopes, no double negation
        ("not bad but not good", "not NOT_bad but not NOT_good"),
        ("never dull . never bad", "never NOT_dull . never NOT_bad"),
        # a negation word at the end, or right before a scope end, negates nothing
        ("good film not", "good film not"),
        ("not but good", "not but good"),
        ("not ?! good", "not ?! good"),
        # an emptied list and a list of scope ends
        ("", ""),
        (", . but", ", . but"),
    ],
)
def test_mark_negation_rules(text: str, expected: str) -> None:
    assert mark_negation(text.split()) == expected.split()


def test_rule_words_are_disjoint_where_they_must_be() -> None:
    # a contrast word that negated, or a negation word that ended a scope, would make the rules ambiguous
    assert not CONTRAST_WORDS & NEGATION_WORDS
    assert not NOT_NEGATING_NEXT & (NEGATION_WORDS | CONTRAST_WORDS)


@pytest.mark.parametrize(
    ("token", "ends"),
    [("but", True), ("however", True), ("except", True), (",", True), ("...", True), ("?!", True), ("", True)],
)
def test_ends_scope_for_contrast_words_and_punctuation(token: str, ends: bool) -> None:
    assert ends_scope(token) is ends


@pytest.mark.parametrize("token", ["still", "not", "only", "good", "n't", "2", "but_"])
def test_ends_scope_not_for_words(token: str) -> None:
    assert ends_scope(token) is False


@settings(max_examples=400, deadline=None)
@given(token_lists)
def test_mark_negation_agrees_with_the_rules_read_by_stretches(tokens: list[str]) -> None:
    assert mark_negation(tokens) == _by_stretches(tokens)


@settings(max_examples=300, deadline=None)
@given(token_lists)
def test_only_words_after_a_negation_word_in_the_same_stretch_are_negated(tokens: list[str]) -> None:
    marked = mark_negation(tokens)
    assert len(marked) == len(tokens)
    for i, (token, out) in enumerate(zip(tokens, marked)):
        assert out in (token, NEGATION_PREFIX + token)
        if out == token:
            continue
        # scope ends are never negated, and a negated token has a negation word before it in its stretch
        assert not ends_scope(token) and not is_punctuation(token)
        start = max((j + 1 for j in range(i) if ends_scope(tokens[j])), default=0)
        assert any(t in NEGATION_WORDS for t in tokens[start:i])
    # nothing is negated past a scope end without a negation word after it
    for i in range(1, len(tokens)):
        if ends_scope(tokens[i - 1]) and tokens[i] not in NEGATION_WORDS:
            assert marked[i] == tokens[i]


@settings(max_examples=200, deadline=None)
@given(token_lists, token_lists)
def test_a_scope_end_cuts_the_list_in_two_independent_halves(left: list[str], right: list[str]) -> None:
    for end in (".", ",", "but", "however"):
        assert mark_negation([*left, end, *right]) == [*mark_negation(left), end, *mark_negation(right)]
