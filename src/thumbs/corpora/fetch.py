"""Downloading a corpus from its official address and unpacking it where the loaders look.

All-or-nothing: the archive is downloaded into a temporary folder inside the data directory,
checked (size and sha256 where known, then the unpacked layout), unpacked into that same
temporary folder, and only then renamed into place. Any failure, Ctrl-C included, removes the
temporary folder, so a corpus folder is either complete or absent. Renaming within one folder
keeps the final step atomic on the same file system.
"""

from __future__ import annotations

import http.client
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zlib
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from thumbs.checksums import file_sha256
from thumbs.corpora import CorpusInfo, corpus_status, get_corpus, resolve_data_dir
from thumbs.errors import DownloadError, ThumbsError

CHUNK = 1 << 16
TIMEOUT_S = 60.0
USER_AGENT = "thumbs-corpus-fetch (+https://pypi.org/project/thumbs)"


def fetch_corpus(
    name: str,
    data_dir: str | Path | None = None,
    *,
    url: str | None = None,
    progress: bool = True,
    force: bool = False,
    sha256: str | None = None,
) -> Path:
    """Download corpus ``name`` into the data directory and return its folder.

    ``url`` replaces the official address (a mirror, or a local server in tests). ``sha256``
    replaces the known digests of the official archive (needed for a mirror serving different
    bytes; without a known digest only the unpacked layout is checked). A corpus that is already
    there and verified is left alone unless ``force``; one that is there but incomplete needs
    ``force`` to be replaced. Raises :class:`DownloadError` with a one-line reason.
    """
    info = get_corpus(name)
    source = url or info.url
    scheme = urllib.parse.urlsplit(source).scheme.lower()
    if scheme not in ("http", "https", "ftp", "file"):
        raise DownloadError(f"cannot download from {source!r}: give an http://, https://, ftp:// or file:// URL")
    root = resolve_data_dir(data_dir)
    final = root / info.folder
    if final.exists() and not force:
        status = corpus_status(name, root)
        if status.verified:
            return final
        raise DownloadError(
            f"{final} already exists but is not a complete '{name}' corpus ({status.detail}): "
            f"rerun with --force to replace it"
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{info.folder}.part-", dir=root))
    except OSError as exc:
        raise DownloadError(
            f"cannot write to the data directory {root} ({exc.strerror or exc}): "
            f"pass --data-dir or set THUMBS_DATA to a writable folder"
        ) from None
    try:
        archive = work / "download.tar.gz"
        _download(source, archive, progress=progress, label=name)
        _verify(info, archive, sha256)
        staged = _unpack(info, archive, work)
        _install(staged, final, work)
    except OSError as exc:
        raise DownloadError(
            f"could not store '{name}' in {root} ({exc.strerror or exc}): "
            f"check free space and permissions, or pass --data-dir"
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def _download(url: str, dest: Path, *, progress: bool, label: str) -> None:
    """Stream ``url`` into ``dest``; a short or failed transfer raises DownloadError."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT_S)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"download of {url} failed: HTTP {exc.code} {exc.reason}; check the URL") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        raise DownloadError(f"download of {url} failed: {_reason(exc)}; check the URL and your connection") from None
    with response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        received = 0
        bar = _progress_bar() if progress else nullcontext()
        with bar as shown, dest.open("wb") as out:
            task = shown.add_task(f"{label}", total=total) if shown is not None else None
            while True:
                try:
                    block = response.read(CHUNK)
                except (OSError, http.client.HTTPException) as exc:
                    raise DownloadError(
                        f"download of {url} broke off after {received} bytes ({_reason(exc)}): try again"
                    ) from None
                if not block:
                    break
                out.write(block)
                received += len(block)
                if shown is not None:
                    shown.update(task, advance=len(block))
    if total is not None and received != total:
        raise DownloadError(f"download of {url} broke off: got {received} of {total} bytes; try again")


def _reason(exc: BaseException) -> str:
    """A short, one-line reason for a network error."""
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        if not isinstance(exc.reason, BaseException):
            return " ".join(str(exc.reason).split())
        exc = exc.reason
    if isinstance(exc, TimeoutError):
        return f"no answer within {TIMEOUT_S:.0f} s"
    if isinstance(exc, http.client.IncompleteRead):
        return "the server closed the connection early"
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())


def _progress_bar() -> Any:
    """A rich download bar on stderr: size done/total, speed, time left."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )


def _verify(info: CorpusInfo, archive: Path, sha256: str | None) -> None:
    """Check size and sha256 against the expected digest (``sha256``) or the known ones."""
    digests = (sha256.lower(),) if sha256 else info.archive_sha256
    size = archive.stat().st_size
    if not sha256 and info.archive_size and size not in info.archive_size:
        sizes = " or ".join(f"{s:,}" for s in info.archive_size)
        raise DownloadError(
            f"the {info.name} archive is {size:,} bytes, expected {sizes}: "
            f"the download is damaged or not the official file; try again"
        )
    if not digests:
        return
    actual = file_sha256(archive)
    if actual not in digests:
        raise DownloadError(
            f"the {info.name} archive has sha256 {actual}, expected {' or '.join(digests)}: "
            f"the download is damaged or not the official file; try again or check --url/--sha256"
        )


def _unpack(info: CorpusInfo, archive: Path, work: Path) -> Path:
    """Lay the archive out as the loader expects, inside ``work``; return the folder to install.

    The result is ``work/stage/<folder>``, so the corpus's own status check can run on
    ``work/stage`` exactly as it will on the data directory.
    """
    stage = work / "stage"
    stage.mkdir()
    staged = stage / info.folder
    if info.keep_archive:
        _check_members(info, archive, first_only=True)
        staged.mkdir()
        os.replace(archive, staged / info.keep_archive)
    else:
        _check_members(info, archive, first_only=False)
        extracted = work / "extract"
        extracted.mkdir()
        _extract(info, archive, extracted)
        if info.archive_root:
            inner = extracted / info.archive_root
            if not inner.is_dir():
                raise DownloadError(
                    f"the {info.name} archive has no {info.archive_root}/ folder: "
                    f"it is not the official archive; check --url"
                )
            # Keep top-level extras (the README) with the data.
            for extra in extracted.iterdir():
                if extra != inner and not (inner / extra.name).exists():
                    os.replace(extra, inner / extra.name)
            os.replace(inner, staged)
        else:
            os.replace(extracted, staged)
        archive.unlink()
    try:
        present, _verified, detail = info.status(stage)
    except ThumbsError:
        present, detail = False, "files the loader needs are missing"
    if not present:
        raise DownloadError(
            f"the {info.name} archive does not hold the expected files ({detail}): "
            f"it is not the official archive; check --url"
        )
    return staged


def _check_members(info: CorpusInfo, archive: Path, *, first_only: bool) -> None:
    """Refuse archives that are not gzip tars, or whose members would land outside the folder."""
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            for member in tar:
                _check_member(info, member)
                if first_only:
                    return
    except (tarfile.TarError, zlib.error, EOFError) as exc:
        raise DownloadError(
            f"the {info.name} download is not a readable .tar.gz ({exc}): check --url and try again"
        ) from None
    except OSError as exc:
        if exc.errno is not None:
            raise
        raise DownloadError(
            f"the {info.name} download is not a readable .tar.gz ({exc}): check --url and try again"
        ) from None


def _check_member(info: CorpusInfo, member: tarfile.TarInfo) -> None:
    name = member.name
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
        raise DownloadError(
            f"the {info.name} archive holds the unsafe path {name!r}: refusing to unpack it; "
            f"it is not the official archive"
        )
    if not (member.isfile() or member.isdir()):
        raise DownloadError(
            f"the {info.name} archive holds {name!r}, which is not a plain file or folder: "
            f"refusing to unpack it; it is not the official archive"
        )


def _extract(info: CorpusInfo, archive: Path, dest: Path) -> None:
    """Extract every member under ``dest`` (through tarfile's 'data' filter where available)."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(dest, filter=_readable)
            else:  # pragma: no cover - Python < 3.11.4; members were checked by _check_members
                tar.extractall(dest)
    except getattr(tarfile, "FilterError", tarfile.TarError) as exc:  # pragma: no cover
        raise DownloadError(f"the {info.name} archive holds an unsafe member ({exc}): refusing to unpack it") from None
    except (tarfile.TarError, zlib.error, EOFError) as exc:
        raise DownloadError(f"the {info.name} download is not a readable .tar.gz ({exc}): try again") from None


def _readable(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo:
    """tarfile's 'data' filter, plus plain permissions (the Cornell archives carry mode 0600)."""
    member = tarfile.data_filter(member, dest)
    return member.replace(mode=0o755 if member.isdir() else 0o644, deep=False)


def _install(staged: Path, final: Path, work: Path) -> None:
    """Move ``staged`` to ``final``; an old folder (``--force``) is swapped out, then removed."""
    old = work / "old"
    if final.exists():
        os.replace(final, old)
    try:
        os.replace(staged, final)
    except BaseException:
        if old.exists() and not final.exists():
            os.replace(old, final)  # put the previous corpus back
        raise
