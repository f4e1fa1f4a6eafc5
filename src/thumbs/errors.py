"""Errors a user can cause.

Every mistake a user can make (a missing file, a bad column, empty input, the
wrong encoding) raises a subclass of :class:`ThumbsError` whose message is one
line saying what went wrong and how to fix it. The CLI prints that line and
exits with :data:`USAGE_EXIT_CODE`; nothing a user does should end in a
traceback.
"""

from __future__ import annotations

USAGE_EXIT_CODE = 2


class ThumbsError(Exception):
    """Base class for errors caused by the user's input or environment."""

    exit_code: int = USAGE_EXIT_CODE


class DataNotFoundError(ThumbsError):
    """A corpus or input file is not where we looked."""


class DataFormatError(ThumbsError):
    """An input file exists but cannot be read as the expected format."""


class ModelFileError(ThumbsError):
    """A saved model file is missing, foreign, tampered with or of an unknown version."""


class DownloadError(ThumbsError):
    """A corpus download failed or did not verify."""
