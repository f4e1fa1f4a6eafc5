"""Options several commands share, declared once: the same flag, type and help wherever it appears."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

#: ``--model FILE``: a model file instead of the shipped one.
ModelPath = Annotated[
    Path | None, typer.Option("--model", "-m", help="A model file (default: the model shipped with thumbs).")
]
#: ``--jobs N``: worker processes for a batch.
Jobs = Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes (default: all cores).")]
#: ``--aspects FILE``: a user's aspects, added to the built-in ones.
AspectsFile = Annotated[
    Path | None,
    typer.Option(
        "--aspects", help="A TOML or JSON file of your own aspects (name -> terms), added to the built-in ones."
    ),
]
#: ``--resume``: carry on an interrupted batch from its journal.
Resume = Annotated[bool, typer.Option("--resume", help="Continue an interrupted run into the same --output.")]
