"""thumbs: read movie reviews and say how the writer judged the film."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("thumbs")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

from thumbs.errors import ThumbsError

__all__ = ["ThumbsError", "__version__"]
