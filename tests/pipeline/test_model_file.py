"""Model files: JSON manifest + NumPy arrays, verified on load, never unpickled."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from thumbs.errors import ModelFileError
from thumbs.pipeline.model_file import FORMAT_NAME, FORMAT_VERSION, load_model_file, save_model_file


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "m.thumbs"
    save_model_file(path, {"recipe": "demo", "metrics": {"accuracy": 0.9}}, {"w": np.arange(5.0), "ids": np.arange(3)})
    return path


def _rewrite(path: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, data in change.items():
        if data is None:
            members.pop(name)
        else:
            members[name] = data
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_round_trip(saved: Path) -> None:
    manifest, arrays = load_model_file(saved)
    assert manifest["recipe"] == "demo" and manifest["format_version"] == FORMAT_VERSION
    assert arrays["w"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0] and arrays["ids"].dtype.kind == "i"


def test_manifest_reads_back_with_what_it_records_of_each_array(saved: Path) -> None:
    """The manifest as saved (the caller's fields kept), plus each array's dtype, shape and the SHA-256 of its member."""
    manifest, _ = load_model_file(saved)
    assert manifest["format"] == FORMAT_NAME and manifest["metrics"] == {"accuracy": 0.9}
    with zipfile.ZipFile(saved) as archive:
        digest = hashlib.sha256(archive.read("arrays/w.npy")).hexdigest()
    assert manifest["arrays"]["w"] == {"sha256": digest, "dtype": np.dtype(np.float64).str, "shape": [5]}
    assert set(manifest["arrays"]) == {"w", "ids"}


def test_object_arrays_are_refused_at_save(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="numeric"):
        save_model_file(tmp_path / "x.thumbs", {}, {"bad": np.array([{"a": 1}], dtype=object)})


def test_altered_array_is_refused(saved: Path) -> None:
    with zipfile.ZipFile(saved) as archive:
        blob = bytearray(archive.read("arrays/w.npy"))
    blob[-1] ^= 0xFF
    _rewrite(saved, {"arrays/w.npy": bytes(blob)})
    with pytest.raises(ModelFileError, match="was modified: array 'w'"):
        load_model_file(saved)


def test_extra_member_is_refused(saved: Path) -> None:
    _rewrite(saved, {"arrays/payload.pkl": b"\x80\x04"})
    with pytest.raises(ModelFileError, match="does not list"):
        load_model_file(saved)


def test_missing_array_is_refused(saved: Path) -> None:
    _rewrite(saved, {"arrays/ids.npy": None})
    with pytest.raises(ModelFileError, match="missing"):
        load_model_file(saved)


def test_newer_version_is_refused(saved: Path) -> None:
    with zipfile.ZipFile(saved) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["format_version"] = FORMAT_VERSION + 1
    _rewrite(saved, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(ModelFileError, match="upgrade thumbs"):
        load_model_file(saved)


@pytest.mark.parametrize(
    "content", [b"", b"not a zip at all", b"PK\x03\x04 truncated"], ids=["empty", "text", "truncated"]
)
def test_foreign_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "foreign.thumbs"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match="not a thumbs model file"):
        load_model_file(path)


def test_zip_of_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "something-else"}))
    with pytest.raises(ModelFileError, match="not a thumbs model file"):
        load_model_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="not found"):
        load_model_file(tmp_path / "nope.thumbs")
