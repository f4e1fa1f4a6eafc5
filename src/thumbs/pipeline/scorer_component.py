"""What the components that hold one linear scorer share: saving it, and scoring sentences with it.

:mod:`thumbs.pipeline.subjectivity` and :mod:`thumbs.pipeline.sentence_polarity`
differ only in the scorer they hold, the field they fill, and how they read its
probability; :mod:`thumbs.pipeline.verdict` holds one too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from thumbs.pipeline.component import BaseComponent, Reviews
from thumbs.pipeline.scorers import LinearScorer


class ScorerComponent(BaseComponent):
    """A component holding one :class:`LinearScorer`, saved under the component's name."""

    requires: ClassVar[tuple[str, ...]] = ("sentences",)

    def __init__(self, scorer: LinearScorer) -> None:
        self.scorer = scorer

    def sentence_probabilities(self, reviews: Reviews) -> NDArray[np.float64]:
        """The calibrated probability of every sentence of the batch, in one pass."""
        return np.asarray(self.scorer.probability(self.scorer.sentence_scores(reviews.token_codes())))

    def to_arrays(self) -> dict[str, np.ndarray]:
        return self.scorer.to_arrays()

    @classmethod
    def from_saved(cls, manifest: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Any:
        return cls(LinearScorer.from_arrays(arrays))
