"""The corpus registry and loaders, on tiny fake corpora in the official layouts."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

import thumbs.corpora.imdb as imdb_module
from thumbs.checksums import file_sha256
from thumbs.corpora import (
    CORPORA,
    Document,
    corpus_status,
    load_corpus,
    resolve_data_dir,
)
from thumbs.errors import DataFormatError, DataNotFoundError, ThumbsError


def one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    message = str(exc.value)
    assert "\n" not in message and message.strip() == message and message
    return message


# --- registry and data dir --------------------------------------------------------------------


def test_registry_names_folders_and_urls() -> None:
    assert list(CORPORA) == ["polarity", "imdb", "mr", "subj"]
    assert {n: c.folder for n, c in CORPORA.items()} == {
        "polarity": "review_polarity",
        "imdb": "aclImdb",
        "mr": "rt-polaritydata",
        "subj": "rotten_imdb",
    }
    for info in CORPORA.values():
        assert info.url.endswith(".tar.gz") and info.citation and info.title
        assert all(len(d) == 64 for d in info.archive_sha256)
    imdb = CORPORA["imdb"]
    assert imdb.archive_sha256[0].startswith("c40f74a1")  # official
    assert "55384e24bfb670b683ba63143d0ec06a84cea334630184811df01de571e44ea3" in imdb.archive_sha256
    with pytest.raises(dataclasses.FrozenInstanceError):
        imdb.folder = "x"  # type: ignore[misc]


def test_document_is_frozen_with_defaults() -> None:
    doc = Document(id="a", text="t", label=None)
    assert (doc.rating, doc.fold, doc.split) == (None, None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "u"  # type: ignore[misc]


def test_resolve_data_dir_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THUMBS_DATA", str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "arg") == tmp_path / "arg"
    assert resolve_data_dir(str(tmp_path / "arg")) == tmp_path / "arg"
    assert resolve_data_dir() == tmp_path / "env"
    monkeypatch.delenv("THUMBS_DATA")
    default = resolve_data_dir()
    assert default.name == "data" and "thumbs" in str(default)


def test_unknown_corpus_lists_valid_names(fake_root: Path) -> None:
    with pytest.raises(ThumbsError) as exc:
        load_corpus("sst2", fake_root)
    assert "polarity, imdb, mr, subj" in one_line(exc)
    with pytest.raises(ThumbsError):
        corpus_status("nope", fake_root)


@pytest.mark.parametrize("name", list(CORPORA))
def test_missing_corpus_is_one_clear_line(tmp_path: Path, name: str) -> None:
    with pytest.raises(DataNotFoundError) as exc:
        load_corpus(name, tmp_path)
    folder = tmp_path / CORPORA[name].folder
    assert one_line(exc) == (
        f"corpus '{name}' not found in {folder}: run `thumbs data fetch {name}` or pass --data-dir / set THUMBS_DATA"
    )
    status = corpus_status(name, tmp_path)
    assert (status.present, status.verified, status.path) == (False, False, folder)


def test_data_dir_from_environment(fake_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THUMBS_DATA", str(fake_root))
    assert len(load_corpus("mr")) == 4


# --- polarity ---------------------------------------------------------------------------------


def test_polarity_documents(fake_root: Path, kit: SimpleNamespace) -> None:
    docs = load_corpus("polarity", fake_root)
    assert [d.id for d in docs] == [
        "neg/cv000_44444",
        "neg/cv250_55555",
        "neg/cv999_66666",
        "pos/cv000_11111",
        "pos/cv105_22222",
        "pos/cv999_33333",
    ]
    assert [d.fold for d in docs] == [0, 2, 9, 0, 1, 9]
    assert {d.label for d in docs[:3]} == {"negative"} and {d.label for d in docs[3:]} == {"positive"}
    by_id = {d.id: d for d in docs}
    # contents unchanged, line ends included
    assert by_id["pos/cv999_33333"].text == kit.POLARITY_FILES[("pos", "cv999_33333.txt")]
    assert all(d.rating is None and d.split is None for d in docs)


def test_polarity_ignores_stray_files_and_rejects_splits(fake_root: Path) -> None:
    (fake_root / "review_polarity/txt_sentoken/pos/.DS_Store").write_bytes(b"\0")
    (fake_root / "review_polarity/txt_sentoken/pos/notes.txt").write_text("x")
    assert len(load_corpus("polarity", fake_root)) == 6
    with pytest.raises(ThumbsError) as exc:
        load_corpus("polarity", fake_root, splits=("train",))
    assert "cross-validation" in one_line(exc)


def test_polarity_incomplete_and_bad_bytes(fake_root: Path) -> None:
    neg = fake_root / "review_polarity/txt_sentoken/neg"
    (neg / "cv001_1.txt").write_bytes(b"caf\xe9\n")
    with pytest.raises(DataFormatError) as exc:
        load_corpus("polarity", fake_root)
    assert "cv001_1.txt" in one_line(exc) and "0xe9" in str(exc.value)
    shutil.rmtree(neg)
    with pytest.raises(DataNotFoundError) as missing:
        load_corpus("polarity", fake_root)
    assert "incomplete (missing txt_sentoken/neg/)" in one_line(missing)
    assert "--force" in str(missing.value)


def test_polarity_status(fake_root: Path, tmp_path: Path, kit: SimpleNamespace) -> None:
    status = corpus_status("polarity", fake_root)
    assert status.present and not status.verified
    assert status.detail.startswith("3 pos + 3 neg reviews")
    # A full-sized fake: 1000 + 1000 files, 100 per fold and label -> verified.
    root = tmp_path / "full"
    files = {
        f"review_polarity/txt_sentoken/{sub}/cv{i:03d}_{i}.txt": "x .\n" for sub in ("pos", "neg") for i in range(1000)
    }
    kit.write_files(root, files)
    status = corpus_status("polarity", root)
    assert status.present and status.verified, status.detail


# --- imdb -------------------------------------------------------------------------------------


def _extract_imdb(root: Path, kit: SimpleNamespace, *, nested: bool) -> None:
    base = root / "aclImdb" / ("aclImdb" if nested else "")
    kit.write_files(base, dict(kit.IMDB_FILES))


def test_imdb_from_archive(fake_root: Path, kit: SimpleNamespace) -> None:
    docs = load_corpus("imdb", fake_root)
    assert [d.id for d in docs] == [
        "train/neg/3_1",
        "train/neg/10_4",
        "train/pos/0_9",
        "train/pos/12_7",
        "test/neg/2_2",
        "test/pos/196_9",
    ]
    by_id = {d.id: d for d in docs}
    best = by_id["test/pos/196_9"]
    assert (best.label, best.rating, best.split, best.fold) == ("positive", 9, "test", None)
    assert best.text == kit.IMDB_FILES["test/pos/196_9.txt"]
    assert by_id["train/neg/10_4"].rating == 4 and by_id["train/neg/10_4"].label == "negative"
    assert "Naïve" in by_id["train/pos/0_9"].text and "<br />" in by_id["train/pos/0_9"].text


def test_imdb_splits(fake_root: Path) -> None:
    test_only = load_corpus("imdb", fake_root, splits=("test",))
    assert {d.split for d in test_only} == {"test"} and len(test_only) == 2
    everything = load_corpus("imdb", fake_root, splits=("train", "test", "unsup"))
    unsup = [d for d in everything if d.split == "unsup"]
    assert [(d.id, d.label, d.rating) for d in unsup] == [("train/unsup/5_0", None, None)]
    with pytest.raises(ThumbsError) as exc:
        load_corpus("imdb", fake_root, splits=("dev",))
    assert "'dev'" in one_line(exc) and "train, test, unsup" in str(exc.value)


@pytest.mark.parametrize("nested", [True, False])
def test_imdb_extracted_folder_matches_archive(
    fake_root: Path, tmp_path: Path, kit: SimpleNamespace, nested: bool
) -> None:
    root = tmp_path / "extracted"
    _extract_imdb(root, kit, nested=nested)
    for splits in (None, ("train", "test", "unsup")):
        assert load_corpus("imdb", root, splits=splits) == load_corpus("imdb", fake_root, splits=splits)
    status = corpus_status("imdb", root)
    assert status.present and not status.verified and "expected 12500" in status.detail


def test_imdb_bad_utf8_names_the_file(tmp_path: Path, kit: SimpleNamespace) -> None:
    members = kit.imdb_members()
    members["aclImdb/test/neg/7_3.txt"] = b"bad \xff byte"
    (tmp_path / "aclImdb").mkdir()
    (tmp_path / "aclImdb/aclImdb_v1.tar.gz").write_bytes(kit.tar_gz(members))
    with pytest.raises(DataFormatError) as exc:
        load_corpus("imdb", tmp_path)
    assert "aclImdb/test/neg/7_3.txt" in one_line(exc) and "not UTF-8" in str(exc.value)


def test_imdb_damaged_archive(tmp_path: Path, kit: SimpleNamespace) -> None:
    (tmp_path / "aclImdb").mkdir()
    good = kit.tar_gz(kit.imdb_members())
    archive = tmp_path / "aclImdb/aclImdb_v1.tar.gz"
    archive.write_bytes(good[: len(good) // 2])
    with pytest.raises(DataFormatError) as exc:
        load_corpus("imdb", tmp_path)
    assert "not a readable .tar.gz" in one_line(exc)
    archive.write_bytes(b"<html>not an archive</html>")
    with pytest.raises(DataFormatError):
        load_corpus("imdb", tmp_path)


def test_imdb_empty_folder_is_incomplete(tmp_path: Path) -> None:
    (tmp_path / "aclImdb").mkdir()
    with pytest.raises(DataNotFoundError) as exc:
        load_corpus("imdb", tmp_path)
    assert "incomplete" in one_line(exc)


def test_imdb_status_by_digest(fake_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    status = corpus_status("imdb", fake_root)
    assert status.present and not status.verified and "not a known digest" in status.detail
    digest = file_sha256(fake_root / "aclImdb/aclImdb_v1.tar.gz")
    monkeypatch.setattr(imdb_module, "REPACK_SHA256", digest)
    status = corpus_status("imdb", fake_root)
    assert status.verified and "repack" in status.detail


# --- mr and subj ------------------------------------------------------------------------------


def test_mr_latin1_lines(fake_root: Path) -> None:
    docs = load_corpus("mr", fake_root)
    assert [(d.id, d.label) for d in docs] == [
        ("pos/0", "positive"),
        ("pos/1", "positive"),
        ("neg/0", "negative"),
        ("neg/1", "negative"),
    ]
    assert docs[0].text == "a gem of a movie , café charm and all ."  # trailing space stripped
    assert docs[1].text == "smart \x85 and funny"  # 0x85 is not a line break
    assert docs[2].text == "flat and lifeless ."
    assert docs[3].text == "\x93 overlong \x94 ."
    assert all(d.fold is None and d.rating is None for d in docs)


def test_mr_missing_file(fake_root: Path) -> None:
    (fake_root / "rt-polaritydata/rt-polarity.neg").unlink()
    with pytest.raises(DataNotFoundError) as exc:
        load_corpus("mr", fake_root)
    assert "missing rt-polarity.neg" in one_line(exc)
    status = corpus_status("mr", fake_root)
    assert not status.present and "rt-polarity.neg" in status.detail


def test_subj_labels(fake_root: Path) -> None:
    docs = load_corpus("subj", fake_root)
    assert [(d.id, d.label) for d in docs] == [
        ("quote/0", "subjective"),
        ("quote/1", "subjective"),
        ("plot/0", "objective"),
        ("plot/1", "objective"),
    ]
    assert docs[0].text == "a film that dares to be sweet ½ ."


def test_line_corpora_status_counts(fake_root: Path, tmp_path: Path, kit: SimpleNamespace) -> None:
    status = corpus_status("mr", fake_root)
    assert status.present and not status.verified and "2 pos + 2 neg lines" in status.detail
    root = tmp_path / "full"
    kit.write_files(
        root,
        {
            "rotten_imdb/quote.tok.gt9.5000": b"opinion \xe9 .\n" * 5000,
            "rotten_imdb/plot.tok.gt9.5000": b"fact .\n" * 5000,
        },
    )
    status = corpus_status("subj", root)
    assert status.present and status.verified, status.detail
