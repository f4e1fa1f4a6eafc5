"""Downloading corpora: served from a local HTTP server, verified, unpacked all-or-nothing."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest

import thumbs.corpora as corpora
import thumbs.corpora.fetch as fetch_module
from thumbs.corpora import corpus_status, load_corpus
from thumbs.corpora.fetch import fetch_corpus
from thumbs.errors import DownloadError


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    message = str(exc.value)
    assert message and "\n" not in message
    return message


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


def assert_nothing_left(root: Path) -> None:
    assert sorted(p.name for p in root.iterdir()) == []


def test_fetch_polarity(root: Path, http_server: SimpleNamespace, kit: SimpleNamespace) -> None:
    body = kit.tar_gz(kit.polarity_members())
    url = http_server.add("/review_polarity.tar.gz", body)
    path = fetch_corpus("polarity", root, url=url, sha256=sha(body), progress=False)
    assert path == root / "review_polarity"
    assert sorted(p.name for p in root.iterdir()) == ["review_polarity"]  # no temp pieces
    assert (path / "poldata.README.2.0").is_file()
    assert len(load_corpus("polarity", root)) == 6
    assert corpus_status("polarity", root).present


def test_fetch_checks_known_size_and_digest(
    root: Path, http_server: SimpleNamespace, kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = kit.tar_gz(kit.polarity_members())
    url = http_server.add("/p.tar.gz", body)
    known = corpora.CORPORA["polarity"]
    monkeypatch.setitem(corpora.CORPORA, "polarity", dataclasses.replace(known, archive_sha256=("0" * 64, sha(body))))
    with pytest.raises(DownloadError) as exc:  # the real size is still the expected one
        fetch_corpus("polarity", root, url=url, progress=False)
    assert f"{len(body):,} bytes, expected 3,127,238" in one_line(exc)
    assert_nothing_left(root)
    monkeypatch.setitem(
        corpora.CORPORA,
        "polarity",
        dataclasses.replace(known, archive_sha256=("0" * 64, sha(body)), archive_size=(len(body),)),
    )
    assert fetch_corpus("polarity", root, url=url, progress=True).is_dir()


def test_sha_mismatch_leaves_nothing(root: Path, http_server: SimpleNamespace, kit: SimpleNamespace) -> None:
    url = http_server.add("/p.tar.gz", kit.tar_gz(kit.polarity_members()))
    with pytest.raises(DownloadError) as exc:
        fetch_corpus("polarity", root, url=url, sha256="ab" * 32, progress=False)
    assert "expected abab" in one_line(exc) and "damaged" in str(exc.value)
    assert_nothing_left(root)


def test_interrupted_download_leaves_nothing(root: Path, http_server: SimpleNamespace, kit: SimpleNamespace) -> None:
    body = kit.tar_gz(kit.mr_members()) + b"\0" * 4096
    url = http_server.add("/short.tar.gz", body, mode="short")
    with pytest.raises(DownloadError) as exc:
        fetch_corpus("mr", root, url=url, progress=False)
    assert "broke off" in one_line(exc)
    assert_nothing_left(root)


def test_http_error_and_unreachable(root: Path, http_server: SimpleNamespace) -> None:
    with pytest.raises(DownloadError) as exc:
        fetch_corpus("subj", root, url=http_server.base + "/missing.tar.gz", progress=False)
    assert "HTTP 404" in one_line(exc)
    with pytest.raises(DownloadError) as exc:
        fetch_corpus("subj", root, url="http://127.0.0.1:9/nothing.tar.gz", progress=False)
    assert "failed" in one_line(exc)
    with pytest.raises(DownloadError):
        fetch_corpus("subj", root, url="not a url", progress=False)
    assert_nothing_left(root)


def test_ctrl_c_leaves_nothing(
    root: Path, http_server: SimpleNamespace, kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = http_server.add("/s.tar.gz", kit.tar_gz(kit.subj_members()))

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fetch_module, "_extract", interrupt)
    with pytest.raises(KeyboardInterrupt):
        fetch_corpus("subj", root, url=url, progress=False)
    assert_nothing_left(root)


def test_fetch_mr_moves_readme_into_folder(root: Path, http_server: SimpleNamespace, kit: SimpleNamespace) -> None:
    url = http_server.add("/rt.tar.gz", kit.tar_gz(kit.mr_members()))
    path = fetch_corpus("mr", root, url=url, progress=False)
    assert sorted(p.name for p in path.iterdir()) == [
        "rt-polarity.neg",
        "rt-polarity.pos",
        "rt-polaritydata.README.1.0.txt",
    ]
    assert [d.id for d in load_corpus("mr", root)] == ["pos/0", "pos/1", "neg/0", "neg/1"]


def test_fetch_subj(root: Path, http_server: SimpleNamespace, kit: SimpleNamespace) -> None:
    url = http_server.add("/r.tar.gz", kit.tar_gz(kit.subj_members()))
    assert fetch_corpus("subj", root, url=url, progress=False) == root / "rotten_imdb"
    assert len(load_corpus("subj", root)) == 4


def test_fetch_imdb_keeps_the_archive(root: Path, http_server: SimpleNamespace, kit: SimpleNamespace) -> None:
    body = kit.tar_gz(kit.imdb_members())
    url = http_server.add("/aclImdb_v1.tar.gz", body)
    path = fetch_corpus("imdb", root, url=url, sha256=sha(body), progress=False)
    assert [p.name for p in path.iterdir()] == ["aclImdb_v1.tar.gz"]
    assert (path / "aclImdb_v1.tar.gz").read_bytes() == body
    assert len(load_corpus("imdb", root)) == 6


@pytest.mark.parametrize(
    "members",
    [
        {"../evil.txt": "x", "quote.tok.gt9.5000": "a\n", "plot.tok.gt9.5000": "b\n"},
        {"/tmp/evil.txt": "x"},
        {"sub/../../evil.txt": "x"},
    ],
)
def test_unsafe_members_are_refused(
    root: Path, tmp_path: Path, http_server: SimpleNamespace, kit: SimpleNamespace, members: dict[str, str]
) -> None:
    url = http_server.add("/evil.tar.gz", kit.tar_gz(members))
    with pytest.raises(DownloadError) as exc:
        fetch_corpus("subj", root, url=url, progress=False)
    assert "unsafe path" in one_line(exc)
    assert_nothing_left(root)
    assert not (tmp_path / "evil.txt").exists()


def test_not_an_archive_or_wrong_layout(root: Path, http_server: SimpleNamespace, kit: SimpleNamespace) -> None:
    url = http_server.add("/page.tar.gz", b"<html>please log in</html>")
    with pytest.raises(DownloadError) as exc:
        fetch_corpus("polarity", root, url=url, sha256=sha(b"<html>please log in</html>"), progress=False)
    assert "not a readable .tar.gz" in one_line(exc)
    url = http_server.add("/other.tar.gz", kit.tar_gz(kit.subj_members()))
    with pytest.raises(DownloadError) as exc:
        fetch_corpus("mr", root, url=url, progress=False)
    assert "no rt-polaritydata/ folder" in one_line(exc)
    with pytest.raises(DownloadError) as exc:
        fetch_corpus("subj", root, url=http_server.add("/m.tar.gz", kit.tar_gz(kit.mr_members())), progress=False)
    assert "does not hold the expected files" in one_line(exc)
    assert_nothing_left(root)


def test_existing_corpus_needs_force(
    root: Path, http_server: SimpleNamespace, kit: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = http_server.add("/r.tar.gz", kit.tar_gz(kit.subj_members()))
    fetch_corpus("subj", root, url=url, progress=False)
    # present but not verified (4 lines, not 10000): refuse to overwrite without --force
    with pytest.raises(DownloadError) as exc:
        fetch_corpus("subj", root, url=url, progress=False)
    assert "--force" in one_line(exc)
    (root / "rotten_imdb" / "user-note.txt").write_text("mine")
    fetch_corpus("subj", root, url=url, progress=False, force=True)
    assert not (root / "rotten_imdb" / "user-note.txt").exists()
    assert sorted(p.name for p in root.iterdir()) == ["rotten_imdb"]
    # a failed forced download keeps the old corpus
    with pytest.raises(DownloadError):
        fetch_corpus("subj", root, url=http_server.base + "/404", progress=False, force=True)
    assert len(load_corpus("subj", root)) == 4
    # verified corpora are left alone without --force (no request made)
    monkeypatch.setattr(
        corpora, "corpus_status", lambda name, d=None: dataclasses.replace(corpus_status(name, d), verified=True)
    )
    monkeypatch.setattr(fetch_module, "corpus_status", corpora.corpus_status)
    hits = len(http_server.hits)
    assert fetch_corpus("subj", root, url=url, progress=False) == root / "rotten_imdb"
    assert len(http_server.hits) == hits


def test_unwritable_data_dir(tmp_path: Path, http_server: SimpleNamespace) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DownloadError) as exc:
        fetch_corpus("subj", blocker / "data", url=http_server.base + "/x", progress=False)
    assert "--data-dir" in one_line(exc)
