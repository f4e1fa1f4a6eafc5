"""The ``subjectivity`` component: P(opinion) of each sentence, rather than plot retold.

Its scorer is naive Bayes on unigrams, trained on the subj corpus as in Pang & Lee
(2004) (see :mod:`thumbs.learn.training`), softened by a temperature so that the
minimum cut's association can matter.
"""

from __future__ import annotations

from typing import ClassVar

from thumbs.pipeline.component import Reviews
from thumbs.pipeline.scorer_component import ScorerComponent


class Subjectivity(ScorerComponent):
    """Fill ``subjectivity``: each sentence's probability of being opinion."""

    name: ClassVar[str] = "subjectivity"
    adds: ClassVar[tuple[str, ...]] = ("subjectivity",)

    def __call__(self, reviews: Reviews) -> None:
        reviews.subjectivity = self.sentence_probabilities(reviews)
