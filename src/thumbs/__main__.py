"""``python -m thumbs``: the same as the ``thumbs`` command."""

from __future__ import annotations

from thumbs.cli import main

if __name__ == "__main__":
    main()
