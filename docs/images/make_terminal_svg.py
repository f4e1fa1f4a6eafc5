"""Draw docs/images/terminal.svg: the terminal view of ``thumbs analyze`` on a review written for it.

Run from the repository root, with the shipped default model:

    .venv/bin/python docs/images/make_terminal_svg.py

It prints nothing but the path it wrote. The view is recorded 100 columns wide with rich's
SVG export; the same model and review give the same file.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from rich.console import Console

from thumbs import load_model
from thumbs.present.terminal import analysis_view

#: Written for this picture: plot, praise, a complaint and a negation, on two paragraphs.
REVIEW = """\
A retired lighthouse keeper agrees to look after his granddaughter for one stormy summer on the island.
I didn't expect much from a film this quiet, but it is beautifully shot and the two leads are wonderful \
together. The middle stretch is slow and the subplot about the hotel feels like filler.

Still, the last scene is one of the most moving things I have seen this year, and the score is lovely. \
Not perfect, but I loved it."""

OUT = Path(__file__).with_name("terminal.svg")
WIDTH = 100


def main() -> int:
    analysis = load_model().analyze(REVIEW, id="review.txt")
    console = Console(record=True, width=WIDTH, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    console.print(analysis_view(analysis, REVIEW))
    console.save_svg(str(OUT), title="thumbs analyze review.txt")
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
