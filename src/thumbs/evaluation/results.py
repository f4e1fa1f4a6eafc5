"""Result tables of an evaluation: one row per model and input, and the report that holds them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ResultRow:
    """One line of a result table: a model on one kind of input."""

    model: str
    input: str  # "full" or "extract"
    accuracy: float
    std: float | None
    seconds: float
    extractor: str | None = None
    words_kept: float | None = None
    fold_accuracies: tuple[float, ...] = ()
    n_documents: int = 0
    ece: float | None = None  # expected calibration error of P(positive), where the model gives one
    stars_mae: float | None = None  # mean absolute error of the stars, where the data has ratings
    stars_pearson: float | None = None
    trained_on_this_data: bool = False  # the model was trained on these very documents (--allow-trained-data)

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready values (``--json`` output)."""
        row = asdict(self)
        row["fold_accuracies"] = list(self.fold_accuracies)
        return row


@dataclass(frozen=True)
class EvaluationReport:
    """All rows of one evaluation, with the protocol that produced them."""

    dataset: str
    protocol: str
    results: tuple[ResultRow, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values (``--json`` output)."""
        return {
            "dataset": self.dataset,
            "protocol": self.protocol,
            "results": [row.to_dict() for row in self.results],
            "notes": list(self.notes),
        }
