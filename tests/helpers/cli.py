"""Running the ``thumbs`` command line in a child process, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: Long enough for an evaluation of a small table; a hung command still fails the test.
TIMEOUT_SECONDS = 300


def run_thumbs(
    *args: str | Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> subprocess.CompletedProcess[str]:
    """``python -m thumbs ARGS``: exit code, stdout and stderr as text; ``env`` adds to this process's."""
    return subprocess.run(
        [sys.executable, "-m", "thumbs", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
