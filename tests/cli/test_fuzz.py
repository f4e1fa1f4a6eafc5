"""A fuzz of the command line: random real options with odd values on small odd tables never end in a traceback.

Hypothesis draws argument lists for ``analyze``, ``train``, ``evaluate`` and ``data check`` from the
commands' real options, with nonsense values, missing files, empty strings and negative numbers, and
writes small CSV/TSV/JSON Lines tables whose cells are empty, unicode, numbers, quotes or very long.
Each command runs in this process (:func:`tests.helpers.in_process.run_in_process`); it must exit 0,
1 or 2 and print no traceback. ``--jobs`` is never above 1 (no worker processes) and ``THUMBS_DATA``
points at an empty folder, so no corpus is ever loaded or trained on.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.helpers.in_process import run_in_process
from tests.helpers.tiny_model import tiny_model
from thumbs.learn.training import train_table

COLUMNS = ("text", "label", "rating", "id")
CELLS = st.one_of(
    st.sampled_from(
        ["", " ", "pos", "neg", "positive", "negative", "1", "0", "-1", "7", "2.5", "nan", "inf", "-", "yes"]
    ),
    st.sampled_from(["café ☕", "😀 great", "\u200b", "\x00", 'say "hi"', "a,b;c\td", "line\nbreak", "x" * 5000]),
    st.text(max_size=12),
)
JSON_CELLS = st.one_of(CELLS, st.integers(-5, 12), st.floats(allow_nan=True), st.none(), st.booleans(), st.just([1]))


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]]]:
    """A file suffix and up to eight rows over a random subset of the columns (JSON cells may be any type)."""
    suffix = draw(st.sampled_from([".csv", ".tsv", ".jsonl"]))
    columns = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=4, unique=True))
    cells = JSON_CELLS if suffix == ".jsonl" else CELLS
    good = st.sampled_from(["a great film, I loved it", "an awful film, I hated it", "fine"])
    row = st.fixed_dictionaries({c: good if c == "text" and draw(st.booleans()) else cells for c in columns})
    return suffix, draw(st.lists(row, max_size=8))


def write_table(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` in the format of ``path``'s suffix (a header even with no rows)."""
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=list(rows[0]) if rows else list(COLUMNS), delimiter=",\t"[path.suffix == ".tsv"]
        )
        writer.writeheader()
        writer.writerows(rows)


#: Values for each kind of option; "{table}", "{model}", "{dir}" and "{missing}" become real paths.
COLUMN_VALUES = st.sampled_from([*COLUMNS, "", "nope", "Text", " text"])
NUMBERS = st.sampled_from(["-1", "1", "2", "3", "10", "abc", "", "1.5", "99999999999999999999"])
JOBS = st.sampled_from(["1", "-1", "-5", "abc", ""])
PATHS = st.sampled_from(["{table}", "{missing}", "{dir}", "", "{model}"])
OUTS = st.sampled_from(["{dir}/out.thumbs", "{dir}/out.csv", "{dir}/out.jsonl", "{dir}/out.parquet", "{dir}", ""])
MODELS = st.sampled_from(["default", "{model}", "{missing}.thumbs", "nb", "svm", "nbsvm", "", "bogus", "{table}"])
OPTIONS: dict[str, dict[str, st.SearchStrategy[str] | None]] = {
    "analyze": {
        "--text-column": COLUMN_VALUES,
        "--id-column": COLUMN_VALUES,
        "--model": MODELS,
        "--json": None,
        "--format": st.sampled_from(["terminal", "jsonl", "json", "csv", "tsv", "parquet", "xml", ""]),
        "--output": OUTS,
        "--jobs": JOBS,
        "--resume": None,
    },
    "train": {
        "--out": OUTS,
        "--recipe": st.sampled_from(["default", "nope", ""]),
        "--data": PATHS,
        "--text-column": COLUMN_VALUES,
        "--label-column": COLUMN_VALUES,
        "--rating-column": COLUMN_VALUES,
        "--id-column": COLUMN_VALUES,
        "--data-dir": st.sampled_from(["{dir}", "{missing}", ""]),
        "--jobs": JOBS,
    },
    "evaluate": {
        "--dataset": st.sampled_from(["polarity", "imdb", "mr", "subj", "nope", ""]),
        "--model": MODELS,
        "--data": PATHS,
        "--text-column": COLUMN_VALUES,
        "--label-column": COLUMN_VALUES,
        "--rating-column": COLUMN_VALUES,
        "--id-column": COLUMN_VALUES,
        "--folds": NUMBERS,
        "--data-dir": st.sampled_from(["{dir}", "{missing}", ""]),
        "--jobs": JOBS,
        "--json": None,
        "--allow-trained-data": None,
    },
    "data check": {
        "--text-column": COLUMN_VALUES,
        "--label-column": COLUMN_VALUES,
        "--rating-column": COLUMN_VALUES,
        "--id-column": COLUMN_VALUES,
    },
}
#: What each command is mostly given, so that most runs get past option parsing into the real work.
USUAL: dict[str, list[str]] = {
    "analyze": ["{table}", "--text-column", "text", "--json"],
    "train": ["--data", "{table}", "--label-column", "label", "--out", "{dir}/m.thumbs"],
    "evaluate": ["--data", "{table}", "--model", "{model}"],
    "data check": ["{table}", "--text-column", "text", "--label-column", "label"],
}


@st.composite
def commands(draw: st.DrawFn) -> list[str]:
    """``[command..., options...]`` with "{...}" placeholders: a usual start, then random real options."""
    command = draw(st.sampled_from(sorted(OPTIONS)))
    args = list(USUAL[command]) if draw(st.booleans()) else []
    if command in ("analyze", "data check") and not args:
        args.append(draw(PATHS))
    for option in draw(st.lists(st.sampled_from(sorted(OPTIONS[command])), max_size=4)):
        values = OPTIONS[command][option]
        args += [option] if values is None else [option, draw(values)]
    if command in ("analyze", "train", "evaluate") and "--jobs" not in args:
        args += ["--jobs", "1"]  # never the default (all cores): no worker processes in this test
    return [*command.split(), *args]


@pytest.fixture(scope="module")
def fuzz_dir() -> Iterator[Path]:
    """A folder with a model trained on a small table (the tiny model's sentence models)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        table = root / "train.csv"
        write_table(
            table,
            [
                {"text": t, "label": lab}
                for t, lab in [("great fun", "pos"), ("loved it", "pos"), ("dull", "neg"), ("awful", "neg")]
            ],
        )
        model, _ = train_table(table, text_column="text", label_column="label", base=tiny_model())
        model.save(root / "model.thumbs")
        (root / "empty-data").mkdir()
        yield root


@settings(
    max_examples=50,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure prints its arguments, bounded in time
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(table=tables(), args=commands())
def test_the_cli_never_shows_a_traceback(
    fuzz_dir: Path, monkeypatch: pytest.MonkeyPatch, table: tuple[str, list[dict[str, Any]]], args: list[str]
) -> None:
    monkeypatch.setenv("THUMBS_DATA", str(fuzz_dir / "empty-data"))
    with tempfile.TemporaryDirectory(dir=fuzz_dir) as folder:
        work = Path(folder)
        path = work / f"t{table[0]}"
        write_table(path, table[1])
        places = {"{table}": str(path), "{model}": str(fuzz_dir / "model.thumbs"), "{dir}": str(work)}
        places["{missing}"] = str(work / "missing")
        real = [_fill(arg, places) for arg in args]
        done = run_in_process(*real)
    assert done.returncode in (0, 1, 2), (real, done)
    assert "Traceback" not in done.stderr, (real, done.stderr)
    if "error:" in done.stderr and "Usage:" not in done.stderr:  # progress lines may come first; the error is last
        assert done.stderr.rstrip().splitlines()[-1].startswith("error: "), (real, done.stderr)


def _fill(arg: str, places: dict[str, str]) -> str:
    """``arg`` with its placeholders replaced by real paths."""
    for key, value in places.items():
        arg = arg.replace(key, value)
    return arg
