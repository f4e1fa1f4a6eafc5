"""Running the ``thumbs`` command line inside the test process (much faster than a child process)."""

from __future__ import annotations

import contextlib
import io
import sys
from dataclasses import dataclass
from unittest import mock

from thumbs.cli import main


@dataclass(frozen=True)
class Ran:
    """What one in-process run of ``thumbs`` gave: exit code, stdout and stderr."""

    returncode: int
    stdout: str
    stderr: str


def run_in_process(*args: str) -> Ran:
    """``thumbs ARGS`` through :func:`thumbs.cli.main`, with ``sys.argv`` patched and ``SystemExit`` caught.

    Any other exception propagates (to the test): that is the traceback a user would see.
    """
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with (
        mock.patch.object(sys, "argv", ["thumbs", *args]),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            main()
        except SystemExit as exc:
            code = exc.code
    return Ran(code if isinstance(code, int) else (0 if code is None else 1), out.getvalue(), err.getvalue())
