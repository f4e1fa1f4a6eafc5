"""SHA-256 checksums, hex-encoded: of bytes, of a file, of a stream of byte pieces.

Model files record each array's checksum, downloads are checked against the
official archives', and a model's manifest records what it was trained on; all
of them hash here. A leaf module: it imports nothing from thumbs, so every
stage may use it.

>>> bytes_sha256(b"abc")[:16]
'ba7816bf8f01cfea'
>>> stream_sha256([b"a", b"", b"bc"]) == bytes_sha256(b"abc")
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

#: Bytes read from a file at a time: large reads, constant memory for any file size.
FILE_BLOCK = 1 << 20


def bytes_sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def stream_sha256(pieces: Iterable[bytes]) -> str:
    """The hex SHA-256 of the pieces joined, hashed one at a time (the whole is never in memory)."""
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(piece)
    return digest.hexdigest()


def file_sha256(path: str | Path) -> str:
    """The hex SHA-256 of the file at ``path``, read in blocks of :data:`FILE_BLOCK` bytes."""
    with Path(path).open("rb") as handle:
        return stream_sha256(iter(lambda: handle.read(FILE_BLOCK), b""))
