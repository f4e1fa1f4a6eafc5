"""The ``sentences`` component: each review split into sentences of tokens, or why it cannot be read.

It keeps only the reviews that have words to read (:func:`thumbs.text.review.review_problem`,
then at least one token that is not punctuation, :data:`~thumbs.text.review.NO_WORDS`); every
later component sees only those, and the others get their reason as ``error``.
"""

from __future__ import annotations

from typing import ClassVar

from thumbs.pipeline.component import BaseComponent, Reviews
from thumbs.text.review import NO_WORDS, review_problem
from thumbs.text.sentences import Sentence, split_sentences
from thumbs.text.tokens import is_punctuation


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
            if problem is None:
                assert isinstance(text, str)  # review_problem refuses anything else
                sentences = split_sentences(text)
                if all(is_punctuation(t) for s in sentences for t in s.tokens):
                    problem = NO_WORDS  # markup alone ("<br />"): its letters were in the tags
            if problem is None:
                positions.append(position)
                kept.append(sentences)
            else:
                reviews.failures[position] = problem
        reviews.keep(positions, kept)
