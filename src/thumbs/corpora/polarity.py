"""Reader for the polarity dataset v2.0 (Pang & Lee 2004): 1000 positive + 1000 negative reviews.

Layout (as unpacked from the official review_polarity.tar.gz)::

    <data dir>/review_polarity/txt_sentoken/{pos,neg}/cvNNN_MMMMM.txt

Each file is one review, lowercased and tokenized, one sentence a line. The standard protocol is
Pang & Lee's 10-fold cross-validation where fold k holds the files whose ``cvNNN`` index lies in
[100k, 100k + 99]; :attr:`Document.fold` carries that k so results are comparable with theirs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from thumbs.corpora import Document, corpus_incomplete, corpus_not_found, no_splits
from thumbs.errors import DataFormatError

NAME = "polarity"
FOLDER: str = "review_polarity"
LABELS = {"pos": "positive", "neg": "negative"}
EXPECTED_PER_LABEL = 1000
_FILE_RE = re.compile(r"^cv(\d{3})_\d+\.txt$")


def _label_dirs(root: Path) -> dict[str, Path]:
    """Return the pos/neg folders, raising a one-line error when any is missing."""
    folder = root / FOLDER
    if not folder.is_dir():
        raise corpus_not_found(NAME, folder)
    base = folder / "txt_sentoken"
    dirs = {sub: base / sub for sub in LABELS}
    for sub, path in dirs.items():
        if not path.is_dir():
            raise corpus_incomplete(NAME, folder, f"missing txt_sentoken/{sub}/")
    return dirs


def _review_files(path: Path) -> list[tuple[str, int]]:
    """File names of the reviews in one label folder with their fold, sorted by name."""
    found: list[tuple[str, int]] = []
    with os.scandir(path) as entries:
        for entry in entries:
            match = _FILE_RE.match(entry.name)
            if match and entry.is_file():
                found.append((entry.name, int(match.group(1)) // 100))
    found.sort()
    return found


def load(root: Path, splits: tuple[str, ...] | None = None) -> list[Document]:
    """Read all reviews under ``root``/review_polarity, negatives first, each sorted by file name.

    The text is the file's contents unchanged (decoded as UTF-8; the files are ASCII).
    """
    no_splits(NAME, splits)
    docs: list[Document] = []
    for sub, path in sorted(_label_dirs(root).items()):
        files = _review_files(path)
        if not files:
            raise corpus_incomplete(NAME, root / FOLDER, f"no cvNNN_MMMMM.txt files in txt_sentoken/{sub}/")
        for file_name, fold in files:
            file_path = path / file_name
            data = file_path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DataFormatError(
                    f"{file_path} is not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}): "
                    f"the corpus is damaged; run `thumbs data fetch {NAME} --force`"
                ) from None
            docs.append(Document(id=f"{sub}/{file_name[:-4]}", text=text, label=LABELS[sub], fold=fold))
    return docs


def status(root: Path) -> tuple[bool, bool, str]:
    """(present, verified, detail): verified means 1000 + 1000 review files, 100 per fold and label."""
    folder = root / FOLDER
    if not folder.exists():
        return False, False, "not downloaded"
    dirs = _label_dirs(root)
    counts: dict[str, int] = {}
    folds_ok = True
    for sub, path in dirs.items():
        files = _review_files(path)
        counts[sub] = len(files)
        per_fold = [0] * 10
        for _, fold in files:
            per_fold[fold] += 1
        folds_ok = folds_ok and per_fold == [EXPECTED_PER_LABEL // 10] * 10
    present = all(counts.values())
    summary = f"{counts['pos']} pos + {counts['neg']} neg reviews"
    verified = present and folds_ok and all(n == EXPECTED_PER_LABEL for n in counts.values())
    if verified:
        return True, True, f"{summary}, 10 folds of 200"
    return present, False, f"{summary}, expected {EXPECTED_PER_LABEL} + {EXPECTED_PER_LABEL} in 10 folds"
