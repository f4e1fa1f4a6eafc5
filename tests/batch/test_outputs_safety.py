"""Outputs that cannot destroy anything: inputs, FIFOs, devices and links are never replaced by a plain file.

Each test points :func:`thumbs.batch.engine.run_batch` (or :func:`check_output`) at one kind of
target made in the test's own tmp dir, never at a real device, and checks both what was written
and what was left alone. Faults a root user cannot meet (a read-only folder, a full disk) are faked.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.batch_fakes import FakeModel
from thumbs.batch import outputs
from thumbs.batch.engine import run_batch
from thumbs.batch.journal import journal_path
from thumbs.batch.sources import Record, read_records
from thumbs.batch.targets import check_output, output_format
from thumbs.errors import DataNotFoundError, ThumbsError

RECORDS = [Record(0, "a", "good film", None), Record(1, "b", "bad film", None), Record(2, "c", None, "empty text")]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def refused(call: Any, *words: str, error: type[Exception] = ThumbsError) -> str:
    """Run ``call``, expect a one-line ``error`` naming every one of ``words``; return the line."""
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert message and "\n" not in message
    for word in words:
        assert word in message, message
    return message


def table(path: Path) -> Path:
    """A CSV of two reviews (columns id, text)."""
    path.write_text("id,text\nx,good film\ny,bad film\n", encoding="utf-8")
    return path


# --- the same file as an input ----------------------------------------------------------------


@pytest.mark.parametrize("alias", ["itself", "symlink", "hardlink", "dotted"])
def test_an_output_that_is_an_input_is_refused_before_reading(tmp_path: Path, alias: str) -> None:
    source = table(tmp_path / "in.csv")
    before = source.read_bytes()
    target = {
        "itself": source,
        "symlink": tmp_path / "link.csv",
        "hardlink": tmp_path / "hard.csv",
        "dotted": tmp_path / "." / "in.csv",
    }[alias]
    if alias == "symlink":
        target.symlink_to(source)
    elif alias == "hardlink":
        os.link(source, target)
    records = read_records([str(source)], text_column="text")
    refused(lambda: run_batch(FakeModel(), records, output=target, inputs=[str(source)]), "same file", "in.csv")
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"in.csv", target.name})  # no journal, no temp


def test_a_text_file_in_an_input_folder_or_glob_is_an_input(tmp_path: Path) -> None:
    (tmp_path / "reviews").mkdir()
    review = tmp_path / "reviews" / "one.txt"
    review.write_text("good film", encoding="utf-8")
    for source in (str(tmp_path / "reviews"), str(tmp_path / "reviews" / "*.txt")):
        refused(lambda s=source: check_output(review, inputs=[s]), "same file")
    other = tmp_path / "reviews" / "out.jsonl"  # not a .txt: the folder's reader skips it
    other.write_text("{}\n", encoding="utf-8")
    assert check_output(other, inputs=[str(tmp_path / "reviews")]).stream is False


# --- what is not a regular file is written into, never replaced ---------------------------------


def test_a_fifo_is_streamed_into_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    summary = run_batch(FakeModel(), RECORDS, output=fifo)
    reader.join(timeout=10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    rows = list(csv.DictReader(io.StringIO(received[0].decode())))
    assert [row["id"] for row in rows] == ["a", "b", "c"] and rows[2]["error"] == "empty text"
    assert summary.n_records == 3 and summary.output == str(fifo)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.csv"]  # no journal beside it


def test_a_stream_cannot_be_resumed_nor_hold_parquet(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused(lambda: run_batch(FakeModel(), RECORDS, output=fifo, format="jsonl", resume=True), "FIFO", "resumed")
    refused(lambda: run_batch(FakeModel(), RECORDS, output=fifo, format="parquet"), "regular file")


@pytest.mark.skipif(not IS_ROOT, reason="making a device node needs root")
def test_a_character_device_is_written_into_not_replaced(tmp_path: Path) -> None:
    null = os.stat("/dev/null").st_rdev  # its numbers only: the node is made here, in tmp_path
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(os.major(null), os.minor(null)))
    summary = run_batch(FakeModel(), RECORDS, output=device, format="jsonl")
    assert summary.n_records == 3
    assert stat.S_ISCHR(os.stat(device).st_mode) and os.stat(device).st_rdev == null
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]
    assert check_output(device).kind == "character device"


def test_descriptor_paths_are_streams() -> None:
    target = check_output("/dev/stdout")
    assert target.stream and target.kind == "descriptor"


# --- regular files: atomic, through links, temp file always removed -----------------------------


def test_a_symlink_is_followed_and_its_target_replaced_atomically(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "results.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    run_batch(FakeModel(), RECORDS, output=link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert [json.loads(line)["id"] for line in real.read_text().splitlines()] == ["a", "b", "c"]
    assert journal_path(link) == real.with_name("results.jsonl.partial")
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["results.jsonl"]


def test_a_dangling_symlink_gets_its_target_written(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "made.csv")
    run_batch(FakeModel(), RECORDS, output=link)
    assert (tmp_path / "made.csv").read_text().startswith("id,label,")


def test_a_full_disk_is_one_line_the_temp_file_goes_and_resume_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out.csv"

    class FullDisk(outputs.StreamWriter):
        def finish(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs, "StreamWriter", FullDisk)
    refused(lambda: run_batch(FakeModel(), RECORDS, output=output), "no space left", "--resume")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv.partial"]  # the temporary file is gone
    monkeypatch.undo()
    summary = run_batch(FakeModel(), RECORDS, output=output, resume=True)
    assert summary.n_skipped_resumed == 3 and len(output.read_text().splitlines()) == 4


def test_a_read_only_or_forbidden_folder_is_found_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for code, words in ((errno.EROFS, ("read-only file system",)), (errno.EACCES, ("no permission",))):

        def forbidden(*args: Any, code: int = code, **kwargs: Any) -> Any:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr("thumbs.batch.targets.tempfile.mkstemp", forbidden)
        refused(lambda: run_batch(FakeModel(), iter(()), output=tmp_path / "o.jsonl"), *words)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(IS_ROOT, reason="permissions do not bind root")
def test_a_real_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o555)
    try:
        refused(lambda: check_output(folder / "o.csv"), "no permission")
    finally:
        folder.chmod(0o755)


def test_path_mistakes_are_one_line(tmp_path: Path) -> None:
    refused(lambda: check_output(tmp_path / "no" / "o.csv"), "create it first", error=DataNotFoundError)
    refused(lambda: check_output(tmp_path), "is a folder")
    (tmp_path / "file").write_text("x")
    refused(lambda: check_output(tmp_path / "file" / "o.csv"), "not a folder")
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    refused(lambda: check_output(loop), "symlinks loop")


# --- formats --------------------------------------------------------------------------------------


def test_the_extension_sets_the_format_and_a_contradiction_is_refused(tmp_path: Path) -> None:
    assert [output_format(None, f"o{s}") for s in (".csv", ".TSV", ".ndjson", ".json", ".parquet")] == [
        "csv",
        "tsv",
        "jsonl",
        "json",
        "parquet",
    ]
    assert output_format("csv", "o.out") == "csv" and output_format(None, None) == "jsonl"
    refused(lambda: output_format("jsonl", "o.csv"), "contradicts", "csv")
    refused(lambda: output_format(None, "o.txt"), ".csv", ".parquet", "--format")
    refused(lambda: run_batch(FakeModel(), RECORDS, output=tmp_path / "o.parquet", format="jsonl"), "contradicts")
    assert list(tmp_path.iterdir()) == []


def test_tsv_and_json_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_batch(FakeModel(), RECORDS, output=tmp_path / "o.tsv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "o.tsv").read_text()), delimiter="\t"))
    assert [row["id"] for row in rows] == ["a", "b", "c"] and list(rows[0]) == list(FakeModel.row_columns)
    run_batch(FakeModel(), RECORDS, output=tmp_path / "o.json", chunk_size=2)
    results = json.loads((tmp_path / "o.json").read_text())
    assert [r["id"] for r in results] == ["a", "b", "c"] and results[0]["details"]["words"] == ["a", "b"]
    run_batch(FakeModel(), [], output=tmp_path / "empty.json")
    assert json.loads((tmp_path / "empty.json").read_text()) == []
    run_batch(FakeModel(), RECORDS, output=None, format="json", chunk_size=1)
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["a", "b", "c"]


def test_the_temporary_file_is_new_so_a_planted_link_is_never_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a shared folder another user may plant a link where the temporary file will be: it is refused."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    output = tmp_path / "out.csv"
    monkeypatch.setattr(outputs.secrets, "token_hex", lambda n: "guessed")
    (tmp_path / f".out.csv.{os.getpid()}.guessed.tmp").symlink_to(victim)
    with pytest.raises(FileExistsError), outputs.atomic_file(output) as temporary:
        temporary.write_text("summaries", encoding="utf-8")
    assert victim.read_text(encoding="utf-8") == "keep me" and not output.exists()


def test_a_kept_cell_of_any_parquet_type_is_written(tmp_path: Path) -> None:
    """Bytes, durations and decimals in a kept column are written as text, never a traceback."""
    import datetime
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "text": ["good film", "bad film"],
            "film": pa.array([b"Vertigo", b"Cats"], pa.binary()),
            "runtime": pa.array([datetime.timedelta(minutes=128), None], pa.duration("s")),
            "budget": pa.array([decimal.Decimal("2.50"), decimal.Decimal("1.00")], pa.decimal128(5, 2)),
        }
    )
    pq.write_table(table, tmp_path / "in.parquet")
    keep = ("film", "runtime", "budget")
    records = read_records([str(tmp_path / "in.parquet")], text_column="text", extra_columns=keep)
    run_batch(FakeModel(), records, output=tmp_path / "out.jsonl", keep=keep)
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["film"], r["runtime"], r["budget"]) for r in rows] == [
        ("Vertigo", "2:08:00", "2.50"),
        ("Cats", None, "1.00"),
    ]


def test_columns_asked_of_a_review_file_are_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A fine film.", encoding="utf-8")
    for source in (tmp_path / "a.txt", tmp_path):
        with pytest.raises(ThumbsError, match="not a table, so it has no column 'film'"):
            read_records([str(source)], extra_columns=("film",))
