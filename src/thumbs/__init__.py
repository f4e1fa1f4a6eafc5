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

from collections.abc import Iterable, Mapping
from typing import Any

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
from thumbs.summary.films import FilmSummary
from thumbs.version import __version__


def analyze(text: str, id: str | None = None) -> Analysis:
    """Analyze one review with the default model (loaded once, then cached)."""
    return load_model().analyze(text, id=id)


def summarize(
    reviews: Iterable[Mapping[str, Any]],
    by: str,
    *,
    text: str = "text",
    id: str | None = None,
    date: str | None = None,
    model: Model | None = None,
    jobs: int = 1,
) -> list[FilmSummary]:
    """What the reviews of each film (each value of column ``by``) say: see :func:`thumbs.summary.run.summarize`.

    Imported when called, not with ``thumbs``: the batch engine it runs on would add a fifth to
    ``import thumbs`` (and so to every ``thumbs`` command's start-up).
    """
    from thumbs.summary.run import summarize as summarize_rows

    return summarize_rows(reviews, by, text=text, id=id, date=date, model=model, jobs=jobs)


__all__ = [
    "Analysis",
    "AspectJudgement",
    "Evidence",
    "FilmSummary",
    "Model",
    "NgramEvidence",
    "Phrase",
    "Quote",
    "SentenceAnalysis",
    "ThumbsError",
    "__version__",
    "analyze",
    "load_model",
    "summarize",
]
