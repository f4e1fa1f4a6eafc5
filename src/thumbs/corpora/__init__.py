"""The public research corpora thumbs trains and is evaluated on, and where to find them.

Four corpora are known by the names used on the command line:

- ``polarity``: polarity dataset v2.0 (Pang & Lee 2004), 1000 + 1000 full reviews, 10 folds.
- ``imdb``: Large Movie Review Dataset v1.0 (Maas et al. 2011), 25k train + 25k test (+ 50k unlabelled).
- ``mr``: sentence polarity dataset v1.0 (Pang & Lee 2005), 5331 + 5331 snippets.
- ``subj``: subjectivity dataset v1.0 (Pang & Lee 2004), 5000 + 5000 sentences.

Each corpus is read in place, in its official layout, from one folder under the data directory
(see :func:`resolve_data_dir`). The texts are never copied into the repository; ``thumbs data
fetch`` downloads them from their official addresses (:mod:`thumbs.corpora.fetch`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from thumbs.errors import DataNotFoundError, ThumbsError

DATA_ENV_VAR = "THUMBS_DATA"


@dataclass(frozen=True, slots=True)
class Document:
    """One text of a corpus or user table.

    ``label`` is "positive"/"negative" for the sentiment corpora, "subjective"/"objective" for
    ``subj``, any string for user tables, and ``None`` where the text is unlabelled (imdb unsup).
    ``rating`` is the reviewer's score where the corpus has one (imdb: 1-10, from the file name;
    user tables: any number). ``fold`` is the official cross-validation fold (polarity only) and
    ``split`` the official split (imdb only: "train", "test" or "unsup").
    """

    id: str
    text: str
    label: str | None
    rating: int | float | None = None
    fold: int | None = None
    split: str | None = None


@dataclass(frozen=True, slots=True)
class CorpusStatus:
    """What is on disk for one corpus.

    ``present``: the loader can read it. ``verified``: the expected files and counts (or, for
    the imdb archive, a known sha256) are there. ``detail`` is one line for humans.
    """

    name: str
    present: bool
    verified: bool
    path: Path
    detail: str


Loader = Callable[[Path, "tuple[str, ...] | None"], "list[Document]"]
StatusCheck = Callable[[Path], "tuple[bool, bool, str]"]


@dataclass(frozen=True, slots=True)
class CorpusInfo:
    """Registry entry: where a corpus lives, where it comes from, and how to read it.

    ``archive_sha256``/``archive_size`` list every archive we know to be good (empty when no
    digest is known, in which case only the unpacked layout is checked). ``archive_root`` names
    the folder inside the archive that becomes ``folder`` (``None``: the archive's top level is
    the corpus folder). ``keep_archive`` is the file name under ``folder`` to store the archive as,
    for corpora read straight from the archive instead of unpacked (imdb).
    """

    name: str
    title: str
    folder: str
    url: str
    citation: str
    load: Loader
    status: StatusCheck
    labels: tuple[str, ...]
    archive_sha256: tuple[str, ...] = ()
    archive_size: tuple[int, ...] = ()
    archive_root: str | None = None
    keep_archive: str | None = None
    splits: tuple[str, ...] = field(default=())


def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    """Return the folder holding the corpus folders.

    Order: the explicit argument, then the ``THUMBS_DATA`` environment variable, then the
    per-user data folder (``platformdirs.user_data_dir("thumbs") / "data"``). The folder need
    not exist; callers that read report a missing corpus, and fetch creates it.
    """
    if data_dir is not None and str(data_dir) != "":
        return Path(data_dir).expanduser()
    env = os.environ.get(DATA_ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("thumbs")) / "data"


def corpus_not_found(name: str, path: Path) -> DataNotFoundError:
    """The one-line error for a corpus folder that is missing or unreadable as that corpus."""
    return DataNotFoundError(
        f"corpus '{name}' not found in {path}: run `thumbs data fetch {name}` or pass --data-dir / set {DATA_ENV_VAR}"
    )


def corpus_incomplete(name: str, path: Path, what: str) -> DataNotFoundError:
    """The one-line error for a corpus folder that exists but lacks a file the loader needs."""
    return DataNotFoundError(
        f"corpus '{name}' in {path} is incomplete ({what}): run `thumbs data fetch {name} --force` to download it again"
    )


def no_splits(name: str, splits: tuple[str, ...] | None) -> None:
    """Reject ``splits`` for corpora that have no official splits (they use k-fold CV)."""
    if splits:
        raise ThumbsError(
            f"corpus '{name}' has no official splits (it is evaluated by cross-validation): "
            f"leave out splits, got {', '.join(splits)}"
        )


# The per-corpus modules import Document and the helpers above from this package, so they are
# imported only once those exist.
from thumbs.corpora import imdb as _imdb  # noqa: E402
from thumbs.corpora import polarity as _polarity  # noqa: E402
from thumbs.corpora import rt as _rt  # noqa: E402
from thumbs.corpora import subjectivity as _subjectivity  # noqa: E402

CORPORA: dict[str, CorpusInfo] = {
    "polarity": CorpusInfo(
        name="polarity",
        title="polarity dataset v2.0 (2000 full reviews, 10 folds)",
        folder=_polarity.FOLDER,
        url="http://www.cs.cornell.edu/people/pabo/movie-review-data/review_polarity.tar.gz",
        citation="Pang & Lee (2004), A Sentimental Education: Sentiment Analysis Using Subjectivity "
        "Summarization Based on Minimum Cuts. ACL.",
        load=_polarity.load,
        status=_polarity.status,
        labels=("positive", "negative"),
        archive_sha256=("fc0dccc2671af5db3c5d8f81f77a1ebfec953ecdd422334062df61ede36b2179",),
        archive_size=(3_127_238,),
    ),
    "imdb": CorpusInfo(
        name="imdb",
        title="Large Movie Review Dataset v1.0 (25k train + 25k test reviews)",
        folder=_imdb.FOLDER,
        url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
        citation="Maas et al. (2011), Learning Word Vectors for Sentiment Analysis. ACL.",
        load=_imdb.load,
        status=_imdb.status,
        labels=("positive", "negative"),
        archive_sha256=_imdb.KNOWN_SHA256,
        archive_size=_imdb.KNOWN_SIZES,
        keep_archive=_imdb.ARCHIVE,
        splits=_imdb.SPLITS,
    ),
    "mr": CorpusInfo(
        name="mr",
        title="sentence polarity dataset v1.0 (10662 review snippets)",
        folder=_rt.FOLDER,
        url="http://www.cs.cornell.edu/people/pabo/movie-review-data/rt-polaritydata.tar.gz",
        citation="Pang & Lee (2005), Seeing Stars: Exploiting Class Relationships for Sentiment "
        "Categorization with Respect to Rating Scales. ACL.",
        load=_rt.load,
        status=_rt.status,
        labels=("positive", "negative"),
        archive_root=_rt.FOLDER,
    ),
    "subj": CorpusInfo(
        name="subj",
        title="subjectivity dataset v1.0 (10000 sentences)",
        folder=_subjectivity.FOLDER,
        url="http://www.cs.cornell.edu/people/pabo/movie-review-data/rotten_imdb.tar.gz",
        citation="Pang & Lee (2004), A Sentimental Education: Sentiment Analysis Using Subjectivity "
        "Summarization Based on Minimum Cuts. ACL.",
        load=_subjectivity.load,
        status=_subjectivity.status,
        labels=("subjective", "objective"),
    ),
}


def get_corpus(name: str) -> CorpusInfo:
    """Look up a corpus by its command-line name; unknown names list the valid ones."""
    try:
        return CORPORA[name]
    except KeyError:
        raise ThumbsError(f"unknown corpus '{name}': choose one of {', '.join(CORPORA)}") from None


def load_corpus(
    name: str, data_dir: str | Path | None = None, *, splits: tuple[str, ...] | None = None
) -> list[Document]:
    """Read every document of corpus ``name`` from the data directory, in a stable order.

    ``splits`` applies to imdb only (default ``("train", "test")``; add ``"unsup"`` for the
    50k unlabelled reviews). Raises :class:`DataNotFoundError` when the corpus is not there and
    :class:`DataFormatError` when a file cannot be decoded.
    """
    info = get_corpus(name)
    if isinstance(splits, str):
        splits = (splits,)
    return info.load(resolve_data_dir(data_dir), tuple(splits) if splits is not None else None)


def corpus_status(name: str, data_dir: str | Path | None = None) -> CorpusStatus:
    """Say whether corpus ``name`` is on disk and complete, without loading its texts."""
    info = get_corpus(name)
    root = resolve_data_dir(data_dir)
    path = root / info.folder
    try:
        present, verified, detail = info.status(root)
    except ThumbsError as exc:
        present, verified, detail = path.exists(), False, str(exc)
    except OSError as exc:
        present, verified, detail = False, False, f"cannot read {path}: {exc.strerror or exc}"
    return CorpusStatus(name=name, present=present, verified=verified, path=path, detail=detail)


__all__ = [
    "CORPORA",
    "DATA_ENV_VAR",
    "CorpusInfo",
    "CorpusStatus",
    "Document",
    "corpus_status",
    "get_corpus",
    "load_corpus",
    "resolve_data_dir",
]
