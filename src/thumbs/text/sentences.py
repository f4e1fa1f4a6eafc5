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
from thumbs.text.tokens import line_table

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


def _sentence_ends(tokens: Sequence[str], punctuation: Iterable[int]) -> list[int]:
    """The token index at which each sentence of one line's tokens ends (the last is ``len(tokens)``).

    After sentence-final punctuation the sentence still takes more final marks
    ("?!"), closing brackets, and a quote that closes one it opened. Punctuation
    inside brackets ends nothing. Only brackets and final marks can change
    anything, so the walk jumps from one of them to the next, among the line's
    ``punctuation`` (the indices of its punctuation tokens, which the tokenizer knows).
    """
    sentence_ends: list[int] = []
    start = 0
    n = len(tokens)
    depth = 0  # open brackets: "( what ? )" does not end a sentence inside them
    for i in punctuation:
        token = tokens[i]
        if i < start or token not in _BOUNDARY_MARKS:  # before: taken into the sentence before
            continue
        depth += (token in OPENING_BRACKETS) - (token in CLOSING_BRACKETS)
        if depth <= 0 and _ends_sentence(tokens, i):
            depth = 0
            i += 1
            while i < n and (
                tokens[i] in SENTENCE_FINAL
                or tokens[i] in CLOSING_BRACKETS
                or (tokens[i] in QUOTES and tokens[start:i].count(tokens[i]) % 2 == 1)
            ):
                i += 1
            sentence_ends.append(i)
            start = i
    if start < n:
        sentence_ends.append(n)
    return sentence_ends


def split_sentences(text: str) -> list[Sentence]:
    """Split a review (raw or tokenized form) into sentences of canonical tokens.

    A sentence ends at a line break, or after ``.``, ``!`` or ``?`` (see
    :func:`_ends_sentence`); an ellipsis does not end one. Letter case is never
    consulted, so the lowercase corpus form splits like the raw form. Empty lines
    give no sentence. Each line's tokens and offsets are tuples, so that a sentence's
    are slices of them (a whole line's: the tuples themselves).
    """
    normalized = normalize(text)
    sentences: list[Sentence] = []
    append = sentences.append
    offset = 0
    for line_text in normalized.split("\n"):
        if line_text:
            tokens, starts, ends, punctuation = line_table(line_text, offset)
            first = 0
            for last in _sentence_ends(tokens, punctuation):
                start, end = starts[first], ends[last - 1]
                append(
                    Sentence(
                        normalized[start:end], tokens[first:last], start, end, starts[first:last], ends[first:last]
                    )
                )
                first = last
        offset += len(line_text) + 1
    return sentences
