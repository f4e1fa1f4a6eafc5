"""thumbs: read movie reviews and say how the writer judged the film.

>>> import thumbs
>>> analysis = thumbs.analyze("A moving, beautifully acted film.")   # doctest: +SKIP
>>> analysis.label, analysis.stars                                     # doctest: +SKIP
('positive', 8.4)
>>> model = thumbs.load_model()                                        # doctest: +SKIP
>>> model.predict(["Dull.", "Wonderful!"])                             # doctest: +SKIP
['negative', 'positive']
"""

from __future__ import annotations

#: The version; pyproject.toml reads it from here (one place), and no lookup of package
#: metadata slows ``import thumbs``.
__version__ = "0.2.0"

from thumbs.errors import ThumbsError
from thumbs.pipeline.analysis import (
    Analysis,
    AspectJudgement,
    Evidence,
    NgramEvidence,
    Phrase,
    Quote,
    SentenceAnalysis,
)
from thumbs.pipeline.model import Model, load_model


def analyze(text: str, id: str | None = None) -> Analysis:
    """Analyze one review with the default model (loaded once, then cached)."""
    return load_model().analyze(text, id=id)


__all__ = [
    "Analysis",
    "AspectJudgement",
    "Evidence",
    "Model",
    "NgramEvidence",
    "Phrase",
    "Quote",
    "SentenceAnalysis",
    "ThumbsError",
    "__version__",
    "analyze",
    "load_model",
]
