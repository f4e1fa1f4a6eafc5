"""Where results may go: the output's format, and every path problem found before any work starts.

A batch must never destroy what it reads nor what it cannot replace, so an output is checked
before a row is read (:func:`check_output`):

* the **format** comes from the extension (:data:`SUFFIX_FORMATS`) unless given; a format that
  contradicts a known extension, or an unknown extension without a format, is refused
  (:func:`output_format`);
* an output that is the **same file as an input** (same device and inode, through any path,
  symlink or hard link) is refused;
* a **regular file** (or a new one) is written to a temporary file beside it and renamed into
  place; a symlink is followed and its target replaced, the link kept;
* anything else (a character device, a FIFO, a socket, ``/dev/stdout``, ``/proc/self/fd/N``)
  is a **stream**: written into directly as results come, never replaced, with no journal
  beside it, so it cannot be resumed;
* a missing folder, a read-only file system, a permission or a full disk is one line
  (:func:`write_error`), found by creating (and removing) a probe file beside the target.
"""

from __future__ import annotations

import errno
import glob
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from thumbs.errors import DataNotFoundError, ThumbsError

#: Output formats, and the one each output extension implies.
OUTPUT_FORMATS = ("jsonl", "json", "csv", "tsv", "parquet")
SUFFIX_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
}
#: Paths that name a descriptor someone already holds: always written in place, never replaced.
DESCRIPTOR_PATHS = re.compile(r"^/(dev/(stdout|stderr|fd/\d+)|proc/(self|\d+)/fd/\d+)$")


@dataclass(frozen=True, slots=True)
class Target:
    """An output checked for writing: the path as named, its real path, and whether it is a stream."""

    path: Path
    real: Path  # symlinks followed: the file that is written (and its folder holds the journal)
    stream: bool  # not a regular file: written into directly, no journal, no resume
    kind: str = "file"  # for messages: "file", "FIFO", "character device", "socket", "descriptor"


def output_format(format: str | None, output: str | Path | None) -> str:
    """``format`` checked against ``output``'s extension, or when None the format the extension implies.

    Without ``output`` (stdout) the default is jsonl. An unknown extension needs ``format``.
    """
    implied = SUFFIX_FORMATS.get(Path(output).suffix.lower()) if output is not None else None
    if format is None:
        if output is None:
            return "jsonl"
        if implied is None:
            names = ", ".join(SUFFIX_FORMATS)
            raise ThumbsError(
                f"cannot tell the format of {output} from its extension: end it in {names}, or pass --format"
            )
        return implied
    fmt = format.lower()
    if fmt not in OUTPUT_FORMATS:
        raise ThumbsError(f"unknown output format {format!r}: use one of {', '.join(OUTPUT_FORMATS)}")
    if implied is not None and implied != fmt:
        raise ThumbsError(
            f"--format {fmt} contradicts the extension of {output} ({implied}): drop --format or rename the output"
        )
    return fmt


def check_output(output: str | Path, *, option: str = "--output", inputs: Iterable[str] = ()) -> Target:
    """``output`` checked for writing (see the module's docstring); raises a one-line :class:`ThumbsError`.

    ``inputs`` are the sources as the user named them (files, folders, globs, ``-``): the output
    may be none of the files they read.
    """
    path = Path(output)
    try:
        info: os.stat_result | None = os.stat(path)  # follows symlinks
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise write_error(exc, path, option) from None
    real = Path(os.path.realpath(path))
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise ThumbsError(f"{option} {path} is a folder: name a file in it")
        same = _same_input(info, inputs)
        if same is not None:
            raise ThumbsError(
                f"{option} {path} is the same file as the input {same}: write the results to another file"
            )
        kind = _kind(info.st_mode, str(path))
        if kind != "file":
            if not os.access(path, os.W_OK):
                raise ThumbsError(f"no permission to write {path} ({option}): choose a file you can write to")
            return Target(path, real, stream=True, kind=kind)
        if not os.access(path, os.W_OK):
            raise ThumbsError(f"{path} is read-only ({option}): make it writable or write the results elsewhere")
    if not real.parent.is_dir():
        raise DataNotFoundError(f"folder {path.parent} for {option} does not exist: create it first")
    _probe(real, path, option)
    return Target(path, real, stream=False)


def write_error(exc: OSError, path: Path, option: str = "--output", then: str = "") -> ThumbsError:
    """``exc``, raised writing ``path``, as one line saying what and how to fix it (``then``: what after)."""
    code = exc.errno
    if code == errno.ENOENT:
        return DataNotFoundError(f"folder {path.parent} for {option} does not exist: create it first")
    if code in (errno.EACCES, errno.EPERM):
        fix = "choose a folder you can write to"
    elif code == errno.EROFS:
        fix = f"{path} is on a read-only file system: write it somewhere else"
        return ThumbsError(f"{fix} ({option}){then}")
    elif code in (errno.ENOSPC, errno.EDQUOT):
        return ThumbsError(f"no space left on the device writing {path} ({option}): free some space{then}")
    elif code == errno.EISDIR:
        return ThumbsError(f"{option} {path} is a folder: name a file in it")
    elif code == errno.ENOTDIR:
        return ThumbsError(f"{option} {path}: part of the path is not a folder: check the path")
    elif code == errno.ELOOP:
        return ThumbsError(f"{option} {path}: its symlinks loop: point it at a real file")
    else:
        return ThumbsError(f"cannot write {path} ({option}): {exc.strerror or exc}{then}")
    return ThumbsError(f"no permission to write {path} ({option}): {fix}{then}")


def _kind(mode: int, named: str) -> str:
    """What an existing output is: "file" (replaced atomically) or the kind of stream written in place."""
    if DESCRIPTOR_PATHS.match(os.path.abspath(named)):
        return "descriptor"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _probe(real: Path, path: Path, option: str) -> None:
    """Create and remove a file beside ``real``: a read-only or forbidden folder fails here, before any work."""
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".probe", dir=real.parent)
    except OSError as exc:
        raise write_error(exc, path, option) from None
    os.close(descriptor)
    os.unlink(name)


def _same_input(output: os.stat_result, inputs: Iterable[str]) -> str | None:
    """The first input that is the same file as ``output`` (device and inode), or None."""
    for name, info in _input_files(inputs):
        if (info.st_dev, info.st_ino) == (output.st_dev, output.st_ino):
            return name
    return None


def _input_files(sources: Iterable[str]) -> Iterator[tuple[str, os.stat_result]]:
    """Each file the sources read, with its stat: files, ``*.txt`` under folders, glob matches, stdin."""
    for source in sources:
        source = str(source)
        try:
            if source == "-":
                yield "- (stdin)", os.fstat(sys.stdin.fileno())
            elif os.path.isdir(source):
                yield from ((name, os.stat(name)) for name in _text_files(source))
            elif os.path.exists(source):
                yield source, os.stat(source)
            elif glob.has_magic(source):
                yield from _input_files(sorted(glob.glob(source, recursive=True)))
        except (OSError, ValueError, AttributeError):  # stdin closed or replaced, a file gone: not ours to check
            continue


def _text_files(folder: str) -> Iterator[str]:
    """The ``*.txt`` files under ``folder`` that :mod:`thumbs.batch.sources` reads (hidden ones skipped)."""
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            if not name.startswith(".") and name.lower().endswith(".txt"):
                yield os.path.join(root, name)
