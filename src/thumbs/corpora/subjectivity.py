"""Reader for the subjectivity dataset v1.0 (Pang & Lee 2004), known on the command line as ``subj``.

Layout (the official rotten_imdb.tar.gz keeps these at its top level)::

    <data dir>/rotten_imdb/quote.tok.gt9.5000   5000 subjective sentences (review snippets)
    <data dir>/rotten_imdb/plot.tok.gt9.5000    5000 objective sentences (plot summaries)

Latin-1 bytes, one sentence a line. There are no official folds (seeded 10-fold CV elsewhere).
Labels are "subjective"/"objective"; ids are "quote/<line>" and "plot/<line>", naming the file.
"""

from __future__ import annotations

from pathlib import Path

from thumbs.corpora import Document, no_splits
from thumbs.corpora.rt import line_corpus_status, load_line_corpus

NAME = "subj"
FOLDER: str = "rotten_imdb"
FILES = {
    "quote": ("quote.tok.gt9.5000", "subjective"),
    "plot": ("plot.tok.gt9.5000", "objective"),
}
EXPECTED_PER_LABEL = 5000


def load(root: Path, splits: tuple[str, ...] | None = None) -> list[Document]:
    """Read the 10000 sentences, subjective first, trailing whitespace stripped."""
    no_splits(NAME, splits)
    return load_line_corpus(root, NAME, FOLDER, FILES)


def status(root: Path) -> tuple[bool, bool, str]:
    """(present, verified, detail): verified means 5000 + 5000 sentences."""
    return line_corpus_status(root, NAME, FOLDER, FILES, EXPECTED_PER_LABEL)
