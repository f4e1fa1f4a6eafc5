"""Shared by the Dask tests: review text written for them, tables of it, and small model files.

Without Dask installed (the ``thumbs[dask]`` extra) these tests skip.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")

from tests.helpers.tiny_model import tiny_model

GOOD = [
    "a wonderful, moving film",
    "the acting is superb",
    "I laughed from start to finish",
    "a clever script and a lovely score",
    "beautifully shot and well paced",
    "the best thing I have seen this year",
]
BAD = [
    "dull and far too long",
    "the plot makes no sense",
    "wooden acting and a lazy script",
    "I was bored to tears",
    "an awful, tedious mess",
    "the ending ruins everything",
]
FILMS = ["The Long Road", "Night Harbour", "Paper Moons", "Glass Garden", "Red Orchard"]


def review_text(rng: random.Random) -> str:
    """A review of two to five sentences, mostly of one mind."""
    lean = rng.random() < 0.55
    sentences = []
    for _ in range(rng.randint(2, 5)):
        pool = GOOD if (rng.random() < 0.8) == lean else BAD
        sentence = rng.choice(pool)
        sentences.append(sentence[0].upper() + sentence[1:] + rng.choice([".", "!", "."]))
    return " ".join(sentences)


def review_rows(n: int, seed: int = 7) -> list[dict[str, str]]:
    """``n`` rows (rid, film, date, text); a few reviews empty or without words, to fail."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        text = review_text(rng)
        if i % 97 == 13:
            text = ""
        elif i % 131 == 40:
            text = "... !!! ..."
        rows.append(
            {
                "rid": f"r{i}",
                "film": rng.choice(FILMS),
                "date": f"20{rng.randint(20, 24)}-0{rng.randint(1, 9)}-15",
                "text": text,
            }
        )
    return rows


@pytest.fixture(scope="session")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``model_file(tag)``: a small model saved to a new file whose bytes differ for each ``tag``
    (a worker keeps each model it loaded, by its file's digest: a new file is a fresh load)."""
    model = tiny_model()
    folder = tmp_path_factory.mktemp("models")

    def make(tag: str) -> Path:
        path = folder / f"{tag}.thumbs"
        model.manifest["test_tag"] = tag
        model.save(path)
        return path

    return make
