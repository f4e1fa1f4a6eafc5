"""What the two sentence components share: a linear scorer applied to every sentence of a batch.

:mod:`thumbs.pipeline.subjectivity` and :mod:`thumbs.pipeline.sentence_polarity`
differ only in the scorer they hold, the field they fill, and how they read its
probability.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from thumbs.pipeline.component import Reviews
from thumbs.pipeline.scorers import LinearScorer


class SentenceScorer:
    """A component holding one :class:`LinearScorer`, saved under the component's name."""

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    adds: ClassVar[tuple[str, ...]]

    def __init__(self, scorer: LinearScorer) -> None:
        self.scorer = scorer

    def probabilities(self, reviews: Reviews) -> NDArray[np.float64]:
        """The calibrated probability of every sentence of the batch, in one pass."""
        return np.asarray(self.scorer.probability(self.scorer.sentence_scores(reviews.sentence_tokens())))

    def to_arrays(self) -> dict[str, np.ndarray]:
        return self.scorer.to_arrays()

    def settings(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_saved(cls, manifest: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Any:
        return cls(LinearScorer.from_arrays(arrays))
