"""Writing small tables for tests (the reviews in them are written by the tests), and reading the suites' JSON Lines."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """Write ``rows`` (dicts with the same keys) as a CSV with a header; return ``path``."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_suite(path: Path) -> list[dict[str, Any]]:
    """The items of a labelled suite in JSON Lines (blank lines skipped), each checked to be an object."""
    parsed = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all(isinstance(item, dict) for item in parsed)
    return parsed
