"""The loaders against the real corpora (THUMBS_DATA=/path/to/data; skipped without it).

Only counts, labels, folds and ids are checked; no corpus text is written into this file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from thumbs.corpora import corpus_status, load_corpus

pytestmark = pytest.mark.data


def test_polarity(require_corpus: Callable[[str], Path]) -> None:
    root = require_corpus("polarity")
    docs = load_corpus("polarity", root)
    assert len(docs) == 2000
    assert Counter(d.label for d in docs) == {"positive": 1000, "negative": 1000}
    assert Counter(d.fold for d in docs) == {k: 200 for k in range(10)}
    assert Counter((d.fold, d.label) for d in docs) == {
        (k, label): 100 for k in range(10) for label in ("positive", "negative")
    }
    ids = {d.id for d in docs}
    assert {"pos/cv000_29590", "neg/cv000_29416", "pos/cv999_13106", "neg/cv999_14636"} <= ids
    assert all(d.text and d.text == d.text.lower() for d in docs)
    assert corpus_status("polarity", root).verified


@pytest.mark.slow
def test_imdb(require_corpus: Callable[[str], Path]) -> None:
    root = require_corpus("imdb")
    docs = load_corpus("imdb", root)
    assert len(docs) == 50_000
    assert Counter((d.split, d.label) for d in docs) == {
        (split, label): 12_500 for split in ("train", "test") for label in ("positive", "negative")
    }
    assert {d.rating for d in docs if d.label == "negative"} == {1, 2, 3, 4}
    assert {d.rating for d in docs if d.label == "positive"} == {7, 8, 9, 10}
    assert len({d.id for d in docs}) == 50_000
    seed = next(d for d in docs if d.id == "test/pos/196_9")
    assert (seed.split, seed.label, seed.rating) == ("test", "positive", 9)
    assert len(seed.text.encode("utf-8")) == 3621
    assert corpus_status("imdb", root).verified


@pytest.mark.slow
def test_imdb_unsup(require_corpus: Callable[[str], Path]) -> None:
    root = require_corpus("imdb")
    docs = load_corpus("imdb", root, splits=("unsup",))
    assert len(docs) == 50_000
    assert {(d.split, d.label, d.rating) for d in docs} == {("unsup", None, None)}


def test_mr(require_corpus: Callable[[str], Path]) -> None:
    root = require_corpus("mr")
    docs = load_corpus("mr", root)
    assert len(docs) == 10_662
    assert Counter(d.label for d in docs) == {"positive": 5331, "negative": 5331}
    assert all(d.text and d.text == d.text.rstrip() and d.fold is None for d in docs)
    assert docs[0].id == "pos/0" and docs[-1].id == "neg/5330"
    assert corpus_status("mr", root).verified


def test_subj(require_corpus: Callable[[str], Path]) -> None:
    root = require_corpus("subj")
    docs = load_corpus("subj", root)
    assert len(docs) == 10_000
    assert Counter(d.label for d in docs) == {"subjective": 5000, "objective": 5000}
    assert all(d.text and d.text == d.text.rstrip() for d in docs)
    assert corpus_status("subj", root).verified


@pytest.mark.parametrize(
    ("name", "archive"),
    [("polarity", "review_polarity/review_polarity.tar.gz"), ("imdb", "aclImdb/aclImdb_v1.tar.gz")],
)
def test_fetch_verifies_the_real_archives(
    require_corpus: Callable[[str], Path], tmp_path: Path, name: str, archive: str
) -> None:
    """fetch from a file:// URL of the real archive: known size/sha256 accepted, layout as loaded."""
    from thumbs.corpora.fetch import fetch_corpus

    source = require_corpus(name) / archive
    if not source.is_file():
        pytest.skip(f"{source} not there")
    root = tmp_path / "data"
    path = fetch_corpus(name, root, url=source.as_uri(), progress=False)
    assert [p.name for p in root.iterdir()] == [path.name]
    status = corpus_status(name, root)
    assert status.present and status.verified, status.detail
