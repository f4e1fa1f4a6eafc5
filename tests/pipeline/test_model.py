"""The analysis core on a tiny model trained on reviews written for the tests."""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path

import numpy as np
import pytest

import thumbs
from tests.helpers.tiny_model import tiny_model
from thumbs.errors import ModelFileError, ThumbsError
from thumbs.pipeline.analysis import ROW_COLUMNS, Analysis
from thumbs.pipeline.model import Model, load_model

GOOD = "A wonderful film with superb acting. I loved it.\nHe moves to Paris in 1920."
BAD = "A dull, boring film. The acting is wooden and awful."


@pytest.fixture(scope="module")
def model() -> Model:
    return tiny_model()


def test_analysis_fields(model: Model) -> None:
    result = model.analyze(GOOD, id="g")
    assert result.id == "g" and result.error is None
    # (so few reviews give the calibration little held-out evidence: P stays on the label's side)
    assert result.label == "positive" and 0.5 <= result.probability <= 1
    assert 1.0 <= result.stars <= 10.0 and round(result.stars, 1) == result.stars
    assert [s.text for s in result.sentences] == [
        "A wonderful film with superb acting.",
        "I loved it.",
        "He moves to Paris in 1920.",
    ]
    for sentence in result.sentences:
        assert 0 <= sentence.subjectivity <= 1 and -1 <= sentence.polarity <= 1
    # the plot sentence is the least subjective one
    assert result.sentences[2].subjectivity == min(s.subjectivity for s in result.sentences)
    assert model.analyze(BAD).label == "negative"


def test_calibration_slope_follows_the_held_out_evidence() -> None:
    from thumbs.learn.calibration import fit_platt_slope

    rng = np.random.default_rng(0)
    truth = rng.random(2000) < 0.5
    informative = np.where(truth, 1.0, -1.0) + rng.normal(0, 1.0, 2000)
    slope, offset = fit_platt_slope(informative, truth)
    assert offset == 0.0 and 1.0 < slope < 3.0  # the true log-odds slope of this mixture is 2
    noise = rng.normal(0, 1.0, 2000)
    assert fit_platt_slope(noise, truth)[0] < 0.2  # no evidence: probabilities near 0.5


def test_contributions_add_up_to_the_decision_score(model: Model) -> None:
    for text in (GOOD, BAD, "Not bad at all, not bad."):
        full = model.analyze(text, evidence_size=None)
        assert full.evidence is not None and full.score is not None
        assert sum(e.contribution for e in full.evidence.ngrams) + full.evidence.bias == pytest.approx(
            full.score, abs=1e-9
        )
        assert sum(s.contribution for s in full.sentences) + full.evidence.bias == pytest.approx(full.score, abs=1e-9)
        # the score is the verdict's decision value on the fast path too
        assert model.decision_function([text])[0] == pytest.approx(full.score, abs=1e-9)
        # the top evidence is the largest contributions, in order
        top = model.analyze(text, evidence_size=3).evidence.ngrams
        assert [e.ngram for e in top] == [e.ngram for e in full.evidence.ngrams[:3]]
        assert abs(top[0].contribution) >= abs(top[-1].contribution)


def test_fast_path_agrees_with_the_full_analysis(model: Model) -> None:
    texts = [GOOD, BAD, "Wonderful. Awful. Superb!", "It wasn't boring &amp; it wasn't dull.<br />Loved it."]
    analyses = [model.analyze(t) for t in texts]
    assert model.predict(texts) == [a.label for a in analyses]
    scores, probability, stars = model.rate(texts)
    assert np.allclose(probability, [a.probability for a in analyses], atol=1e-4)
    assert stars.tolist() == [a.stars for a in analyses]


def test_bad_records_get_an_error_not_an_exception(model: Model) -> None:
    for bad, words in (
        ("", "empty"),
        ("   \n ", "empty"),
        ("x" * 1_000_001, "too long"),
        (42, "not a string (got int)"),
        ("... !!!", "no words"),
        ("<br /><br />", "no words"),
    ):
        result = model.analyze(bad, id="b")  # type: ignore[arg-type]
        assert result.error is not None and words in result.error and result.label is None
        assert result.to_row()["error"] == result.error
    with pytest.raises(ThumbsError):
        model.predict("one string")  # type: ignore[arg-type]


def test_json_and_row_forms(model: Model) -> None:
    result = model.analyze(GOOD, id="7")
    data = json.loads(result.to_json())
    assert set(data) == {
        *(
            "id",
            "label",
            "probability",
            "stars",
            "score",
            "sentences",
            "evidence",
            "error",
            "coverage",
            "warnings",
            "aspects",
        )
    }
    assert data["sentences"][0].keys() == {
        "text",
        "subjectivity",
        "polarity",
        "in_extract",
        "contribution",
        "start",
        "end",
    }
    row = result.to_row()
    assert tuple(row) == ROW_COLUMNS and row["n_sentences"] == 3


def test_to_dict_is_asdict_in_json_form(model: Model) -> None:
    # to_dict is written out field by field for speed; it must stay what asdict gives.
    for result in (model.analyze(GOOD, id="7"), model.analyze("   ", id="blank")):
        expected = json.loads(json.dumps(dataclasses.asdict(result)))
        assert result.to_dict() == expected
        assert list(result.to_dict()) == list(expected)


def test_save_and_load_give_the_same_analysis(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "tiny.thumbs"
    model.save(path)
    loaded = load_model(path)
    assert loaded.manifest["recipe"] == "tiny" and "reviews" in loaded.manifest["data"]
    a, b = loaded.analyze(BAD), model.analyze(BAD)
    assert (a.label, a.stars, [s.in_extract for s in a.sentences]) == (
        b.label,
        b.stars,
        [s.in_extract for s in b.sentences],
    )
    assert a.score == pytest.approx(b.score, abs=1e-5)  # weights are stored as float32
    # a loaded model travels to worker processes as its path, not as megabytes of pickle
    assert len(pickle.dumps(loaded)) < 1000
    assert pickle.loads(pickle.dumps(loaded)).analyze(BAD).label == "negative"


def test_analyze_many_keeps_input_order(model: Model) -> None:
    texts = [GOOD, BAD] * 20
    results = list(model.analyze_many(((str(i), t) for i, t in enumerate(texts)), jobs=1))
    assert [r.id for r in results] == [str(i) for i in range(40)]
    assert [r.label for r in results] == ["positive", "negative"] * 20


def test_not_a_model_file(tmp_path: Path) -> None:
    path = tmp_path / "x.thumbs"
    path.write_text("hello")
    with pytest.raises(ModelFileError):
        load_model(path)


def test_top_level_api_uses_the_default_model() -> None:
    assert isinstance(thumbs.analyze("A wonderful, moving film."), Analysis)
    assert thumbs.load_model() is thumbs.load_model()  # loaded once
