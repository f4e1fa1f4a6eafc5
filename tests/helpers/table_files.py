"""Writing small tables for tests (the reviews in them are written by the tests)."""

from __future__ import annotations

import csv
from pathlib import Path


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """Write ``rows`` (dicts with the same keys) as a CSV with a header; return ``path``."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
