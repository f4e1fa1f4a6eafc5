"""The ``sentences`` component: each review split into sentences of tokens, or why it cannot be read.

It keeps only the reviews that have words to read (:func:`thumbs.text.review.review_problem`,
then at least one token that is not punctuation); every later component sees only those.
"""

from __future__ import annotations

from typing import ClassVar

from thumbs.pipeline.component import BaseComponent, Reviews
from thumbs.text.review import review_problem
from thumbs.text.sentences import Sentence, split_sentences
from thumbs.text.tokens import is_punctuation

#: Why a review of punctuation alone gets no analysis.
ONLY_PUNCTUATION = "empty review: it has no words to read, only punctuation"


class Sentences(BaseComponent):
    """Split each readable review into sentences (raw or tokenized text alike)."""

    name: ClassVar[str] = "sentences"
    requires: ClassVar[tuple[str, ...]] = ()
    adds: ClassVar[tuple[str, ...]] = ("positions", "failures", "sentences")

    def __call__(self, reviews: Reviews) -> None:
        positions: list[int] = []
        kept: list[list[Sentence]] = []
        for position, text in enumerate(reviews.texts):
            problem = review_problem(text)
            sentences = split_sentences(text) if problem is None else []  # type: ignore[arg-type]
            if problem is None and all(is_punctuation(t) for s in sentences for t in s.tokens):
                problem = ONLY_PUNCTUATION
            if problem is None:
                positions.append(position)
                kept.append(sentences)
            else:
                reviews.failures[position] = problem
        reviews.keep(positions, kept)
