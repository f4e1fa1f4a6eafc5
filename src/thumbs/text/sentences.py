"""Sentences: a review split into sentences of canonical tokens, with their offsets.

A sentence ends at a line break (``<br />`` counts as one) or after sentence-final
punctuation that really ends it; deciding this never looks at letter case, because
the corpus form has none.

>>> [s.tokens for s in split_sentences("It wasn't bad. I've seen worse!")]
[('it', 'was', "n't", 'bad', '.'), ('i', "'ve", 'seen', 'worse', '!')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from thumbs.text.normalize import normalize
from thumbs.text.tokens import line_tokens

#: Words whose following period is an abbreviation's, not a sentence's end.
TITLE_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "vs", "mt", "lt", "gen", "col", "sgt"}
)

#: Web domains: a period before one ("imdb . com") does not end a sentence.
DOMAIN_SUFFIXES = frozenset({"com", "org", "net", "edu", "gov", "html", "htm", "co", "uk", "tv", "io"})

SENTENCE_FINAL = frozenset({".", "!", "?"})

#: Tokens that close a sentence's quote or bracket and so belong to it.
OPENING_BRACKETS = frozenset({"(", "[", "{"})

CLOSING_BRACKETS = frozenset({")", "]", "}"})

QUOTES = frozenset({'"', "'"})

#: The tokens at which a line's walk (:func:`_sentence_bounds`) can change state.
_BOUNDARY_MARKS = SENTENCE_FINAL | OPENING_BRACKETS | CLOSING_BRACKETS


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a review.

    ``text`` is the sentence as it reads in the normalized review (original case,
    tags removed); ``tokens`` are its canonical lowercase tokens; ``start`` and
    ``end`` are character offsets into :func:`normalize`'s output, and so are
    ``token_starts`` and ``token_ends``, one per token (kept from the split, so that
    finding a token in the text never tokenizes the sentence again).
    """

    text: str
    tokens: tuple[str, ...]
    start: int
    end: int
    token_starts: tuple[int, ...] = field(default=(), compare=False, repr=False)
    token_ends: tuple[int, ...] = field(default=(), compare=False, repr=False)


def _ends_sentence(tokens: Sequence[str], i: int) -> bool:
    """Whether ``tokens[i]`` is sentence-final punctuation that really ends the sentence.

    A period after a title ("mr ."), after a single letter of an initial or a dotted
    abbreviation ("george c . scott", "u . s ."), between the digits of a number
    ("2 . 5"), or before a web domain ("imdb . com") does not.
    """
    token = tokens[i]
    if token not in SENTENCE_FINAL:
        return False
    if token == "." and i > 0:
        previous = tokens[i - 1]
        if previous in TITLE_ABBREVIATIONS or (len(previous) == 1 and previous.isalpha() and previous != "i"):
            return False
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if following in DOMAIN_SUFFIXES or (previous.isdigit() and following[:1].isdigit()):
            return False
    return True


def _sentence_bounds(tokens: Sequence[str]) -> Iterable[tuple[int, int]]:
    """Yield (start, end) token ranges of the sentences in one line's tokens.

    After sentence-final punctuation the sentence still takes more final marks
    ("?!"), closing brackets, and a quote that closes one it opened. Punctuation
    inside brackets ends nothing. Only brackets and final marks can change
    anything, so the walk jumps from one of them to the next.
    """
    marks = [k for k, token in enumerate(tokens) if token in _BOUNDARY_MARKS]
    start = 0
    n = len(tokens)
    depth = 0  # open brackets: "( what ? )" does not end a sentence inside them
    following = 0  # the first of marks not yet walked past
    while following < len(marks):
        i = marks[following]
        following += 1
        if i < start:  # taken into the sentence before, after its end
            continue
        depth += (tokens[i] in OPENING_BRACKETS) - (tokens[i] in CLOSING_BRACKETS)
        if depth <= 0 and _ends_sentence(tokens, i):
            depth = 0
            i += 1
            while i < n and (
                tokens[i] in SENTENCE_FINAL
                or tokens[i] in CLOSING_BRACKETS
                or (tokens[i] in QUOTES and tokens[start:i].count(tokens[i]) % 2 == 1)
            ):
                i += 1
            yield start, i
            start = i
    if start < n:
        yield start, n


def split_sentences(text: str) -> list[Sentence]:
    """Split a review (raw or tokenized form) into sentences of canonical tokens.

    A sentence ends at a line break, or after ``.``, ``!`` or ``?`` (see
    :func:`_ends_sentence`); an ellipsis does not end one. Letter case is never
    consulted, so the lowercase corpus form splits like the raw form. Empty lines
    give no sentence.
    """
    normalized = normalize(text)
    sentences: list[Sentence] = []
    offset = 0
    for line_text in normalized.split("\n"):
        tokens, starts, ends = line_tokens(line_text, offset)
        offset += len(line_text) + 1
        for first, last in _sentence_bounds(tokens):
            start, end = starts[first], ends[last - 1]
            sentences.append(
                Sentence(
                    normalized[start:end],
                    tuple(tokens[first:last]),
                    start,
                    end,
                    tuple(starts[first:last]),
                    tuple(ends[first:last]),
                )
            )
    return sentences
