"""The ``stars`` component: the rating on a 1-10 scale, from the verdict's n-grams and its probability.

Two ridge regressions, one per camp (:class:`thumbs.learn.stars.StarRegressor`),
mixed by P(positive), on the verdict's side of 5.5; see :class:`thumbs.pipeline.scorers.StarWeights`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from thumbs.pipeline.component import BaseComponent, Reviews
from thumbs.pipeline.scorers import StarWeights


class Stars(BaseComponent):
    """Fill ``stars``: each review's rating, from the features the verdict found."""

    name: ClassVar[str] = "stars"
    requires: ClassVar[tuple[str, ...]] = ("verdict",)
    adds: ClassVar[tuple[str, ...]] = ("stars",)

    def __init__(self, weights: StarWeights) -> None:
        self.weights = weights

    def __call__(self, reviews: Reviews) -> None:
        verdict = reviews.verdict
        assert verdict is not None
        reviews.stars = self.weights.predict(
            verdict.docs, verdict.columns, len(reviews.sentences), verdict.probability, verdict.scores > 0
        )

    def to_arrays(self) -> dict[str, np.ndarray]:
        return self.weights.to_arrays()

    @classmethod
    def from_saved(cls, manifest: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Stars:
        return cls(StarWeights.from_arrays(arrays))
