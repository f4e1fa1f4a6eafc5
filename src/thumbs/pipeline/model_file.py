"""The saved-model format: a JSON manifest plus NumPy arrays in one file, no pickle.

A thumbs model file is a ZIP archive (``.thumbs``) holding

* ``manifest.json``: the format name and version, what the model is (its
  recipe, the training data's checksums, its measured metrics, its settings),
  and for every array its dtype, shape and SHA-256;
* ``arrays/NAME.npy``: each array in NumPy's own format, read with
  ``allow_pickle=False`` so that no code can ride along.

Loading checks everything before trusting anything: that the file is a ZIP with
a manifest of this format and a version this thumbs reads, that every array the
manifest names is there with the recorded digest, dtype and shape, and nothing
else is. A tampered, truncated or foreign file is refused with one line that
says so (:class:`~thumbs.errors.ModelFileError`).

Example
-------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.thumbs"
>>> save_model_file(path, {"recipe": "demo"}, {"weights": np.arange(3.0)})
>>> manifest, arrays = load_model_file(path)
>>> manifest["recipe"], arrays["weights"].tolist()
('demo', [0.0, 1.0, 2.0])
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from thumbs.checksums import bytes_sha256
from thumbs.errors import ModelFileError

#: What the manifest's ``format`` field says in every thumbs model file.
FORMAT_NAME = "thumbs-model"
#: The layout version this code writes; it reads this one and older ones it knows.
FORMAT_VERSION = 1
READABLE_VERSIONS = frozenset({1})
MANIFEST_NAME = "manifest.json"
ARRAY_FOLDER = "arrays/"
#: dtypes a model may store: numbers and bytes only (an object array would need pickle).
ALLOWED_DTYPE_KINDS = frozenset("biuf")


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def save_model_file(path: str | Path, manifest: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``manifest`` and ``arrays`` to ``path`` atomically (temporary file, then rename).

    ``manifest`` must be JSON-serializable; array names must be simple
    (letters, digits, ``_ . -``) and arrays numeric.
    """
    path = Path(path)
    entries: dict[str, dict[str, Any]] = {}
    blobs: dict[str, bytes] = {}
    for name, array in arrays.items():
        array = np.asarray(array)
        if not name or not all(ch.isalnum() or ch in "_.-" for ch in name):
            raise ValueError(f"array name {name!r} must be letters, digits, '_', '.' or '-'")
        if array.dtype.kind not in ALLOWED_DTYPE_KINDS:
            raise ValueError(f"array {name!r} has dtype {array.dtype}: only numeric arrays can be saved")
        blob = _npy_bytes(array)
        blobs[name] = blob
        entries[name] = {"sha256": bytes_sha256(blob), "dtype": array.dtype.str, "shape": list(array.shape)}
    document = {**dict(manifest), "format": FORMAT_NAME, "format_version": FORMAT_VERSION, "arrays": entries}
    manifest_bytes = json.dumps(document, indent=2, sort_keys=True).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST_NAME, manifest_bytes)
            for name, blob in blobs.items():
                archive.writestr(f"{ARRAY_FOLDER}{name}.npy", blob)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp's 0600 would hide a shipped model from other users
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_model_file(path: str | Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read and verify a model file: ``(manifest, arrays)``.

    Raises :class:`~thumbs.errors.ModelFileError` (one line) when the file is
    missing, not a thumbs model, of an unknown version, or altered.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(
            f"model file {path} not found: give the path of a .thumbs file (thumbs train --out makes one)"
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise ModelFileError(f"{path} is not a thumbs model file (not a ZIP archive with a manifest)") from None
    with archive:
        names = set(archive.namelist())
        if MANIFEST_NAME not in names:
            raise ModelFileError(f"{path} is not a thumbs model file (it has no {MANIFEST_NAME})")
        try:
            manifest = json.loads(archive.read(MANIFEST_NAME).decode("utf-8"))
        except (ValueError, UnicodeDecodeError, zipfile.BadZipFile):
            raise ModelFileError(f"{path} is damaged: its manifest is not valid JSON") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
            raise ModelFileError(f"{path} is not a thumbs model file (its manifest is not a {FORMAT_NAME} manifest)")
        version = manifest.get("format_version")
        if version not in READABLE_VERSIONS:
            raise ModelFileError(
                f"{path} is a version {version} model file; this thumbs reads version "
                f"{', '.join(map(str, sorted(READABLE_VERSIONS)))}: upgrade thumbs or retrain the model"
            )
        entries = manifest.get("arrays")
        if not isinstance(entries, dict):
            raise ModelFileError(f"{path} is damaged: its manifest lists no arrays")
        expected = {f"{ARRAY_FOLDER}{name}.npy" for name in entries}
        extra = names - expected - {MANIFEST_NAME}
        if extra:
            raise ModelFileError(f"{path} was modified: it holds files its manifest does not list ({sorted(extra)[0]})")
        arrays: dict[str, np.ndarray] = {}
        for name, entry in entries.items():
            member = f"{ARRAY_FOLDER}{name}.npy"
            if member not in names:
                raise ModelFileError(f"{path} is damaged: array {name!r} is missing")
            try:
                blob = archive.read(member)
            except (zipfile.BadZipFile, OSError, EOFError):  # CRC errors and truncation
                raise ModelFileError(f"{path} is damaged: array {name!r} cannot be read") from None
            if bytes_sha256(blob) != entry.get("sha256"):
                raise ModelFileError(f"{path} was modified: array {name!r} does not match its checksum")
            try:
                array = np.load(io.BytesIO(blob), allow_pickle=False)
            except ValueError:
                raise ModelFileError(f"{path} is damaged: array {name!r} is not a plain NumPy array") from None
            if array.dtype.str != entry.get("dtype") or list(array.shape) != entry.get("shape"):
                raise ModelFileError(
                    f"{path} was modified: array {name!r} has another dtype or shape than its manifest says"
                )
            arrays[name] = array
    return manifest, arrays


def model_fingerprint(
    manifest: Mapping[str, Any], arrays: Callable[[], Mapping[str, NDArray[Any]]], aspects: Any = None
) -> str:
    """A digest of a model: its manifest, with each array's SHA-256 (a loaded file's manifest lists them;
    otherwise ``arrays()`` are hashed), and the ``aspects`` it judges (JSON values, or None)."""
    described = dict(manifest)
    if "arrays" not in described:
        described["arrays"] = {name: bytes_sha256(np.ascontiguousarray(a).tobytes()) for name, a in arrays().items()}
    described["judged_aspects"] = aspects
    return bytes_sha256(json.dumps(described, sort_keys=True, default=str).encode("utf-8"))
