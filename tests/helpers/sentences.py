"""Sentences written for the sentence-model tests: opinion and plot, positive and negative (never corpus text)."""

from __future__ import annotations

import itertools

from thumbs.text.tokens import tokenize


def _sentences(openings: list[str], middles: list[str], endings: list[str]) -> list[list[str]]:
    return [tokenize(" ".join(parts)) for parts in itertools.product(openings, middles, endings)]


#: 24 opinion sentences and 24 plot sentences (4 x 3 x 2 each), written for these tests.
OPINION = _sentences(
    ["a wonderful", "an awful", "a dull", "a brilliant"],
    ["film , i loved it", "mess , i hated it", "story , truly boring"],
    ["and so moving", "and utterly stupid"],
)
PLOT = _sentences(
    ["he moves to paris", "she meets her father", "they travel north", "the family buys a farm"],
    ["in 1920 ,", "after the war ,", "by train ,"],
    ["where he finds work", "and writes letters home"],
)
#: 24 positive and 24 negative snippets, written for these tests.
GOOD = _sentences(
    ["a superb", "a moving", "a funny", "a lovely"],
    ["film", "story", "performance"],
    ["that i enjoyed", "full of charm"],
)
BAD = _sentences(
    ["a boring", "a clumsy", "a tedious", "a lazy"],
    ["film", "story", "performance"],
    ["that i regretted", "full of clichés"],
)
