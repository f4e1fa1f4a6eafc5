"""The pipeline as named components: order, registry, saving, and a pipeline with a stage left out."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from tests.helpers.tiny_model import tiny_model
from thumbs.errors import ModelFileError
from thumbs.pipeline.component import Reviews
from thumbs.pipeline.extract import CutSettings, Extract, banded_min_cut
from thumbs.pipeline.model import COMPONENTS, DEFAULT_PIPELINE, Model, load_model
from thumbs.pipeline.model_file import load_model_file, save_model_file

REVIEW = "A wonderful film. The acting is superb.\nHe moves to Paris in 1920. I loved every minute."


@pytest.fixture(scope="module")
def model() -> Model:
    return tiny_model()


def test_the_default_model_runs_the_seven_stages_in_order() -> None:
    assert load_model().pipe_names == DEFAULT_PIPELINE
    assert tuple(COMPONENTS) == DEFAULT_PIPELINE


def test_every_component_declares_what_it_requires_and_adds() -> None:
    added: set[str] = set()
    for name in DEFAULT_PIPELINE:
        component = COMPONENTS[name]
        assert component.name == name
        assert set(component.requires) <= added, name
        assert component.adds, name
        assert set(component.adds) <= set(Reviews.__dataclass_fields__), name
        added |= set(component.adds)


def test_a_component_before_what_it_requires_is_refused(model: Model) -> None:
    extract, subjectivity = model.get("extract"), model.get("subjectivity")
    with pytest.raises(ValueError, match="'extract' requires subjectivity"):
        Model([model.get("sentences"), extract, subjectivity])


def test_unknown_component_name(model: Model) -> None:
    with pytest.raises(KeyError, match="no 'summaries' component"):
        model.get("summaries")


def test_each_component_fills_what_it_adds(model: Model) -> None:
    reviews = Reviews([REVIEW, "   "], evidence_size=3)
    for component in model.components:
        component(reviews)
        for field in component.adds:
            assert getattr(reviews, field) is not None, (component.name, field)
    assert reviews.positions == [0] and list(reviews.failures) == [1]
    n_sentences = len(reviews.sentences[0])
    assert reviews.subjectivity is not None and reviews.subjectivity.shape == (n_sentences,)
    assert reviews.in_extract is not None and reviews.in_extract.dtype == bool
    assert reviews.sentence_polarity is not None and np.all(np.abs(reviews.sentence_polarity) <= 1.0)
    assert reviews.stars is not None and 1.0 <= reviews.stars[0] <= 10.0


def test_the_extract_component_is_the_banded_cut_of_each_review(model: Model) -> None:
    reviews = Reviews([REVIEW, REVIEW + " Dull ending."])
    for component in model.components[:3]:
        component(reviews)
    cut = model.get("extract").cut  # type: ignore[attr-defined]
    assert isinstance(cut, CutSettings)
    assert reviews.subjectivity is not None and reviews.in_extract is not None
    for d in range(2):
        own = reviews.own(d)
        assert reviews.in_extract[own].tolist() == banded_min_cut(reviews.subjectivity[own], cut).tolist()


def test_a_pipeline_without_stars_still_analyzes(model: Model) -> None:
    without = Model([c for c in model.components if c.name != "stars"], model.manifest)
    full, partial = model.analyze(REVIEW), without.analyze(REVIEW)
    assert partial.stars is None
    assert (partial.label, partial.score, partial.sentences) == (full.label, full.score, full.sentences)


def test_the_file_lists_the_pipeline_and_each_component_saves_its_own(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "tiny.thumbs"
    model.save(path)
    manifest, arrays = load_model_file(path)
    assert manifest["pipeline"] == list(DEFAULT_PIPELINE)
    assert manifest["extractor"] == {"threshold": 3, "decay": "exp", "strength": 0.5}
    assert {name.split(".")[0] for name in arrays} == {"subjectivity", "sentence_polarity", "verdict", "stars"}
    loaded, fresh = Model.from_file(path).analyze(REVIEW), model.analyze(REVIEW)  # weights saved as float32
    assert loaded.label == fresh.label and loaded.score == pytest.approx(fresh.score, rel=1e-5)


def _rewrite_manifest(source: Path, target: Path, change: dict[str, Any]) -> None:
    """Copy a model file with its manifest changed, re-signing nothing: the arrays stay as they were."""
    manifest, arrays = load_model_file(source)
    manifest.update(change)
    manifest = {k: v for k, v in manifest.items() if v is not None and k not in ("format", "format_version", "arrays")}
    save_model_file(target, manifest, arrays)


def test_a_file_without_a_pipeline_list_loads_the_default_order(model: Model, tmp_path: Path) -> None:
    saved, older = tmp_path / "tiny.thumbs", tmp_path / "older.thumbs"
    model.save(saved)
    _rewrite_manifest(saved, older, {"pipeline": None})
    with zipfile.ZipFile(older) as archive:
        assert "pipeline" not in json.loads(archive.read("manifest.json"))
    assert Model.from_file(older).pipe_names == DEFAULT_PIPELINE


def test_a_file_naming_an_unknown_component_is_refused(model: Model, tmp_path: Path) -> None:
    saved, newer = tmp_path / "tiny.thumbs", tmp_path / "newer.thumbs"
    model.save(saved)
    _rewrite_manifest(saved, newer, {"pipeline": [*DEFAULT_PIPELINE, "summaries"]})
    with pytest.raises(ModelFileError, match="summaries"):
        Model.from_file(newer)


def test_a_new_stage_is_one_class(model: Model) -> None:
    """A component written outside thumbs runs in the loop like the shipped ones."""

    class Length:
        name: ClassVar[str] = "length"
        requires: ClassVar[tuple[str, ...]] = ("sentences",)
        adds: ClassVar[tuple[str, ...]] = ("stars",)

        def __call__(self, reviews: Reviews) -> None:
            reviews.stars = np.array([float(len(s)) for s in reviews.sentences])

    custom = Model([*model.components[:-1], Length()])  # type: ignore[list-item]
    assert custom.analyze(REVIEW).stars == float(len(model.analyze(REVIEW).sentences))
    assert Extract in COMPONENTS.values()


def test_a_file_saved_before_caveats_runs_them_after_the_verdict(model: Model, tmp_path: Path) -> None:
    """Caveats keep nothing in the file: a model saved without them (as 0.1 and early 0.2 files are) gets them."""
    without = Model([c for c in model.components if c.name != "caveats"], model.manifest)
    path = tmp_path / "older.thumbs"
    without.save(path)
    loaded = load_model(path)
    assert loaded.pipe_names.index("caveats") == loaded.pipe_names.index("verdict") + 1
    assert loaded.analyze("xyzzy qwerty plugh").warnings
