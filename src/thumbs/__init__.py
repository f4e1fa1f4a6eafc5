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

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("thumbs")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

from thumbs.pipeline.analysis import Analysis, Evidence, NgramEvidence, SentenceAnalysis
from thumbs.errors import ThumbsError
from thumbs.pipeline.model import Model, load_model


def analyze(text: str, id: str | None = None) -> Analysis:
    """Analyze one review with the default model (loaded once, then cached)."""
    return load_model().analyze(text, id=id)


__all__ = [
    "Analysis",
    "Evidence",
    "Model",
    "NgramEvidence",
    "SentenceAnalysis",
    "ThumbsError",
    "__version__",
    "analyze",
    "load_model",
]
