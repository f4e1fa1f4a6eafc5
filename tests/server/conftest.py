"""What the in-process server tests share: the default model, loaded once for the folder."""

from __future__ import annotations

import pytest

from thumbs.pipeline.model import Model, load_model


@pytest.fixture(scope="session")
def model() -> Model:
    return load_model()
