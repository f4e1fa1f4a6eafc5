"""``thumbs data ...`` through the real entry point: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.helpers.cli import run_thumbs

#: Every test here starts processes (the CLI, workers, a server or the browser).
pytestmark = pytest.mark.e2e


def thumbs(*args: str | Path, data: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m thumbs ARGS`` with THUMBS_DATA pointing at ``data`` (or nowhere useful)."""
    place = str(data) if data is not None else "/nonexistent/thumbs-data"
    return run_thumbs(*args, env={"COLUMNS": "200", "NO_COLOR": "1", "THUMBS_DATA": place}, timeout=60)


def assert_user_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit code 2, no traceback, and the error as the one last line of stderr ('error: ...')."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert errors == lines[-1:], result.stderr
    for fragment in fragments:
        assert fragment in errors[0]
    return errors[0]


def test_help_lists_commands() -> None:
    result = thumbs("data", "--help")
    assert result.returncode == 0
    for command in ("list", "fetch", "show", "check"):
        assert command in result.stdout
    fetch_help = thumbs("data", "fetch", "--help").stdout
    assert "--url" in fetch_help and "--force" in fetch_help and "official address" in fetch_help


def test_list(fake_root: Path, tmp_path: Path) -> None:
    result = thumbs("data", "list", "--data-dir", fake_root)
    assert result.returncode == 0, result.stderr
    for text in ("polarity", "imdb", "mr", "subj", "review_polarity", "rotten_imdb", "cornell.edu"):
        assert text in result.stdout
    empty = thumbs("data", "list", data=tmp_path / "nothing")
    assert empty.returncode == 0 and "not downloaded" in empty.stdout
    assert not (tmp_path / "nothing").exists()  # listing creates nothing


def test_show(fake_root: Path) -> None:
    result = thumbs("data", "show", "imdb", "--unsup", data=fake_root)
    assert result.returncode == 0, result.stderr
    assert "imdb: 7 documents" in result.stdout and "unsup" in result.stdout


def test_missing_corpus(tmp_path: Path) -> None:
    line = assert_user_error(thumbs("data", "show", "polarity", "--data-dir", tmp_path), "not found")
    assert "thumbs data fetch polarity" in line


def test_unknown_corpus() -> None:
    assert_user_error(thumbs("data", "fetch", "sst2"), "unknown corpus 'sst2'", "polarity, imdb, mr, subj")


def test_fetch_through_cli(tmp_path: Path, http_server: SimpleNamespace, kit: SimpleNamespace) -> None:
    body = kit.tar_gz(kit.mr_members())
    url = http_server.add("/rt.tar.gz", body)
    root = tmp_path / "data"
    result = thumbs("data", "fetch", "mr", "--url", url, "--data-dir", root)
    assert result.returncode == 0, result.stderr
    assert "mr is ready in" in result.stderr and (root / "rt-polaritydata" / "rt-polarity.pos").is_file()
    bad = thumbs("data", "fetch", "subj", "--url", url, "--sha256", "0" * 64, "--no-progress", data=root)
    assert_user_error(bad, "sha256")
    assert sorted(p.name for p in root.iterdir()) == ["rt-polaritydata"]
    good = hashlib.sha256(body).hexdigest()
    forced = thumbs("data", "fetch", "mr", "--url", url, "--sha256", good, "--force", "--no-progress", data=root)
    assert forced.returncode == 0, forced.stderr


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.csv", b"", "is empty"),
        ("latin.csv", "text\ncaf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("cols.csv", b"body,label\nnice,pos\n", "column 'text' not found"),
        ("broken.jsonl", b'{"text": "a"}\n{"text": \n', "line 2 is not valid JSON"),
    ],
)
def test_check_bad_tables(tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_user_error(thumbs("data", "check", path, "--text-column", "text"), fragment)


def test_check_missing_file_and_good_table(tmp_path: Path) -> None:
    assert_user_error(thumbs("data", "check", tmp_path / "nope.csv", "--text-column", "text"), "file not found")
    path = tmp_path / "ok.csv"
    path.write_text("text,label\ngood film,pos\n,neg\nbad film,neg\n", encoding="utf-8")
    result = thumbs("data", "check", path, "--text-column", "text", "--label-column", "label")
    assert result.returncode == 0, result.stderr
    assert "2 documents, 1 rows skipped" in result.stdout
    assert "row 2: empty text" in result.stdout and "neg 1, pos 1" in result.stdout


def test_usage_error_exit_code() -> None:
    result = thumbs("data", "check")
    assert result.returncode == 2 and "Traceback" not in result.stderr
