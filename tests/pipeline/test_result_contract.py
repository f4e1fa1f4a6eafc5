"""The JSON result is a public contract: what 0.1.0 wrote, 0.2.0 still writes under the same names.

``tests/data/result-0.1.0.json`` is a result in 0.1.0's shape (written by hand for this test,
values made up). Every field it has is still in a 0.2.0 result, with a value of the same JSON
type; code written against 0.1.0's results (:func:`_summary`) reads 0.2.0's unchanged.
CHANGELOG.md lists the fields added since.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import thumbs

OLD_RESULT = Path(__file__).parents[1] / "data" / "result-0.1.0.json"


def _shape(value: Any) -> Any:
    """The JSON type tree of a value: dict keys kept, lists by their first item, numbers as one type."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    if isinstance(value, bool) or value is None:
        return type(value).__name__
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _missing(old: Any, new: Any, path: str = "") -> list[str]:
    """Paths of ``old``'s shape absent from ``new``'s, or of another type there."""
    if isinstance(old, dict):
        if not isinstance(new, dict):
            return [path or "/"]
        return [
            p
            for key in old
            for p in (_missing(old[key], new[key], f"{path}/{key}") if key in new else [f"{path}/{key}"])
        ]
    if isinstance(old, list):
        if not isinstance(new, list):
            return [path]
        return _missing(old[0], new[0], path + "[]") if old and new else []
    return [] if old == new or "NoneType" in (old, new) else [f"{path}: {old} -> {new}"]


def _summary(result: dict[str, Any]) -> str:
    """What a 0.1.0 user's script did with a result."""
    top = result["evidence"]["ngrams"][0]
    opinion = [s["text"] for s in result["sentences"] if s["in_extract"]]
    return f"{result['label']} {result['probability']:.2f} {result['stars']}/10 {top['ngram']} {len(opinion)}"


def test_every_field_of_a_0_1_0_result_is_still_written() -> None:
    old = json.loads(OLD_RESULT.read_text(encoding="utf-8"))
    new = thumbs.analyze("A warm, funny film. The ending drags a little.", id="r1").to_dict()
    assert _missing(_shape(old), _shape(new)) == []
    assert set(new) - set(old) == {"coverage", "warnings", "aspects"}


def test_a_0_1_0_reader_reads_both() -> None:
    old = json.loads(OLD_RESULT.read_text(encoding="utf-8"))
    new = json.loads(thumbs.analyze("A warm, funny film. The ending drags a little.").to_json())
    assert _summary(old).startswith("positive 0.87")
    assert _summary(new).split()[0] in {"positive", "negative"}
