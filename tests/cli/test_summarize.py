"""``thumbs summarize``: one row a film, from a table, in every output form; mistakes in one line."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from thumbs.batch.sources import Record

TABLE = """id,film,date,review
1,Vertigo,2024-01-03,"A haunting, gorgeous film. The score is unforgettable and the acting is superb."
2,Vertigo,2024-01-20,"Slow and overlong. The plot makes no sense, though the cinematography is beautiful."
3,Vertigo,2024-02-11,"A masterpiece. The music and the camera work are stunning."
4,Cats,2024-02-01,"Dreadful. The CGI is a nightmare and the songs are forgettable."
5,Cats,2024-02-14,
"""
RUN_TIMEOUT = 180


def summarize(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "thumbs", "summarize", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=RUN_TIMEOUT,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    )


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "reviews.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def test_json_is_one_object_a_film_most_reviewed_first(table: Path) -> None:
    run = summarize(str(table), "--text-column", "review", "--group-by", "film", "--date-column", "date",
                    "--id-column", "id", "--json", "-j", "1", cwd=table.parent)  # fmt: skip
    assert run.returncode == 0, run.stderr
    films = [json.loads(line) for line in run.stdout.splitlines()]
    assert [f["group"] for f in films] == ["Vertigo", "Cats"]
    vertigo, cats = films
    assert vertigo["reviews"] == 3 and vertigo["share_positive"]["value"] > 0.5
    assert cats["failed"] == 1 and cats["share_positive"]["value"] < 0.5
    assert vertigo["method"] == "sld" and len(vertigo["histogram"]) == 10
    assert [m["month"] for m in vertigo["months"]] == ["2024-01", "2024-02"]
    quotes = [q for a in vertigo["aspects"] for q in a["quotes"]]
    assert quotes and all(q["review_id"] in {"1", "2", "3"} for q in quotes)
    assert "5 reviews in 2 groups, 1 failed" in run.stderr


def test_the_terminal_table_has_a_line_a_film(table: Path) -> None:
    run = summarize(str(table), "--text-column", "review", "--group-by", "film", "-j", "1", cwd=table.parent)
    assert run.returncode == 0, run.stderr
    assert "Vertigo" in run.stdout and "Cats" in run.stdout
    assert run.stdout.index("Vertigo") < run.stdout.index("Cats")


@pytest.mark.parametrize("name", ["films.csv", "films.parquet", "films.jsonl"])
def test_files_have_one_row_a_film(table: Path, name: str) -> None:
    out = table.parent / name
    run = summarize(str(table), "--text-column", "review", "--group-by", "film", "-o", str(out), "-j", "1",
                    cwd=table.parent)  # fmt: skip
    assert run.returncode == 0, run.stderr
    if name.endswith(".csv"):
        with out.open(encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
        assert [r["group"] for r in rows] == ["Vertigo", "Cats"] and "acting_share" in rows[0]
    elif name.endswith(".parquet"):
        rows = pq.read_table(out).to_pylist()
        assert [r["group"] for r in rows] == ["Vertigo", "Cats"] and "music_reviews" in rows[0]
    else:
        assert [json.loads(line)["group"] for line in out.read_text(encoding="utf-8").splitlines()] == [
            "Vertigo",
            "Cats",
        ]
    assert not [p for p in table.parent.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--text-column", "review"], "--group-by"),
        (["--group-by", "film"], "--text-column"),
        (["--text-column", "review", "--group-by", "studio"], "studio"),
        (["--text-column", "review", "--group-by", "film", "--format", "csv"], "needs --output"),
        (["--text-column", "review", "--group-by", "film", "-o", "out.xlsx"], "cannot tell the format"),
    ],
)
def test_a_mistake_is_one_line_and_exit_2(table: Path, args: list[str], says: str) -> None:
    run = summarize(str(table), *args, "-j", "1", cwd=table.parent)
    assert run.returncode == 2
    assert says in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_the_input_is_never_the_output(table: Path) -> None:
    before = table.read_bytes()
    run = summarize(str(table), "--text-column", "review", "--group-by", "film", "-o", str(table), "-j", "1",
                    cwd=table.parent)  # fmt: skip
    assert run.returncode == 2 and "same file as the input" in run.stderr
    assert table.read_bytes() == before


def test_users_add_aspects_from_a_file(table: Path) -> None:
    mine = table.parent / "mine.toml"
    mine.write_text('[camera]\nterms = ["camera work", "cinematography"]\n', encoding="utf-8")
    run = summarize(str(table), "--text-column", "review", "--group-by", "film", "--aspects", str(mine), "--json",
                    "-j", "1", cwd=table.parent)  # fmt: skip
    assert run.returncode == 0, run.stderr
    vertigo = json.loads(run.stdout.splitlines()[0])
    assert "camera" in {a["aspect"] for a in vertigo["aspects"]}
    run = summarize(str(table), "--text-column", "review", "--group-by", "film", "--aspects", str(mine), "-o",
                    "films.csv", "-j", "1", cwd=table.parent)  # fmt: skip
    assert run.returncode == 0, run.stderr
    with open(table.parent / "films.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert {"camera_reviews", "camera_share", "acting_share"} <= set(rows[0])
    bad = table.parent / "bad.toml"
    bad.write_text("[camera\n", encoding="utf-8")
    run = summarize(
        str(table), "--text-column", "review", "--group-by", "film", "--aspects", str(bad), cwd=table.parent
    )
    assert run.returncode == 2 and "not valid TOML" in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_a_report_folder_gets_one_html_page(table: Path) -> None:
    folder = table.parent / "report"
    run = summarize(str(table), "--text-column", "review", "--group-by", "film", "--report", str(folder), "--json",
                    "-j", "1", cwd=table.parent)  # fmt: skip
    assert run.returncode == 0, run.stderr
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Vertigo" in page and "Cats" in page


def test_a_folder_per_film_groups_by_folder(tmp_path: Path) -> None:
    films = tmp_path / "films"
    for film, texts in {"Vertigo": ["A haunting, gorgeous film.", "A masterpiece."], "Cats": ["Dreadful."]}.items():
        (films / film).mkdir(parents=True)
        for n, text in enumerate(texts):
            (films / film / f"{n}.txt").write_text(text, encoding="utf-8")
    run = summarize(str(films), "--group-by-folder", "--json", "-j", "1", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert [(f["group"], f["reviews"]) for f in map(json.loads, run.stdout.splitlines())] == [
        ("Vertigo", 2),
        ("Cats", 1),
    ]
    both = summarize(str(films), "--group-by-folder", "--group-by", "film", cwd=tmp_path)
    assert both.returncode == 2 and "disagree" in both.stderr


def analyze(*args: str, cwd: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "thumbs", "analyze", *args, "-j", "1"], cwd=cwd, capture_output=True, timeout=RUN_TIMEOUT
    )
    assert run.returncode in (0, 1), run.stderr.decode()  # 1: some reviews failed (the empty one)


def test_an_analyze_output_is_summarized_without_analyzing_again(table: Path) -> None:
    """``thumbs analyze --keep film --keep date --json`` then ``thumbs summarize`` of it: the same summaries."""
    analyze(str(table), "--text-column", "review", "--id-column", "id", "--keep", "film", "--keep", "date",
            "--json", "-o", "analyzed.jsonl", cwd=table.parent)  # fmt: skip
    analyzed = [json.loads(line) for line in (table.parent / "analyzed.jsonl").read_text().splitlines()]
    assert [(a["film"], a["date"]) for a in analyzed][:2] == [("Vertigo", "2024-01-03"), ("Vertigo", "2024-01-20")]
    direct = summarize(str(table), "--text-column", "review", "--id-column", "id", "--group-by", "film",
                       "--date-column", "date", "--json", "-j", "1", cwd=table.parent)  # fmt: skip
    again = summarize("analyzed.jsonl", "--group-by", "film", "--date-column", "date", "--json", cwd=table.parent)
    assert direct.returncode == 0 and again.returncode == 0, direct.stderr + again.stderr
    assert again.stdout == direct.stdout
    assert [f["months"] for f in map(json.loads, again.stdout.splitlines())][0][0]["month"] == "2024-01"


def test_an_analyzed_folder_per_film_is_summarized_by_folder(tmp_path: Path) -> None:
    films = tmp_path / "films"
    for film, texts in {"Vertigo": ["A haunting, gorgeous film.", "A masterpiece."], "Cats": ["Dreadful."]}.items():
        (films / film).mkdir(parents=True)
        for n, text in enumerate(texts):
            (films / film / f"{n}.txt").write_text(text, encoding="utf-8")
    analyze(str(films), "--json", "-o", "analyzed.jsonl", cwd=tmp_path)
    direct = summarize(str(films), "--group-by-folder", "--json", "-j", "1", cwd=tmp_path)
    again = summarize("analyzed.jsonl", "--group-by-folder", "--json", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout == direct.stdout and '"group": "Vertigo"' in again.stdout


@pytest.mark.parametrize(
    ("lines", "args", "says"),
    [
        ('{"film": "Vertigo", "review": "Fine."}\n', ["--group-by", "film"], "not a `thumbs analyze --json` output"),
        (
            '{"id": "1", "label": "positive", "probability": 0.9, "stars": 8.0, "error": null}\n',
            ["--group-by", "film"],
            "analyze with --keep",
        ),  # fmt: skip
        (
            '{"id": "1", "label": "positive", "probability": "high", "stars": 8.0, "error": null, "film": "V"}\n',
            ["--group-by", "film"],
            "damaged",
        ),  # fmt: skip
        (
            '{"id": "1", "label": "positive", "probability": 0.9, "stars": 8.0, "error": null, "film": "V"}\n',
            ["--group-by", "film", "--resume", "-o", "films.csv"],
            "drop --resume",
        ),  # fmt: skip
        (
            '{"id": "1", "label": "positive", "probability": 0.9, "stars": 8.0, "error": null, "film": "V"}\nnot json\n',
            ["--group-by", "film"],
            "line 2 is not valid JSON",
        ),  # fmt: skip
    ],
)
def test_a_bad_analyze_output_is_one_line_and_exit_2(tmp_path: Path, lines: str, args: list[str], says: str) -> None:
    (tmp_path / "analyzed.jsonl").write_text(lines, encoding="utf-8")
    run = summarize("analyzed.jsonl", *args, cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert says in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_resume_needs_an_output_file_and_an_unfinished_run(table: Path) -> None:
    base = [str(table), "--text-column", "review", "--group-by", "film", "-j", "1"]
    run = summarize(*base, "--resume", cwd=table.parent)
    assert run.returncode == 2 and "--resume needs --output FILE" in run.stderr
    assert summarize(*base, "-o", "films.csv", cwd=table.parent).returncode == 0
    before = (table.parent / "films.csv").read_bytes()
    run = summarize(*base, "-o", "films.csv", "--resume", cwd=table.parent)
    assert run.returncode == 2 and "already complete" in run.stderr
    assert (table.parent / "films.csv").read_bytes() == before


def test_resume_refuses_a_journal_grouped_otherwise(table: Path) -> None:
    """A journal keeps how its run grouped and dated: resuming with other columns is refused, not mixed in."""
    from thumbs.batch.engine import BatchInterrupted
    from thumbs.batch.sources import read_records
    from thumbs.batch.targets import check_output
    from thumbs.pipeline.model import load_model
    from thumbs.summary.run import summarize_records_into

    def stopped() -> Iterator[Record]:
        records = read_records([str(table)], text_column="review", id_column="id", extra_columns=("film",))
        yield next(records)
        raise KeyboardInterrupt  # as Ctrl-C would, after the first review

    output = table.parent / "films.jsonl"
    with pytest.raises(BatchInterrupted):
        summarize_records_into(stopped(), load_model(), check_output(output), lambda *_: None, format="jsonl",
                               grouping={"group_by": "film", "by_folder": False, "date_column": None})  # fmt: skip
    assert (table.parent / "films.jsonl.partial").exists()
    base = [str(table), "--text-column", "review", "--id-column", "id", "-o", "films.jsonl", "--resume", "-j", "1"]
    other = summarize(*base, "--group-by", "film", "--date-column", "date", cwd=table.parent)
    assert other.returncode == 2 and "another format, model or settings" in other.stderr, other.stderr
    mine = table.parent / "mine.toml"
    mine.write_text('[camera]\nterms = ["camera work"]\n', encoding="utf-8")
    aspects = summarize(*base, "--group-by", "film", "--aspects", str(mine), cwd=table.parent)
    assert aspects.returncode == 2 and "another format, model or settings" in aspects.stderr
    same = summarize(*base, "--group-by", "film", cwd=table.parent)
    assert same.returncode == 0, same.stderr
    whole = summarize(str(table), "--text-column", "review", "--id-column", "id", "--group-by", "film", "--json",
                      "-j", "1", cwd=table.parent)  # fmt: skip
    assert output.read_text(encoding="utf-8") == whole.stdout


@pytest.mark.parametrize("analyzed", [False, True])
def test_an_output_named_for_another_format_is_refused_on_every_path(table: Path, analyzed: bool) -> None:
    if analyzed:
        analyze(str(table), "--text-column", "review", "--keep", "film", "--json", "-o", "a.jsonl", cwd=table.parent)
        source = ["a.jsonl", "--group-by", "film"]
    else:
        source = [str(table), "--text-column", "review", "--group-by", "film", "-j", "1"]
    run = summarize(*source, "-o", "films.json", "--json", cwd=table.parent)
    assert run.returncode == 2 and "--json contradicts the extension of films.json" in run.stderr, run.stderr
    assert not (table.parent / "films.json").exists()


def test_keep_on_a_review_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A fine film.", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "thumbs", "analyze", "a.txt", "--keep", "film", "--json"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT)  # fmt: skip
    assert run.returncode == 2 and "not a table, so it has no column 'film'" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_parquet_times_group_and_date_alike_on_both_paths(tmp_path: Path) -> None:
    """A timestamp film column and nanosecond dates: the same groups and months directly and from analyze --keep."""
    import datetime

    import pyarrow as pa

    films = [datetime.datetime(2024, 3, 1), datetime.datetime(2024, 3, 1), datetime.datetime(2024, 4, 1)]
    dates = pa.array([1_710_000_000_123_456_789, 1_712_000_000_000_000_001, None], pa.timestamp("ns"))
    texts = ["A gorgeous, moving film.", "Dull and far too long.", "The acting is superb."]
    pq.write_table(pa.table({"film": films, "date": dates, "review": texts}), tmp_path / "in.parquet")
    direct = summarize("in.parquet", "--text-column", "review", "--group-by", "film", "--date-column", "date",
                       "--json", "-j", "1", cwd=tmp_path)  # fmt: skip
    assert direct.returncode == 0, direct.stderr
    analyze("in.parquet", "--text-column", "review", "--keep", "film", "--keep", "date", "--json", "-o", "a.jsonl",
            cwd=tmp_path)  # fmt: skip
    again = summarize("a.jsonl", "--group-by", "film", "--date-column", "date", "--json", cwd=tmp_path)
    assert again.stdout == direct.stdout
    got = [(f["group"], [m["month"] for m in f["months"]]) for f in map(json.loads, direct.stdout.splitlines())]
    assert got == [("2024-03-01T00:00:00", ["2024-03", "2024-04"]), ("2024-04-01T00:00:00", [])]
