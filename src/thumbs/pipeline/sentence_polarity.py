"""The ``sentence_polarity`` component: each sentence's own polarity, from -1 (negative) to +1 (positive).

Its scorer is NBSVM on uni- and bigrams, trained on rt-polarity snippets
(Pang & Lee 2005); the value is ``2 * P(positive) - 1``.
"""

from __future__ import annotations

from typing import ClassVar

from thumbs.pipeline.component import Reviews
from thumbs.pipeline.scorer_component import ScorerComponent


class SentencePolarity(ScorerComponent):
    """Fill ``sentence_polarity``: each sentence's polarity on a -1..+1 scale."""

    name: ClassVar[str] = "sentence_polarity"
    adds: ClassVar[tuple[str, ...]] = ("sentence_polarity",)

    def __call__(self, reviews: Reviews) -> None:
        reviews.sentence_polarity = 2.0 * self.sentence_probabilities(reviews) - 1.0
