"""Writing a batch's results: JSON Lines, CSV or Parquet, to stdout or published atomically to a file.

:mod:`thumbs.batch.engine` keeps every finished result in a journal (a header line, then one JSON
object a line) while it runs; this module turns the journal into the file the user asked for
and renames it into place in one step, so a reader never sees a half-written output:

* **jsonl**: the journal's result lines as they are (nested ``to_dict()`` results);
* **csv**: a header of the model's ``row_columns``, then one row per result (None -> empty);
* **parquet**: the same columns, typed (``id``/``label``/``error`` strings, ``probability``/
  ``stars`` floats, any other column typed from its values), written a row group at a time.

It also picks the format (:func:`output_format`) and writes JSON Lines or CSV straight to
stdout (:func:`stdout_writer`) when there is no output file. Memory stays flat: the journal
is read a line (or a row group) at a time.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from thumbs.errors import ThumbsError
from thumbs.parallel import chunked

#: Output formats, and the one an output file's extension implies (anything else: jsonl).
OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
SUFFIX_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
#: Parquet column types fixed by name; other columns get a type from their values.
STRING_COLUMNS = frozenset({"id", "label", "error"})
FLOAT_COLUMNS = frozenset({"probability", "stars"})
#: Rows per Parquet row group.
PARQUET_ROWS = 50_000

#: One chunk of results (``to_row()`` or ``to_dict()`` dicts), as the engine hands them over.
Results = list[dict[str, Any]]


def output_format(format: str | None, output: str | Path | None) -> str:
    """``format`` checked, or when None the one ``output``'s extension implies (default jsonl)."""
    if format is None:
        return SUFFIX_FORMATS.get(Path(output).suffix.lower(), "jsonl") if output is not None else "jsonl"
    if format.lower() not in OUTPUT_FORMATS:
        raise ThumbsError(f"unknown output format {format!r}: use one of {', '.join(OUTPUT_FORMATS)}")
    return format.lower()


# --- one result as text ----------------------------------------------------------------------


def json_line(obj: dict[str, Any]) -> str:
    """``obj`` as one JSON line (UTF-8 kept as it is, NumPy scalars as numbers)."""
    return json.dumps(obj, ensure_ascii=False, default=_json_default) + "\n"


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # a NumPy scalar
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def csv_cells(row: dict[str, Any], columns: Sequence[str]) -> list[Any]:
    """``row``'s values in ``columns`` order, None as an empty cell."""
    return ["" if row.get(column) is None else row.get(column) for column in columns]


def stdout_writer(fmt: str, columns: Sequence[str]) -> Callable[[Results], None]:
    """A function writing each chunk of results to stdout as JSON Lines or CSV (header first), flushed."""
    stream = sys.stdout
    if fmt == "csv":
        writer = csv.writer(stream)
        writer.writerow(columns)

        def write(results: Results) -> None:
            writer.writerows(csv_cells(row, columns) for row in results)
            stream.flush()

        return write

    def write_json(results: Results) -> None:
        stream.write("".join(map(json_line, results)))
        stream.flush()

    return write_json


# --- from the journal to the output file -----------------------------------------------------


def _journal_results(journal: Path) -> Iterator[dict[str, Any]]:
    """The results in ``journal``, one at a time, after its header line."""
    with open(journal, encoding="utf-8") as file:
        next(file)  # the header
        for line in file:
            yield json.loads(line)


def publish(journal: Path, output: Path, fmt: str, columns: Sequence[str]) -> None:
    """Write the final file from the journal beside ``output``, rename it onto ``output``, drop the journal.

    The file is written as ``.NAME.PID.tmp`` in ``output``'s folder and synced before the
    rename, so ``output`` is either the old file (or absent) or the complete new one.
    """
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        if fmt == "parquet":
            _write_parquet(journal, temporary, columns)
        else:
            with open(journal, encoding="utf-8") as source, open(temporary, "w", encoding="utf-8", newline="") as out:
                next(source)  # the header
                if fmt == "jsonl":
                    out.writelines(source)
                else:
                    writer = csv.writer(out)
                    writer.writerow(columns)
                    writer.writerows(csv_cells(json.loads(line), columns) for line in source)
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
    journal.unlink()


def _write_parquet(journal: Path, path: Path, columns: Sequence[str]) -> None:
    """The journal's results as a typed Parquet table at ``path``, ``PARQUET_ROWS`` rows a row group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    # Columns not typed by name get a type from their values: one pass over the journal first.
    kinds: dict[str, set[type]] = {c: set() for c in columns if c not in STRING_COLUMNS | FLOAT_COLUMNS}
    if kinds:
        for row in _journal_results(journal):
            for column, seen in kinds.items():
                if row.get(column) is not None:
                    seen.add(type(row[column]))
    schema = pa.schema([pa.field(c, _arrow_type(c, kinds.get(c, set()))) for c in columns])
    with pq.ParquetWriter(path, schema) as writer:
        for rows in chunked(_journal_results(journal), PARQUET_ROWS):
            arrays = [_arrow_values([row.get(f.name) for row in rows], f.type) for f in schema]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))


def _arrow_type(column: str, kinds: set[type]) -> Any:
    """The Arrow type of ``column``: by its name, else from the Python types of its values."""
    import pyarrow as pa

    if column in FLOAT_COLUMNS or (kinds and kinds <= {int, float} and float in kinds):
        return pa.float64()
    if kinds == {bool}:
        return pa.bool_()
    if kinds == {int}:
        return pa.int64()
    return pa.string()


def _arrow_values(values: list[Any], arrow_type: Any) -> Any:
    """``values`` as an Arrow array of ``arrow_type`` (non-strings in a string column as text)."""
    import pyarrow as pa

    if pa.types.is_string(arrow_type):
        values = [v if v is None or isinstance(v, str) else str(v) for v in values]
    elif pa.types.is_floating(arrow_type):
        values = [None if v is None else float(v) for v in values]
    return pa.array(values, type=arrow_type)
