"""The input cut into pieces, each read on its own by a worker of a cluster, as one machine reads it.

:func:`split_sources` cuts what the user names (files, folders, globs, partitioned datasets) into
:class:`Piece` objects of ``rows_per_piece`` records: runs of a table's rows
(:mod:`thumbs.corpora.table_parts`) or lists of review files. :func:`read_piece`, run where the
piece is analyzed, gives its records with the ids, texts and errors
:func:`~thumbs.batch.sources.read_records` gives on one machine, so that a cluster's output is
one machine's, row for row.

>>> pieces = split_sources(["reviews.csv"], text_column="text", rows_per_piece=10_000)  # doctest: +SKIP
>>> [record.id for record in read_piece(pieces[1], text_column="text")][:2]  # doctest: +SKIP
['10001', '10002']
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from thumbs.batch.sources import (
    Record,
    clean_id,
    input_files,
    read_records,
    review_file,
    table_records,
    wanted_columns,
)
from thumbs.corpora.table_parts import TablePart, read_part, table_parts
from thumbs.corpora.tables import FORMATS, open_table
from thumbs.errors import DataNotFoundError, ThumbsError
from thumbs.text.review import MAX_REVIEW_CHARS

__all__ = ["Piece", "read_piece", "split_sources"]


@dataclass(frozen=True, slots=True)
class Piece:
    """A part of the input that one worker reads on its own: a run of a table's rows, or review files.

    ``source`` is the table's path (a ``part`` of it: :class:`~thumbs.corpora.table_parts.TablePart`),
    or "" for ``files``, review files read one review a file. Paths as the user named them are read
    from ``root``, the folder they were named in (a worker runs elsewhere); a review file's id stays
    the path as named, as on one machine.
    """

    source: str
    part: TablePart | None = None
    files: tuple[str, ...] = ()
    root: str = ""

    def path(self, name: str) -> str:
        """Where the file ``name`` (as named) is: from ``root``."""
        return os.path.join(self.root, name)

    @property
    def rows(self) -> int:
        """How many records the piece holds."""
        return len(self.files) if self.part is None else self.part.rows


def split_sources(
    sources: Sequence[str],
    *,
    text_column: str | None = None,
    id_column: str | None = None,
    extra_columns: Sequence[str] = (),
    rows_per_piece: int,
) -> list[Piece]:
    """``sources`` (files, folders, globs, partitioned datasets: not stdin) cut into pieces of
    ``rows_per_piece`` records, in input order: reading every piece with :func:`read_piece`
    gives the records :func:`~thumbs.batch.sources.read_records` gives, with the same ids and errors.

    Every source is checked first, as ``read_records`` checks it. A CSV/TSV/JSON Lines table is read
    once here to find where its records end (:func:`~thumbs.corpora.table_parts.table_parts`); a
    Parquet file's metadata is enough.
    """
    if "-" in sources:
        raise ThumbsError("- (stdin): a cluster's workers read their input from files: save it to a file first")
    if rows_per_piece < 1:
        raise ThumbsError(f"--partition-rows must be at least 1, not {rows_per_piece}")
    read_records(sources, text_column=text_column, id_column=id_column, extra_columns=extra_columns)  # the checks
    root = os.getcwd()
    pieces: list[Piece] = []
    files: list[str] = []
    for path in input_files(sources):
        if FORMATS.get(Path(path).suffix.lower()) is None:
            files.append(path)
            if len(files) == rows_per_piece:
                pieces.append(Piece("", files=tuple(files), root=root))
                files = []
            continue
        if files:
            pieces.append(Piece("", files=tuple(files), root=root))
            files = []
        table = open_table(path, wanted_columns(path, text_column, id_column, extra_columns))
        pieces.extend(Piece(path, part, root=root) for part in table_parts(table, rows_per_piece))
    if files:
        pieces.append(Piece("", files=tuple(files), root=root))
    return pieces


def read_piece(
    piece: Piece,
    *,
    text_column: str | None = None,
    id_column: str | None = None,
    extra_columns: Sequence[str] = (),
    max_chars: int = MAX_REVIEW_CHARS,
) -> Iterator[Record]:
    """The records of ``piece`` (:func:`split_sources`), as ``read_records`` reads them.

    A file of the piece that is not there at all raises (the worker cannot reach the input: its
    rows are not written as failed, to be skipped by a resumed run); one that cannot be read is
    an error record, as on one machine.
    """
    if piece.part is None:
        for index, name in enumerate(piece.files):
            if not os.path.exists(piece.path(name)):  # listed where the run started, absent where it is read
                raise DataNotFoundError(f"file not found: {piece.path(name)}")
            text, error = review_file(piece.path(name), max_chars)
            yield Record(index, clean_id(name), text, error)
        return
    wanted = wanted_columns(piece.source, text_column, id_column, extra_columns)
    table = open_table(piece.path(piece.source), wanted)
    yield from table_records(
        read_part(table, piece.part, list(wanted)),
        text_column=text_column,
        id_column=id_column,
        extra_columns=extra_columns,
        max_chars=max_chars,
        first_index=piece.part.before,
    )
