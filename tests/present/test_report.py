"""`thumbs evaluate --report`: the per-document predictions an evaluation keeps, and every section of the HTML report."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import numpy as np
import pytest

from tests.helpers.cli import run_thumbs
from tests.helpers.table_files import write_csv
from thumbs.evaluation.experiments import evaluate_corpus, evaluate_table
from thumbs.evaluation.predictions import FoldPredictions, PredictionCollector
from thumbs.evaluation.results import EvaluationReport, ResultRow
from thumbs.present.report import REPORT_FILE, SECTIONS, build_sections, mean_ngrams, write_report

GOOD = ["a wonderful", "a moving", "a superb", "a charming", "a brilliant", "a delightful"]
BAD = ["a dull", "a tedious", "an awful", "a lifeless", "a dreadful", "a boring"]
THINGS = ["film", "story", "cast", "script", "picture"]
ENDINGS = {
    "positive": ["I loved it.", "Great fun from start to finish.", "The ending moved me."],
    "negative": ["I hated it.", "What a waste of time.", "The ending was pointless."],
}


def reviews(n_per_label: int = 24) -> list[dict[str, str]]:
    """Short reviews written for these tests, with a label and a rating out of ten."""
    rows = []
    for i in range(n_per_label):
        for label, words, rating in (("positive", GOOD, 7 + i % 4), ("negative", BAD, 1 + i % 4)):
            text = f"{words[i % len(words)]} {THINGS[i % len(THINGS)]}. {ENDINGS[label][i % 3]} Seen on day {i}."
            rows.append({"review": text, "label": label, "rating": str(rating), "band": ["low", "mid", "high"][i % 3]})
    return rows


def sections_of(html: str) -> dict[str, str]:
    return dict(re.findall(r'<section id="([a-z]+)">(.*?)</section>', html, flags=re.DOTALL))


def images_of(fragment: str) -> list[bytes]:
    return [base64.b64decode(data) for data in re.findall(r'src="data:image/png;base64,([^"]+)"', fragment)]


def assert_png(data: bytes) -> None:
    import matplotlib.image

    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert matplotlib.image.imread(io.BytesIO(data), format="png").ndim == 3


@pytest.fixture(scope="module")
def rated(tmp_path_factory: pytest.TempPathFactory) -> tuple[EvaluationReport, PredictionCollector, str]:
    """The default recipe (verdict and stars) and two recipes on a rated table, with the report written."""
    folder = tmp_path_factory.mktemp("rated")
    table = write_csv(folder / "reviews.csv", reviews())
    received: dict[str, object] = {}
    collector = PredictionCollector(on_predictor=lambda name, predict: received.setdefault(name, predict))
    report, _ = evaluate_table(
        table,
        text_column="review",
        label_column="label",
        rating_column="rating",
        models=["default", "nb", "svm"],
        folds=3,
        jobs=1,
        collector=collector,
    )
    path = write_report(report, collector, folder / "report", command="thumbs evaluate --data reviews.csv")
    collector.received = received  # type: ignore[attr-defined]
    return report, collector, path.read_text(encoding="utf-8")


def test_collector_keeps_each_fold_and_matches_the_rows(
    rated: tuple[EvaluationReport, PredictionCollector, str],
) -> None:
    report, collector, _ = rated
    assert collector.models() == ["default", "nb", "svm"]
    for row in report.results:
        folds = collector.of(row.model)
        assert [f.fold for f in folds] == [0, 1, 2]
        assert sum(len(f.truth) for f in folds) == row.n_documents
        accuracies = [float(np.mean(f.truth == f.predicted)) for f in folds]
        assert np.allclose(accuracies, row.fold_accuracies, atol=1e-4)
        for f in folds:
            assert f.probability is not None and f.score is not None and len(f.score) == len(f.truth)
            assert set(f.ngrams) == {"positive", "negative"} and f.ngrams["positive"]
    default = collector.of("default")
    assert all(f.stars is not None and f.ratings is not None for f in default)
    assert collector.of("nb")[0].stars is None


def test_recipes_hand_over_a_predictor_of_raw_text(rated: tuple[EvaluationReport, PredictionCollector, str]) -> None:
    received = rated[1].received  # type: ignore[attr-defined]
    assert set(received) == {"nb", "svm"}  # the default recipe on a table is trained per fold only
    labels = received["nb"](["A wonderful film. I loved it.", "A dull story. I hated it."])
    assert list(labels) == ["positive", "negative"]


def test_collecting_changes_no_result(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "reviews.csv", reviews(12))
    options = {"text_column": "review", "label_column": "label", "models": ["nb", "nbsvm-uni"], "folds": 3, "jobs": 1}
    plain, _ = evaluate_table(table, **options)
    kept, _ = evaluate_table(table, **options, collector=PredictionCollector())
    assert [r.fold_accuracies for r in plain.results] == [r.fold_accuracies for r in kept.results]


def test_report_has_every_section_with_its_figure(rated: tuple[EvaluationReport, PredictionCollector, str]) -> None:
    report, _, html = rated
    sections = sections_of(html)
    assert list(sections) == list(SECTIONS)
    assert html.startswith("<!DOCTYPE html>") and "thumbs evaluate --data reviews.csv" in html
    assert "<table>" in sections["results"]
    for row in report.results:
        assert f"<td>{row.model}</td>" in sections["results"]
    for key in SECTIONS[1:]:
        assert 'class="absent"' not in sections[key], key
        images = images_of(sections[key])
        assert images, key
        for image in images:
            assert_png(image)
    assert len(images_of(sections["ngrams"])) == 3  # one chart per model
    assert 'src="http' not in html and "<link" not in html  # self-contained


def test_sections_that_cannot_be_drawn_say_why(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "bands.csv", reviews(12))
    collector = PredictionCollector()
    report, _ = evaluate_table(
        table, text_column="review", label_column="band", models=["nb"], folds=3, jobs=1, collector=collector
    )
    sections = {s.key: s.body for s in build_sections(report, collector)}
    assert "more than two classes" in sections["roc"] and "more than two classes" in sections["reliability"]
    assert "no model here gives stars" in sections["stars"]
    assert images_of(sections["confusion"]) and images_of(sections["ngrams"]) and images_of(sections["folds"])
    folds = collector.of("nb")
    assert set(folds[0].ngrams) == {"high", "low", "mid"}  # one list per class, one-vs-rest


def test_stars_without_ratings_and_an_empty_collector_say_why() -> None:
    row = ResultRow("default", "full", 0.5, None, 0.1, n_documents=2)
    report = EvaluationReport("tiny", "held out", (row,))
    collector = PredictionCollector()
    collector.add(
        FoldPredictions(
            "default",
            ("negative", "positive"),
            np.array(["positive", "negative"]),
            np.array(["positive", "positive"]),
            np.array([1.0, 0.2]),
            np.array([0.7, 0.55]),
            stars=np.array([7.0, 6.0]),
        )
    )
    sections = {s.key: s.body for s in build_sections(report, collector)}
    assert "no ratings" in sections["stars"]
    assert "no model here exposes n-gram weights" in sections["ngrams"]
    assert "one point per model" in sections["folds"]
    empty = {s.key: s.body for s in build_sections(report, PredictionCollector())}
    for key in ("confusion", "roc", "reliability"):
        assert "no per-document predictions" in empty[key]


def test_mean_ngrams_average_over_folds() -> None:
    def fold(ngrams: dict[str, tuple[tuple[str, float], ...]]) -> FoldPredictions:
        return FoldPredictions(
            "m", ("negative", "positive"), np.array(["positive"]), np.array(["positive"]), ngrams=ngrams
        )

    folds = [fold({"positive": (("great", 1.0), ("fun", 0.4))}), fold({"positive": (("great", 0.6),)})]
    assert mean_ngrams(folds) == {"positive": [("great", 0.8), ("fun", 0.2)]}


@pytest.mark.e2e
def test_cli_report_writes_one_html_file(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "reviews.csv", reviews(12))
    result = run_thumbs(
        "evaluate",
        "--data",
        str(table),
        "--text-column",
        "review",
        "--label-column",
        "label",
        "--model",
        "nb",
        "--folds",
        "3",
        "--report",
        str(tmp_path / "out" / "report"),
    )
    assert result.returncode == 0, result.stderr
    written = tmp_path / "out" / "report" / REPORT_FILE
    assert written.is_file() and f"report written to {written}" in result.stderr
    assert list(sections_of(written.read_text(encoding="utf-8"))) == list(SECTIONS)


@pytest.mark.e2e
def test_cli_report_to_a_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "reviews.csv", reviews(4))
    result = run_thumbs(
        "evaluate",
        "--data",
        str(table),
        "--text-column",
        "review",
        "--label-column",
        "label",
        "--model",
        "nb",
        "--folds",
        "2",
        "--report",
        str(table),
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "is a file" in lines[0] and "Traceback" not in result.stderr


@pytest.mark.data
def test_report_of_the_default_model_on_polarity(require_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    collector = PredictionCollector()
    report = evaluate_corpus(
        "polarity", models=["default"], data_dir=require_corpus("polarity"), jobs=1, collector=collector
    )
    (folds,) = [collector.of("default")]
    assert len(folds) == 1 and len(folds[0].truth) == 2000
    assert np.mean(folds[0].truth == folds[0].predicted) == pytest.approx(report.results[0].accuracy)
    sections = sections_of(write_report(report, collector, tmp_path).read_text(encoding="utf-8"))
    assert "no ratings" in sections["stars"]
    for key in ("confusion", "roc", "reliability", "ngrams"):
        assert images_of(sections[key]), key
