"""Writing a batch's results: JSON Lines, JSON, CSV, TSV or Parquet, to a stream or published atomically.

:mod:`thumbs.batch.engine` keeps every finished result in a journal (a header line, then one JSON
object a line) while it runs; this module turns the journal into the file the user asked for
and renames it into place in one step, so a reader never sees a half-written output:

* **jsonl**: the journal's result lines as they are (nested ``to_dict()`` results);
* **json**: the same results as one JSON array, one result a line;
* **csv** / **tsv**: a header of the model's ``row_columns``, then one row per result (None -> empty),
  separated by commas or tabs;
* **parquet**: the same columns, typed (``id``/``label``/``error`` strings, ``probability``/
  ``stars`` floats, any other column typed from its values), written a row group at a time.

It also writes every format but Parquet straight into a stream (stdout, a FIFO, a device:
:func:`stream_writer`) as results come. :mod:`thumbs.batch.targets` decides the format and
checks the output's path. Memory stays flat: the journal is read a line (or a row group) at a time.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, time
from pathlib import Path
from typing import IO, Any

from thumbs.batch.journal import journal_results
from thumbs.parallel import chunked

#: Formats that write a row of ``row_columns`` per result (the others write ``to_dict()``).
ROW_FORMATS = frozenset({"csv", "tsv", "parquet"})
#: The separator of each delimited format.
DELIMITERS = {"csv": ",", "tsv": "\t"}
#: Parquet column types fixed by name; other columns get a type from their values.
STRING_COLUMNS = frozenset({"id", "label", "error"})
FLOAT_COLUMNS = frozenset({"probability", "stars", "score", "coverage"})
INT_COLUMNS = frozenset({"n_sentences"})
#: Refuse to open a symbolic link (where the platform can say so).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: Rows per Parquet row group.
PARQUET_ROWS = 50_000

#: One chunk of results (``to_row()`` or ``to_dict()`` dicts), as the engine hands them over.
Results = list[dict[str, Any]]


# --- one result as text ----------------------------------------------------------------------


def json_line(obj: dict[str, Any]) -> str:
    """``obj`` as one JSON line (UTF-8 kept as it is, NumPy scalars as numbers)."""
    return json.dumps(obj, ensure_ascii=False, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    """A value JSON has no type for (a kept table cell, a NumPy scalar) as :func:`plain_value` writes it."""
    return plain_value(value)


def plain_value(value: Any) -> Any:
    """A table cell as JSON writes it: a NumPy scalar as its number, a date or time in ISO form,
    bytes decoded as UTF-8 (undecodable ones replaced), anything else of no JSON type as its text.

    >>> from decimal import Decimal
    >>> plain_value(date(2024, 3, 17)), plain_value(b"Vertigo"), plain_value(Decimal("2.50"))
    ('2024-03-17', 'Vertigo', '2.50')
    """
    if value is None or isinstance(value, str | int | float):
        return value
    if hasattr(value, "item"):  # a NumPy scalar
        return value.item()
    if isinstance(value, date | time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def csv_cells(row: dict[str, Any], columns: Sequence[str]) -> list[Any]:
    """``row``'s values in ``columns`` order, None as an empty cell."""
    return ["" if row.get(column) is None else row.get(column) for column in columns]


class StreamWriter:
    """Writes each chunk of results into ``stream`` as it comes (flushed), in any format but Parquet.

    Call :meth:`finish` after the last chunk: it closes the JSON array (and writes an empty one,
    or a CSV header, when there were no results).
    """

    def __init__(self, fmt: str, columns: Sequence[str], stream: IO[str]) -> None:
        self.fmt, self.columns, self.stream = fmt, tuple(columns), stream
        self._started = self._any = False
        self._rows = csv.writer(stream, delimiter=DELIMITERS[fmt]) if fmt in DELIMITERS else None

    def __call__(self, results: Results) -> None:
        """Write ``results`` and flush, so a reader sees them now."""
        self._start()
        if self._rows is not None:
            self._rows.writerows(csv_cells(row, self.columns) for row in results)
        elif self.fmt == "json":
            self.stream.write(
                "".join((",\n" if i or self._any else "") + json_line(r)[:-1] for i, r in enumerate(results))
            )
            self._any = self._any or bool(results)
        else:
            self.stream.write("".join(map(json_line, results)))
        self.stream.flush()

    def finish(self) -> None:
        """Close the output's syntax (the JSON array) and flush."""
        self._start()
        if self.fmt == "json":
            self.stream.write("\n]\n" if self._any else "]\n")
        self.stream.flush()

    def _start(self) -> None:
        if self._started:
            return
        self._started, self._any = True, False
        if self._rows is not None:
            self._rows.writerow(self.columns)
        elif self.fmt == "json":
            self.stream.write("[\n")


# --- from the journal to the output file -----------------------------------------------------


@contextmanager
def atomic_file(output: Path) -> Iterator[Path]:
    """A new, empty temporary file beside ``output`` to write; renamed onto ``output`` if the block ends well.

    ``output`` is the real path (symlinks followed), so a link keeps pointing at the new file.
    The temporary file is ``.NAME.PID.RANDOM.tmp`` in ``output``'s folder, created here and
    only if nothing has that name (so a link planted in a shared folder is never written
    through), with the permissions a new file gets; it is synced before the rename, so
    ``output`` is either the old file (or absent) or the complete new one, and removed on
    every failure.
    """
    temporary = output.with_name(f".{output.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666))
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)


def publish(journal: Path, output: Path, fmt: str, columns: Sequence[str]) -> None:
    """Write the final file from the journal and rename it onto ``output`` (:func:`atomic_file`).

    The journal is left for the caller to drop once this returns (and kept, for ``--resume``,
    when it raises).
    """
    with atomic_file(output) as temporary:
        if fmt == "parquet":
            _write_parquet(journal, temporary, columns)
            return
        with open(temporary, "w", encoding="utf-8", newline="") as out:
            write = StreamWriter(fmt, columns, out)
            if fmt == "jsonl":
                with open(journal, encoding="utf-8") as source:
                    next(source)  # the header
                    out.writelines(source)
            else:
                for results in chunked(journal_results(journal), PARQUET_ROWS):
                    write(results)
            write.finish()


def _write_parquet(journal: Path, path: Path, columns: Sequence[str]) -> None:
    """The journal's results as a typed Parquet table at ``path``, ``PARQUET_ROWS`` rows a row group."""
    import pyarrow.parquet as pq

    # Columns not typed by name get a type from their values: one pass over the journal first.
    kinds: dict[str, set[type]] = {c: set() for c in columns if c not in STRING_COLUMNS | FLOAT_COLUMNS}
    if kinds:
        for row in journal_results(journal):
            for column, seen in kinds.items():
                if row.get(column) is not None:
                    seen.add(type(row[column]))
    schema = arrow_schema(columns, kinds)
    with pq.ParquetWriter(path, schema) as writer:
        for rows in chunked(journal_results(journal), PARQUET_ROWS):
            writer.write_table(arrow_table(rows, schema))


def arrow_schema(columns: Sequence[str], kinds: Mapping[str, set[type]]) -> Any:
    """The Parquet schema of results with ``columns``: typed by name, else by the Python types of the
    values a column holds (``kinds``; none known: string)."""
    import pyarrow as pa

    return pa.schema([pa.field(c, _arrow_type(c, kinds.get(c, set()))) for c in columns])


def arrow_table(rows: Results, schema: Any) -> Any:
    """``rows`` (results as dicts) as an Arrow table of ``schema`` (:func:`arrow_schema`)."""
    import pyarrow as pa

    arrays = [_arrow_values([row.get(f.name) for row in rows], f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def _arrow_type(column: str, kinds: set[type]) -> Any:
    """The Arrow type of ``column``: by its name, else from the Python types of its values."""
    import pyarrow as pa

    if column in FLOAT_COLUMNS or (kinds and kinds <= {int, float} and float in kinds):
        return pa.float64()
    if column in INT_COLUMNS or kinds == {int}:
        return pa.int64()
    if kinds == {bool}:
        return pa.bool_()
    return pa.string()


def _arrow_values(values: list[Any], arrow_type: Any) -> Any:
    """``values`` as an Arrow array of ``arrow_type`` (non-strings in a string column as text)."""
    import pyarrow as pa

    if pa.types.is_string(arrow_type):
        values = [v if v is None or isinstance(v, str) else str(v) for v in values]
    elif pa.types.is_floating(arrow_type):
        values = [None if v is None else float(v) for v in values]
    return pa.array(values, type=arrow_type)
