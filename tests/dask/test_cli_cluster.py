"""``thumbs analyze`` and ``thumbs summarize`` with ``--cluster local:N`` / ``--scheduler``, as a user runs them.

A cluster run writes a folder of Parquet files that, read in name order, is the single-machine
``-o single.parquet`` row for row (schema included); ``--resume`` skips the parts already written;
every mistake is one line and exit 2. Commands that start a cluster are few (each costs seconds).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import thumbs.dask.runs
from tests.dask.conftest import review_rows
from tests.helpers.cli import run_thumbs
from tests.helpers.in_process import run_in_process
from tests.helpers.table_files import write_csv
from thumbs.errors import ThumbsError

N_ROWS, PARTITION = 300, 50
N_PARTS = N_ROWS // PARTITION


@dataclass(frozen=True)
class Runs:
    table: Path
    folder: Path
    single: Path
    stderr: str
    returncode: int


def one_line_refusal(returncode: int, stderr: str) -> str:
    assert returncode == 2, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def parts(folder: Path) -> list[Path]:
    return sorted(folder.glob("part-*.parquet"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    """The same table analyzed on a local cluster of two workers and on one machine."""
    base = tmp_path_factory.mktemp("cluster_cli")
    table = write_csv(base / "reviews.csv", review_rows(N_ROWS, seed=3))
    columns = ("--text-column", "text", "--id-column", "rid", "--keep", "film")
    folder = base / "out"
    ran = run_thumbs(
        "analyze", table, *columns, "--cluster", "local:2", "-o", folder, "--partition-rows", PARTITION, timeout=120
    )
    single = base / "single.parquet"
    alone = run_thumbs("analyze", table, *columns, "-o", single, timeout=120)
    assert alone.returncode in (0, 1), alone.stderr
    yield Runs(table, folder, single, ran.stderr, ran.returncode)


@pytest.mark.e2e
def test_a_cluster_run_is_the_single_machine_run_row_for_row(runs: Runs) -> None:
    assert runs.returncode == 1, runs.stderr  # the generated table holds reviews that fail
    assert f"analyzed {N_ROWS} reviews in {N_PARTS} partitions" in runs.stderr
    assert [p.name for p in parts(runs.folder)] == [f"part-{n:06d}.parquet" for n in range(N_PARTS)]
    assert sorted(p.name for p in runs.folder.iterdir()) == sorted(
        ["_thumbs_run.json", *(p.name for p in parts(runs.folder))]
    )
    got = pq.read_table(runs.folder)
    expected = pq.read_table(runs.single)
    assert got.schema.equals(expected.schema)
    assert got.to_pylist() == expected.to_pylist()
    assert got.num_rows == N_ROWS and got.column("id").to_pylist()[:3] == ["r0", "r1", "r2"]
    each = [pq.read_table(p) for p in parts(runs.folder)]
    assert [t.num_rows for t in each] == [PARTITION] * N_PARTS
    assert all(t.schema.equals(expected.schema) for t in each)


@pytest.mark.e2e
def test_resume_skips_finished_parts_and_rewrites_only_a_missing_one(runs: Runs, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    shutil.copytree(runs.folder, folder)  # copy2: the files keep their times
    lost = parts(folder)[2]
    lost.unlink()
    before = {p.name: p.stat().st_mtime_ns for p in parts(folder)}
    time.sleep(0.05)
    columns = ("--text-column", "text", "--id-column", "rid", "--keep", "film")
    again = run_thumbs(
        "analyze", runs.table, *columns, "--cluster", "local:2", "-o", folder, "--partition-rows", PARTITION, "--resume"
    )
    assert again.returncode == 1, again.stderr
    assert f"({N_PARTS - 1} from an earlier run)" in again.stderr
    assert lost.is_file()
    assert {p.name: p.stat().st_mtime_ns for p in parts(folder) if p != lost} == before
    assert pq.read_table(folder).to_pylist() == pq.read_table(runs.single).to_pylist()


def test_resume_of_a_finished_run_skips_every_part(runs: Runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process, with a cluster that runs no task: a finished folder needs none."""
    folder = tmp_path / "out"
    shutil.copytree(runs.folder, folder)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    monkeypatch.setattr(thumbs.dask.runs, "connect", idle_cluster)
    columns = ("--text-column", "text", "--id-column", "rid", "--keep", "film")
    again = run_in_process(
        "analyze",
        str(runs.table),
        *columns,
        "--cluster",
        "local:2",
        "-o",
        str(folder),
        "--partition-rows",
        "50",
        "--resume",
    )
    assert again.returncode == 1, again.stderr
    assert f"analyzed {N_ROWS} reviews in {N_PARTS} partitions ({N_PARTS} from an earlier run)" in again.stderr
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


class _IdleClient:
    """A client whose cluster must do nothing: any task sent to it fails the test."""

    def register_plugin(self, plugin: object, name: str) -> None:
        assert name.startswith("thumbs-model-")

    def map(self, function: object, *iterables: list[object], **kwargs: object) -> list[object]:
        assert all(not items for items in iterables), "a finished part was sent to the cluster again"
        return []

    def cancel(self, futures: object) -> None:
        raise AssertionError("nothing to cancel")


@contextmanager
def idle_cluster(scheduler: str | None = None, cluster: str | None = None) -> Iterator[_IdleClient]:
    import distributed

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(distributed, "as_completed", iter)  # no future to wait for
        yield _IdleClient()


@pytest.mark.e2e
def test_summarize_on_a_cluster_is_byte_for_byte_the_single_machine_output(runs: Runs) -> None:
    columns = ("--text-column", "text", "--id-column", "rid", "--group-by", "film", "--date-column", "date")
    on_cluster = run_thumbs("summarize", runs.table, *columns, "--cluster", "local:2", "--partition-rows", 40, "--json")
    alone = run_thumbs("summarize", runs.table, *columns, "--json")
    assert alone.returncode == on_cluster.returncode, (alone.stderr, on_cluster.stderr)
    assert alone.stdout and on_cluster.stdout == alone.stdout
    summaries = [json.loads(line) for line in alone.stdout.splitlines()]
    assert sum(s["reviews"] for s in summaries) == N_ROWS


# --- mistakes: one line, exit 2, and found before a cluster starts ------------------------------------


def started(scheduler: str | None = None, cluster: str | None = None) -> Iterator[object]:
    raise ThumbsError("CLUSTER STARTED")


@pytest.fixture
def no_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting a cluster fails the run with CLUSTER STARTED: a mistake must be said before that."""
    monkeypatch.setattr(thumbs.dask.runs, "connect", started)


def analyze_in_process(table: Path, *args: str) -> str:
    ran = run_in_process("analyze", str(table), "--text-column", "text", *args)
    return one_line_refusal(ran.returncode, ran.stderr)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--cluster", "local:2", "--json", "-o", "{tmp}/new"), "--json: on a cluster"),
        (("--cluster", "local:2", "--format", "csv", "-o", "{tmp}/new"), "--format csv: on a cluster"),
        (("--cluster", "local:2"), "pass --output FOLDER"),
        (("--cluster", "local:2", "--jobs", "2", "-o", "{tmp}/new"), "--jobs is for one machine"),
        (("--cluster", "local:2", "--keep", "label", "-o", "{tmp}/new"), "--keep label"),
        (("--cluster", "local:2", "-o", "{tmp}"), "holds the input"),
        (("--cluster", "local:2", "--partition-rows", "-3", "-o", "{tmp}/new"), "--partition-rows must be at least 1"),
    ],
)
def test_mistakes_are_one_line_before_a_cluster_starts(
    tmp_path: Path, no_cluster: None, args: tuple[str, ...], says: str
) -> None:
    table = write_csv(tmp_path / "t.csv", review_rows(5))
    line = analyze_in_process(table, *(a.format(tmp=tmp_path) for a in args))
    assert says in line and "CLUSTER STARTED" not in line
    assert not (tmp_path / "new").exists()


def test_a_malformed_cluster_is_one_line(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "t.csv", review_rows(5))
    both = ("--scheduler", "tcp://127.0.0.1:1", "--cluster", "local:2", "-o", str(tmp_path / "new"))
    assert "--scheduler and --cluster disagree" in analyze_in_process(table, *both)
    for value in ("local:x", "local:0", "remote:2"):
        line = analyze_in_process(table, "--cluster", value, "-o", str(tmp_path / "new"))
        assert f"--cluster {value}: write local:N" in line


def test_partition_rows_zero_is_refused(tmp_path: Path, no_cluster: None) -> None:
    table = write_csv(tmp_path / "t.csv", review_rows(5))
    line = analyze_in_process(table, "--cluster", "local:2", "--partition-rows", "0", "-o", str(tmp_path / "new"))
    assert "--partition-rows must be at least 1" in line


@pytest.mark.parametrize(
    ("output", "says"),
    [("other", "holds other files"), ("single.parquet", "is a file"), ("earlier", "holds an earlier run's results")],
)
def test_an_output_that_is_not_a_new_folder_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str, says: str
) -> None:
    """Refused in one line, the user's files untouched (the cluster faked; the next test: before it starts)."""
    table = write_csv(tmp_path / "t.csv", review_rows(5))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "single.parquet").write_bytes(b"PAR1")
    (tmp_path / "earlier").mkdir()
    (tmp_path / "earlier" / "_thumbs_run.json").write_text('{"run": "x"}\n', encoding="utf-8")
    (tmp_path / "earlier" / "part-000000.parquet").write_bytes(b"PAR1")
    monkeypatch.setattr(thumbs.dask.runs, "connect", idle_cluster)
    line = analyze_in_process(table, "--cluster", "local:2", "-o", str(tmp_path / output))
    assert says in line
    assert (tmp_path / "other" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "single.parquet").read_bytes() == b"PAR1"


@pytest.mark.parametrize("output", ["other", "single.parquet"])
def test_an_output_that_is_not_a_new_folder_is_refused_before_a_cluster_starts(
    tmp_path: Path, no_cluster: None, output: str
) -> None:
    table = write_csv(tmp_path / "t.csv", review_rows(5))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "single.parquet").write_bytes(b"PAR1")
    line = analyze_in_process(table, "--cluster", "local:2", "-o", str(tmp_path / output))
    assert "CLUSTER STARTED" not in line


@pytest.mark.e2e
def test_a_scheduler_nobody_runs_is_one_line_in_seconds(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "t.csv", review_rows(5))
    began = time.monotonic()
    ran = run_thumbs(
        "analyze",
        table,
        "--text-column",
        "text",
        "--scheduler",
        "tcp://127.0.0.1:1",
        "-o",
        tmp_path / "new",
        timeout=60,
    )
    line = one_line_refusal(ran.returncode, ran.stderr)
    assert time.monotonic() - began < 35
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in line
    assert not (tmp_path / "new").exists()


def test_an_output_inside_an_input_folder_or_matched_by_its_glob_is_refused(tmp_path: Path, no_cluster: None) -> None:
    """A run resumed later would read its own results as input: refused before anything starts."""
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    write_csv(reviews / "a.csv", review_rows(5))
    inside = run_in_process(
        "analyze", str(reviews), "--text-column", "text", "--cluster", "local:2", "-o", str(reviews / "out")
    )
    assert "is inside the input" in one_line_refusal(inside.returncode, inside.stderr)
    pattern = str(tmp_path / "**" / "*.parquet")
    matched = run_in_process(
        "analyze",
        str(reviews / "a.csv"),
        pattern,
        "--text-column",
        "text",
        "--cluster",
        "local:2",
        "-o",
        str(tmp_path / "out"),
    )
    assert "matched by the input" in one_line_refusal(matched.returncode, matched.stderr)
    assert not (reviews / "out").exists() and not (tmp_path / "out").exists()


def test_kept_columns_are_typed_as_every_parquet_file_agrees(tmp_path: Path) -> None:
    """Numbers stay numbers when every file says so; files that disagree, or a CSV among them, make text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from thumbs.batch.pieces import split_sources
    from thumbs.dask.runs import kept_kinds

    pq.write_table(pa.table({"text": ["Fine."], "year": [2020], "score": [1.5]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"text": ["Dull."], "year": ["2021"], "score": [2]}), tmp_path / "b.parquet")
    write_csv(tmp_path / "c.csv", [{"text": "Good.", "year": "2022", "score": "3"}])

    def kinds(*names: str) -> dict[str, set[type]]:
        pieces = split_sources(
            [str(tmp_path / n) for n in names], text_column="text", extra_columns=("year", "score"), rows_per_piece=10
        )
        return kept_kinds(pieces, ("year", "score"))

    assert kinds("a.parquet") == {"year": {int}, "score": {float}}
    assert kinds("a.parquet", "b.parquet") == {"year": {str}, "score": {int, float}}
    assert kinds("a.parquet", "c.csv") == {"year": {str}, "score": {str}}


def test_resume_names_what_differs_from_the_run_in_the_folder(
    tmp_path: Path, model_file: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder is resumed only by the same run; the refusal says whether the model, the columns or the input differ."""
    import distributed

    from thumbs.batch.pieces import split_sources
    from thumbs.dask.datasets import Reading, analyze_to_dataset, check_dataset
    from thumbs.dask.workers import model_ref

    class _NoWork:  # the run's folder is made; no partition is computed
        def register_plugin(self, plugin: object, name: str) -> None: ...

        def map(self, *args: object, **kwargs: object) -> list[object]:
            return []

    monkeypatch.setattr(distributed, "as_completed", iter)
    table = write_csv(tmp_path / "t.csv", review_rows(12))
    reading = Reading("text", "rid", ())
    pieces = split_sources([str(table)], text_column="text", id_column="rid", rows_per_piece=4)
    ref = model_ref(model_file("resume-a"))
    folder = tmp_path / "out"
    analyze_to_dataset(_NoWork(), pieces, ref, folder, reading=reading, kinds={})
    assert (folder / "_thumbs_run.json").is_file()

    def refusal(**changes: object) -> str:
        given = {"ref": ref, "pieces": pieces, "reading": reading, **changes}
        with pytest.raises(ThumbsError) as caught:
            check_dataset(folder, given["ref"], given["pieces"], reading=given["reading"], kinds={}, resume=True)
        assert "\n" not in str(caught.value)
        return str(caught.value)

    check_dataset(folder, ref, pieces, reading=reading, kinds={}, resume=True)  # the same run: accepted
    assert "another model" in refusal(ref=model_ref(model_file("resume-b")))
    assert "other columns" in refusal(reading=Reading("text", None, ()))
    other = split_sources([str(table)], text_column="text", id_column="rid", rows_per_piece=5)
    assert "input that has changed" in refusal(pieces=other)
