"""Reader for the sentence polarity dataset v1.0 (Pang & Lee 2005), known on the command line as ``mr``.

Layout (the ``rt-polaritydata/`` folder of the official rt-polaritydata.tar.gz)::

    <data dir>/rt-polaritydata/rt-polarity.pos   5331 positive snippets, one a line
    <data dir>/rt-polaritydata/rt-polarity.neg   5331 negative snippets

The bytes are Latin-1 / Windows-1252, not UTF-8, and most lines end in " \\n". There are no
official folds: evaluation runs its own seeded 10-fold cross-validation, so ``fold`` is None.
"""

from __future__ import annotations

from pathlib import Path

from thumbs.corpora import Document, corpus_incomplete, corpus_not_found, no_splits

NAME = "mr"
FOLDER: str = "rt-polaritydata"
FILES = {"pos": ("rt-polarity.pos", "positive"), "neg": ("rt-polarity.neg", "negative")}
EXPECTED_PER_LABEL = 5331


def read_lines(path: Path) -> list[tuple[int, str]]:
    """(0-based line number, text) for each non-blank line of a Latin-1 file, trailing space stripped.

    Splits on "\\n" only: Latin-1 byte 0x85 decodes to U+0085, which :meth:`str.splitlines`
    would wrongly treat as a line break.
    """
    text = path.read_bytes().decode("latin-1")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [(i, line.rstrip()) for i, line in enumerate(lines) if line.strip()]


def load_line_corpus(root: Path, name: str, folder: str, files: dict[str, tuple[str, str]]) -> list[Document]:
    """Read a one-text-a-line corpus: ids are "<key>/<line number>", in the order of ``files``."""
    base = root / folder
    if not base.is_dir():
        raise corpus_not_found(name, base)
    docs: list[Document] = []
    for key, (file_name, label) in files.items():
        path = base / file_name
        if not path.is_file():
            raise corpus_incomplete(name, base, f"missing {file_name}")
        docs.extend(Document(id=f"{key}/{i}", text=line, label=label) for i, line in read_lines(path))
    return docs


def line_corpus_status(
    root: Path, name: str, folder: str, files: dict[str, tuple[str, str]], expected: int
) -> tuple[bool, bool, str]:
    """(present, verified, detail) for a one-text-a-line corpus: verified = ``expected`` lines a file."""
    base = root / folder
    if not base.exists():
        return False, False, "not downloaded"
    missing = [file_name for file_name, _ in files.values() if not (base / file_name).is_file()]
    if missing:
        return False, False, f"missing {', '.join(missing)}"
    counts = {key: len(read_lines(base / file_name)) for key, (file_name, _) in files.items()}
    summary = " + ".join(f"{n} {key}" for key, n in counts.items()) + " lines"
    if all(n == expected for n in counts.values()):
        return True, True, summary
    return True, False, f"{summary}, expected {expected} a file"


def load(root: Path, splits: tuple[str, ...] | None = None) -> list[Document]:
    """Read the 10662 snippets, positives first; ids "pos/0".."neg/5330" are 0-based line numbers."""
    no_splits(NAME, splits)
    return load_line_corpus(root, NAME, FOLDER, FILES)


def status(root: Path) -> tuple[bool, bool, str]:
    """(present, verified, detail): verified means 5331 + 5331 snippets."""
    return line_corpus_status(root, NAME, FOLDER, FILES, EXPECTED_PER_LABEL)
