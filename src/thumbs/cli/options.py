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
#: ``--scheduler ADDRESS``: run on a Dask cluster whose scheduler runs there.
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler", help="Run on the Dask cluster of this scheduler (tcp://HOST:8786); needs thumbs[dask]."
    ),
]
#: ``--cluster local:N``: run on a Dask cluster of N local worker processes, started for the run.
Cluster = Annotated[
    str | None,
    typer.Option("--cluster", help="Run on a Dask cluster of N worker processes started here: local:N."),
]
#: ``--partition-rows N``: reviews a cluster's task reads, analyzes and writes at a time.
PartitionRows = Annotated[
    int | None,
    typer.Option("--partition-rows", help="Reviews a partition holds on a cluster (default 10,000)."),
]
#: ``--shared-model``: the workers read the model file at its path instead of receiving it.
SharedModel = Annotated[
    bool,
    typer.Option(
        "--shared-model", help="On a cluster: the workers read the model file at the same path (shared storage)."
    ),
]
