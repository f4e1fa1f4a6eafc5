"""The reproduction table on the real corpora (skips without THUMBS_DATA, fails under THUMBS_REQUIRE_DATA=1).

The floors are the issue's "must reach" figures; docs/reproduction.md lists the published references.
aclImdb (about 90 s) is left to `thumbs evaluate --dataset imdb` and benchmarks/, to keep `make test` short.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from thumbs.evaluation.experiments import evaluate_corpus
from thumbs.evaluation.results import EvaluationReport, ResultRow

pytestmark = [pytest.mark.data, pytest.mark.slow]


def row(report: EvaluationReport, model: str, input: str = "full", extractor: str | None = None) -> ResultRow:
    (found,) = [r for r in report.results if (r.model, r.input, r.extractor) == (model, input, extractor)]
    return found


@pytest.fixture(scope="module")
def polarity(require_corpus: Callable[[str], Path]) -> EvaluationReport:
    data_dir = require_corpus("polarity")
    require_corpus("subj")  # the extracts' subjectivity classifier trains on it
    return evaluate_corpus("polarity", data_dir=data_dir, jobs=2)


def test_polarity_full_reviews(polarity: EvaluationReport) -> None:
    assert "Pang & Lee's 10 folds" in polarity.protocol
    assert row(polarity, "nb").accuracy >= 0.815  # Pang & Lee 2004: 82.8
    assert row(polarity, "svm").accuracy >= 0.865  # Pang & Lee 2004: 87.15
    assert row(polarity, "nbsvm").accuracy >= 0.890  # Wang & Manning 2012: 89.45
    for result in polarity.results:
        assert len(result.fold_accuracies) == 10 and result.std is not None


def test_polarity_mincut_extract_beats_full_reviews_on_fewer_words(polarity: EvaluationReport) -> None:
    extract = row(polarity, "nb", "extract", "mincut")
    assert extract.accuracy > row(polarity, "nb").accuracy  # Pang & Lee 2004: 86.4 vs 82.8
    assert extract.words_kept is not None and extract.words_kept <= 0.70


def test_subj(require_corpus: Callable[[str], Path]) -> None:
    report = evaluate_corpus("subj", data_dir=require_corpus("subj"), models=["nb", "nbsvm"], jobs=2)
    assert row(report, "nb").accuracy >= 0.915  # Pang & Lee 2004: 92
    assert row(report, "nbsvm").accuracy >= 0.925  # Wang & Manning 2012: 93.18


def test_mr(require_corpus: Callable[[str], Path]) -> None:
    report = evaluate_corpus("mr", data_dir=require_corpus("mr"), models=["nbsvm"], jobs=2)
    assert row(report, "nbsvm").accuracy >= 0.790  # Wang & Manning 2012: 79.4
