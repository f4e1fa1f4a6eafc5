"""A model's fingerprint: what a batch journal records so that --resume never mixes two models' results."""

from __future__ import annotations

from pathlib import Path

from thumbs.pipeline.model import Model, load_model
from thumbs.text.aspect_terms import AspectTerms, builtin_aspect_terms


def test_the_same_model_has_the_same_fingerprint_and_other_aspects_another(tmp_path: Path) -> None:
    model = load_model()
    assert load_model().fingerprint == model.fingerprint
    villain = builtin_aspect_terms().merged(AspectTerms({"villain": ["the villain"]}))
    assert model.with_aspects(villain).fingerprint != model.fingerprint
    assert model.with_aspects(villain).fingerprint == load_model().with_aspects(villain).fingerprint
    in_memory = Model(model.components, {"recipe": "mine"})  # never saved: its arrays are hashed
    assert in_memory.fingerprint != model.fingerprint
    assert Model(model.components, {"recipe": "mine"}).fingerprint == in_memory.fingerprint
