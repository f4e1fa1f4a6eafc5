"""Reader for the Large Movie Review Dataset v1.0 (Maas et al. 2011, "aclImdb").

Users have it in one of three shapes under ``<data dir>/aclImdb/``; all give the same documents:

- ``aclImdb_v1.tar.gz``: the archive itself, read in tarfile streaming mode (no unpacking to disk;
  about 2 s for train + test). This is what ``thumbs data fetch imdb`` stores.
- ``aclImdb/{train,test}/...``: the archive unpacked in place (``tar xzf aclImdb_v1.tar.gz``).
- ``{train,test}/...``: the inner folder's contents moved up one level.

Inside, reviews are ``{train,test}/{pos,neg}/<id>_<rating>.txt`` (ratings 1-4 negative, 7-10
positive) and ``train/unsup/<id>_0.txt`` (50k unlabelled). Raw UTF-8 text with ``<br />`` tags.
"""

from __future__ import annotations

import os
import re
import tarfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from thumbs.checksums import file_sha256
from thumbs.corpora import Document, corpus_incomplete, corpus_not_found
from thumbs.errors import DataFormatError, ThumbsError

NAME = "imdb"
FOLDER: str = "aclImdb"
ARCHIVE: str = "aclImdb_v1.tar.gz"
SPLITS: tuple[str, ...] = ("train", "test", "unsup")
DEFAULT_SPLITS: tuple[str, ...] = ("train", "test")
OFFICIAL_SHA256 = "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe"
REPACK_SHA256 = "55384e24bfb670b683ba63143d0ec06a84cea334630184811df01de571e44ea3"
KNOWN_SHA256: tuple[str, ...] = (OFFICIAL_SHA256, REPACK_SHA256)
KNOWN_SIZES: tuple[int, ...] = (84_125_825, 56_745_003)
EXPECTED_PER_FOLDER = 12_500
LABELS = {"pos": "positive", "neg": "negative", "unsup": None}

# <split>/<label folder>/<id>_<rating>.txt, relative to the inner aclImdb/ folder.
_REVIEW_RE = re.compile(r"^(train|test)/(pos|neg|unsup)/(\d+)_(\d+)\.txt$")
_ARCHIVE_PREFIX = "aclImdb/"

# (split, label folder, numeric id, rating, text)
_Raw = tuple[str, str, int, int, str]


def archive_path(root: Path) -> Path:
    """Where the archive is expected: ``<root>/aclImdb/aclImdb_v1.tar.gz``."""
    return root / FOLDER / ARCHIVE


def extracted_dir(root: Path) -> Path | None:
    """The unpacked folder holding ``train/`` and ``test/``, if there is one."""
    for candidate in (root / FOLDER / FOLDER, root / FOLDER):
        if (candidate / "train").is_dir() and (candidate / "test").is_dir():
            return candidate
    return None


def _check_splits(splits: tuple[str, ...] | None) -> tuple[str, ...]:
    if splits is None:
        return DEFAULT_SPLITS
    bad = [s for s in splits if s not in SPLITS]
    if bad:
        raise ThumbsError(f"unknown imdb split(s) {', '.join(map(repr, bad))}: choose from {', '.join(SPLITS)}")
    if not splits:
        raise ThumbsError(f"no imdb split asked for: choose from {', '.join(SPLITS)}")
    return tuple(dict.fromkeys(splits))


def _classify(rel: str, wanted: tuple[str, ...]) -> tuple[str, str, int, int] | None:
    """(split, label folder, id, rating) for a review path inside aclImdb/, or None to skip it."""
    match = _REVIEW_RE.match(rel)
    if match is None:
        return None
    split, sub, num, rating = match.groups()
    if sub == "unsup":
        split = "unsup"
    if split not in wanted:
        return None
    return split, sub, int(num), int(rating)


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFormatError(
            f"{where} is not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}): "
            f"the corpus is damaged; run `thumbs data fetch {NAME} --force`"
        ) from None


def _iter_archive(path: Path, wanted: tuple[str, ...]) -> Iterator[_Raw]:
    """Stream the reviews out of the .tar.gz without writing anything to disk."""
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                name = member.name.removeprefix("./")
                if not name.startswith(_ARCHIVE_PREFIX):
                    continue
                key = _classify(name[len(_ARCHIVE_PREFIX) :], wanted)
                if key is None:
                    continue
                handle = tar.extractfile(member)
                assert handle is not None  # regular files always have contents
                yield (*key, _decode(handle.read(), f"{path}:{name}"))
    except OSError as exc:
        if exc.errno is None:  # gzip.BadGzipFile and friends: a damaged archive
            raise DataFormatError(
                f"{path} is not a readable .tar.gz ({exc}): run `thumbs data fetch {NAME} --force`"
            ) from None
        raise ThumbsError(f"cannot read {path}: {exc.strerror}; check the file's permissions") from None
    except (tarfile.TarError, zlib.error, EOFError) as exc:
        raise DataFormatError(
            f"{path} is not a readable .tar.gz ({exc}): run `thumbs data fetch {NAME} --force`"
        ) from None


def _iter_folder(base: Path, wanted: tuple[str, ...]) -> Iterator[_Raw]:
    """Read the reviews from an unpacked ``train/``/``test/`` folder."""
    folders = [
        (split if sub != "unsup" else "unsup", f"{split}/{sub}")
        for split in ("train", "test")
        for sub in ("pos", "neg", "unsup")
    ]
    for split, rel_dir in folders:
        if split not in wanted or not (base / rel_dir).is_dir():
            continue
        with os.scandir(base / rel_dir) as entries:
            names = [e.name for e in entries if e.is_file()]
        for file_name in names:
            key = _classify(f"{rel_dir}/{file_name}", wanted)
            if key is None:
                continue
            path = base / rel_dir / file_name
            yield (*key, _decode(path.read_bytes(), str(path)))


def load(root: Path, splits: tuple[str, ...] | None = None) -> list[Document]:
    """Read the reviews of ``splits`` (default train + test), from the archive or unpacked folder.

    Ordered by split (train, test, unsup), then label folder (neg, pos), then numeric id, so the
    order does not depend on the archive's. Unsup reviews are only built when asked for.
    """
    wanted = _check_splits(splits)
    archive = archive_path(root)
    if archive.is_file():
        source, raws = archive, _iter_archive(archive, wanted)
    else:
        base = extracted_dir(root)
        if base is None:
            if (root / FOLDER).is_dir():
                raise corpus_incomplete(NAME, root / FOLDER, f"neither {ARCHIVE} nor train/ and test/")
            raise corpus_not_found(NAME, root / FOLDER)
        source, raws = base, _iter_folder(base, wanted)
    rows = sorted(raws, key=lambda r: (SPLITS.index(r[0]), r[1], r[2]))
    found = {r[0] for r in rows}
    missing = [s for s in wanted if s not in found]
    if missing:
        raise corpus_incomplete(NAME, source, f"no {', '.join(missing)} reviews in it")
    return [
        Document(
            id=f"{'train' if split == 'unsup' else split}/{sub}/{num}_{rating}",
            text=text,
            label=LABELS[sub],
            rating=None if sub == "unsup" else rating,
            split=split,
        )
        for split, sub, num, rating, text in rows
    ]


def _count_folder(base: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for split in ("train", "test"):
        for sub in ("pos", "neg"):
            path = base / split / sub
            if not path.is_dir():
                counts[f"{split}/{sub}"] = 0
                continue
            with os.scandir(path) as entries:
                counts[f"{split}/{sub}"] = sum(1 for e in entries if _REVIEW_RE.match(f"{split}/{sub}/{e.name}"))
    return counts


def status(root: Path) -> tuple[bool, bool, str]:
    """(present, verified, detail): verified = archive with a known sha256, or 4 x 12500 files."""
    folder = root / FOLDER
    if not folder.exists():
        return False, False, "not downloaded"
    archive = archive_path(root)
    base = extracted_dir(root)
    if archive.is_file():
        digest = file_sha256(archive)
        if digest == OFFICIAL_SHA256:
            return True, True, f"{ARCHIVE}: sha256 matches the official archive"
        if digest == REPACK_SHA256:
            return True, True, f"{ARCHIVE}: sha256 matches the known repack (official layout, no *.feat files)"
        if base is None:
            return True, False, f"{ARCHIVE}: sha256 {digest[:12]}… is not a known digest; counts not checked"
    if base is None:
        return False, False, f"neither {ARCHIVE} nor train/ and test/ in {folder}"
    counts = _count_folder(base)
    summary = ", ".join(f"{k} {n}" for k, n in counts.items())
    verified = all(n == EXPECTED_PER_FOLDER for n in counts.values())
    if verified:
        return True, True, f"unpacked: 25000 train + 25000 test reviews ({summary})"
    return any(counts.values()), False, f"unpacked: {summary}; expected {EXPECTED_PER_FOLDER} each"
