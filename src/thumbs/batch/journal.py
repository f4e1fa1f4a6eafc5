"""The journal of a batch: the finished results of a run, kept beside its output until it is published.

While :func:`thumbs.batch.engine.run_batch` runs, each finished chunk's results are appended to
``OUTPUT.partial`` (:func:`journal_path`): a header line (:func:`journal_header`: the journal's
version, the output's format and columns), then one JSON object a result, flushed after each
chunk. ``--resume`` checks an existing journal against the run (:func:`resume_point`) and goes
on after the results it holds; when the run ends, the output is written from it
(:func:`journal_results`) and it is deleted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from thumbs.batch.sources import Record
from thumbs.errors import ThumbsError

#: The journal sits beside the output: ``out.csv`` -> ``out.csv.partial``.
JOURNAL_SUFFIX = ".partial"
JOURNAL_VERSION = 1


def journal_path(output: str | Path) -> Path:
    """Where a run writing ``output`` keeps its finished results: ``out.csv`` -> ``out.csv.partial``.

    Beside the real file (symlinks followed), where the final file is written too.
    """
    real = Path(os.path.realpath(output))
    return real.with_name(real.name + JOURNAL_SUFFIX)


def journal_header(fmt: str, columns: Sequence[str], settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The journal's first line: a run may resume it only with the same format, columns and settings.

    ``settings`` are whatever else changes a result (the model's fingerprint, its aspects, how
    reviews are grouped), as JSON values; None ones are left out.
    """
    header = {"thumbs_journal": JOURNAL_VERSION, "format": fmt, "columns": list(columns)}
    kept = {name: value for name, value in (settings or {}).items() if value is not None}
    return {**header, "settings": kept} if kept else header


def journal_results(journal: Path) -> Iterator[dict[str, Any]]:
    """The results in ``journal``, one at a time, after its header line."""
    with open(journal, encoding="utf-8") as file:
        next(file)  # the header
        for line in file:
            yield json.loads(line)


def resume_point(journal: Path, header: dict[str, Any], records: Iterator[Record]) -> tuple[int, int, int] | None:
    """(results kept, errors and results with warnings among them) after checking ``journal`` and skipping as many records.

    A torn last line is cut off. None when not even the header line was written.
    """
    done = errors = warned = 0
    with open(journal, "r+b") as file:
        first = file.readline()
        if not first.endswith(b"\n"):
            return None
        if _loads(first) != header:
            raise ThumbsError(
                f"{journal} is from a run with another format, model or settings: run it as before, or without --resume to start over"
            )
        end = len(first)
        for line in file:
            result = _loads(line) if line.endswith(b"\n") else None
            if not isinstance(result, dict):
                break  # a torn last line
            record = next(records, None)
            if record is None or result.get("id") != record.id:
                found = "nothing" if record is None else repr(record.id)
                raise ThumbsError(
                    f"{journal} does not match these inputs (result {done + 1} is {result.get('id')!r}, input {done + 1} "
                    f"is {found}): pass the same inputs, or run without --resume to start over"
                )
            done, errors, end = done + 1, errors + (result.get("error") is not None), end + len(line)
            warned += bool(result.get("warnings"))
        file.truncate(end)
    return done, errors, warned


def _loads(line: bytes) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None
