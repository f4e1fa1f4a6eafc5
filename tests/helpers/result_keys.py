"""The keys of one analysis as JSON (a line of ``thumbs analyze --json``, the body of ``POST /v1/analyze``).

Written out, not read from the code, so that a key renamed or dropped fails the tests that use it.
"""

from __future__ import annotations

#: Keys of every analysis object.
ANALYSIS_KEYS = frozenset(
    {
        "id",
        "label",
        "probability",
        "stars",
        "score",
        "coverage",
        "warnings",
        "sentences",
        "evidence",
        "error",
        "aspects",
    }
)
