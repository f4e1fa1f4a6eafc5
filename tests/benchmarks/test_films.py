"""benchmarks/films.py end to end on a tiny aclImdb test split (archive and folder) and polarity corpus written here."""

from __future__ import annotations

import contextlib
import io
import json
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers.scripts import load_script
from thumbs.corpora import Document
from thumbs.errors import DataFormatError, DataNotFoundError

GOOD = ["A wonderful, moving film. I loved it.", "A superb, charming picture; a joy.", "Brilliant and delightful."]
BAD = ["An awful, boring film. I hated it.", "Dull, tedious and lifeless.", "A dreadful waste of time."]
#: (film, label) of each test review, in file order per label: film 1 all positive, film 2 half,
#: film 3 one in four, film 4 a single review (left out at --min-reviews 3).
REVIEWS = {
    "pos": ["tt0000001"] * 4 + ["tt0000002"] * 2 + ["tt0000003", "tt0000004"],
    "neg": ["tt0000002"] * 2 + ["tt0000003"] * 3,
}


@pytest.fixture(scope="module")
def films() -> ModuleType:
    return load_script("films")


def _files() -> dict[str, bytes]:
    """Every file of the tiny aclImdb, by its path inside aclImdb/."""
    files: dict[str, bytes] = {}
    for label, titles in REVIEWS.items():
        words = GOOD if label == "pos" else BAD
        for i in range(len(titles)):
            rating = 8 + i % 3 if label == "pos" else 1 + i % 3
            files[f"test/{label}/{i}_{rating}.txt"] = words[i % 3].encode()
        urls = "".join(f"http://www.imdb.com/title/{title}/usercomments\n" for title in titles)
        files[f"test/urls_{label}.txt"] = urls.encode()
    files["train/pos/0_9.txt"] = GOOD[0].encode()
    files["train/neg/0_1.txt"] = BAD[0].encode()
    return files


def _polarity(root: Path) -> None:
    for label, words in (("pos", GOOD), ("neg", BAD)):
        folder = root / "review_polarity" / "txt_sentoken" / label
        folder.mkdir(parents=True)
        for i in range(6):
            (folder / f"cv{100 * i:03d}_{i}.txt").write_text(words[i % 3].lower() + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def archive_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    (root / "aclImdb").mkdir()
    with tarfile.open(root / "aclImdb" / "aclImdb_v1.tar.gz", "w:gz") as tar:
        for path, data in _files().items():
            info = tarfile.TarInfo(f"aclImdb/{path}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    _polarity(root)
    return root


@pytest.fixture(scope="module")
def folder_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("folder")
    for path, data in _files().items():
        target = root / "aclImdb" / "aclImdb" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    _polarity(root)
    return root


def test_urls_are_read_from_the_archive_in_place_and_from_the_folder(
    films: ModuleType, archive_root: Path, folder_root: Path
) -> None:
    from_archive = films.read_urls(archive_root)
    assert from_archive == films.read_urls(folder_root)
    assert len(from_archive["pos"]) == 8 and from_archive["neg"][0].endswith("/title/tt0000002/usercomments")
    assert sorted(p.name for p in archive_root.iterdir()) == ["aclImdb", "review_polarity"]  # nothing unpacked
    (archive_root / "aclImdb" / "nothing").mkdir()
    with pytest.raises(DataNotFoundError, match="no aclImdb archive or folder"):
        films.read_urls(archive_root / "aclImdb" / "nothing")


def test_films_are_grouped_by_title_and_small_ones_left_out(films: ModuleType, archive_root: Path) -> None:
    from thumbs.corpora import load_corpus

    documents = load_corpus("imdb", archive_root, splits=("test",))
    grouped = films.group_films(documents, films.read_urls(archive_root), 3)
    assert [(f.title, len(f.rows), f.share) for f in grouped] == [
        ("tt0000001", 4, 1.0),
        ("tt0000002", 4, 0.5),
        ("tt0000003", 4, 0.25),
    ]
    assert sorted(grouped[0].ratings.tolist()) == [8.0, 8.0, 9.0, 10.0]
    broken = {"pos": ["http://www.imdb.com/"] * 8, "neg": REVIEWS["neg"]}
    with pytest.raises(DataFormatError, match="names no IMDb title"):
        films.group_films(documents, broken, 3)
    stray = [Document("test/pos/99_9", "Great.", "positive", 9, split="test")]
    with pytest.raises(DataFormatError, match="has no line 99"):
        films.group_films(stray, films.read_urls(archive_root), 1)


def test_end_to_end_prints_every_method_the_stars_and_the_aims(films: ModuleType, archive_root: Path) -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = films.main(["--data-dir", str(archive_root), "--min-reviews", "3", "--no-quapy", "--json"])
    assert code == 0
    figures = json.loads(printed.getvalue())
    assert (figures["films"], figures["reviews"], figures["test_reviews"]) == (3, 12, 13)
    assert set(figures["methods"]) == {"cc", "pcc", "acc", "pacc", "sld"} and figures["recommended"] == "sld"
    assert figures["rates"]["source"].startswith("polarity v2.0") and figures["quapy"] is None
    for row in figures["methods"].values():
        assert 0.0 <= row["share_mae"] <= 1.0 and 0.0 <= row["coverage"] <= 1.0
    assert figures["methods"]["sld"]["share_mae"] < 0.2  # reviews this plain are read right
    assert -1.0 <= figures["stars_r"] <= 1.0
    text = films.report(figures)
    for needed in ("max. likelihood (SLD/EM)", "coverage by true share", "QuaPy: not installed", "aims: share MAE"):
        assert needed in text
