"""``thumbs analyze``: how the writer of each review judged the film, with the evidence.

A thin shell: :mod:`thumbs.batch` reads the inputs and writes the outputs,
:meth:`thumbs.pipeline.model.Model.analyze_batch` does the analysis,
:mod:`thumbs.present.terminal` draws the terminal view. The heavy modules are
imported inside the command, so ``thumbs --help`` stays instant.
"""

from __future__ import annotations

import shlex
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from thumbs.cli.options import AspectsFile, Cluster, Jobs, ModelPath, PartitionRows, Resume, Scheduler, SharedModel
from thumbs.errors import ThumbsError

if TYPE_CHECKING:
    from thumbs.batch.engine import BatchInterrupted

#: Exit code when some records could not be analyzed (user mistakes exit with 2).
EXIT_SOME_FAILED = 1
#: Exit code after Ctrl-C or SIGTERM (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


class OutputFormat(StrEnum):
    terminal = "terminal"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    parquet = "parquet"


def analyze(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="Review files, folders, globs, tables (CSV/TSV/JSONL/Parquet), or - for stdin."),
    ] = None,
    text_column: Annotated[
        str | None, typer.Option("--text-column", help="Column holding the review text (tables).")
    ] = None,
    id_column: Annotated[
        str | None, typer.Option("--id-column", help="Column holding each review's id (tables).")
    ] = None,
    model_path: ModelPath = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per review (JSON Lines), same as --format jsonl.")
    ] = False,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="terminal (default), jsonl, json, csv, tsv or parquet (default with --output: from its extension).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write results here (atomically; a FIFO or device as they come) instead of stdout."
        ),
    ] = None,
    jobs: Jobs = None,
    aspects_file: AspectsFile = None,
    resume: Resume = False,
    keep: Annotated[
        list[str] | None,
        typer.Option(
            "--keep",
            help="Copy this column of a table into each result (repeat for more): --keep film, for thumbs summarize.",
        ),
    ] = None,
    scheduler: Scheduler = None,
    cluster: Cluster = None,
    partition_rows: PartitionRows = None,
    shared_model: SharedModel = False,
) -> None:
    """Analyze reviews: label, P(positive), stars, sentences (subjectivity, polarity, extract) and evidence.

    Examples: `thumbs analyze review.txt`, `cat review.txt | thumbs analyze -`,
    `thumbs analyze reviews.csv --text-column review --format parquet -o out.parquet`,
    `thumbs analyze reviews.csv --text-column review --keep film --json -o analyzed.jsonl`;
    on a Dask cluster, into a folder of Parquet files:
    `thumbs analyze reviews/ --text-column review --cluster local:4 -o analyzed/`.
    """
    if not sources:
        raise ThumbsError("give reviews to analyze: a file, folder, glob, table, or - to read stdin")
    if scheduler is not None or cluster is not None:
        _analyze_on_cluster(
            sources,
            output,
            model_path,
            aspects_file,
            text_column,
            id_column,
            tuple(keep or ()),
            scheduler=scheduler,
            cluster=cluster,
            output_format=output_format,
            as_json=as_json,
            jobs=jobs,
            resume=resume,
            partition_rows=partition_rows,
            shared_model=shared_model,
        )
        return
    if partition_rows is not None or shared_model:
        flag = "--partition-rows" if partition_rows is not None else "--shared-model"
        raise ThumbsError(f"{flag} is for a cluster: add --scheduler ADDRESS or --cluster local:N")
    if as_json and output_format not in (None, OutputFormat.jsonl):
        raise ThumbsError("--json and --format disagree: use one of them")
    chosen = output_format or (OutputFormat.jsonl if as_json else None)
    if chosen is None and output is None:
        chosen = OutputFormat.terminal
    if chosen not in (None, OutputFormat.terminal, OutputFormat.jsonl) and output is None:
        raise ThumbsError(f"--format {chosen} needs --output FILE")
    if chosen is OutputFormat.terminal and output is not None:
        raise ThumbsError("the terminal view is not written to files: add --format jsonl, csv or parquet")
    kept = tuple(keep or ())
    if kept and chosen is OutputFormat.terminal:
        raise ThumbsError("--keep adds columns to results written out: add --json, or --output FILE")

    from thumbs.batch.targets import check_output
    from thumbs.batch.targets import output_format as batch_format

    target = None
    if resume and output is None:
        raise ThumbsError("--resume needs --output FILE: results written to stdout cannot be resumed")
    if output is not None:  # every path problem, before the inputs are read or the model loaded
        target = check_output(output, inputs=sources)
        batch_format(chosen, output)

    from thumbs.batch.engine import BatchInterrupted, run_batch
    from thumbs.batch.sources import read_records
    from thumbs.parallel import default_jobs
    from thumbs.pipeline.model import load_model
    from thumbs.text.aspect_terms import user_aspects

    terms = user_aspects(aspects_file) if aspects_file is not None else None  # a bad file: before any work

    records = read_records(sources, text_column=text_column, id_column=id_column, extra_columns=kept)  # checked first
    model = load_model(model_path)
    if terms is not None:
        model = model.with_aspects(terms)
    if chosen is OutputFormat.terminal:
        from rich.console import Console

        from thumbs.present.terminal import print_analysis, run_summary

        console = Console()
        n = failed = warned = 0
        for record in records:
            if record.error is not None:
                result = model.error_result(record.id, record.error)
            else:
                result = model.analyze(record.text or "", id=record.id)
            n += 1
            failed += result.error is not None
            warned += bool(result.warnings)
            print_analysis(result, console, text=record.text)
        if n > 1 or failed or warned:
            typer.echo(run_summary(n, failed=failed, warned=warned), err=True)
        if failed:
            raise typer.Exit(EXIT_SOME_FAILED)
        return
    try:
        summary = run_batch(
            model,
            records,
            output=target,
            format=chosen,
            jobs=jobs or default_jobs(),
            resume=resume,
            keep=kept,
        )
    except BatchInterrupted as stop:
        typer.echo(interrupted_line(stop, sys.argv[1:]), err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    typer.echo(summary.line(), err=True)
    if summary.n_errors:
        raise typer.Exit(EXIT_SOME_FAILED)


def _analyze_on_cluster(
    sources: list[str],
    output: Path | None,
    model_path: Path | None,
    aspects_file: Path | None,
    text_column: str | None,
    id_column: str | None,
    kept: tuple[str, ...],
    *,
    scheduler: str | None,
    cluster: str | None,
    output_format: OutputFormat | None,
    as_json: bool,
    jobs: int | None,
    resume: bool,
    partition_rows: int | None,
    shared_model: bool,
) -> None:
    """``thumbs analyze --scheduler/--cluster``: the results as a folder of Parquet files, one a partition."""
    if as_json or output_format not in (None, OutputFormat.parquet):
        said = "--json" if as_json else f"--format {output_format}"
        raise ThumbsError(f"{said}: on a cluster the results are a folder of Parquet files (drop {said})")
    if output is None:
        raise ThumbsError("on a cluster the results go to a folder of Parquet files: pass --output FOLDER")
    if jobs is not None:
        raise ThumbsError("--jobs is for one machine: a cluster's workers are its processes (--cluster local:N)")

    from thumbs.dask.datasets import DatasetInterrupted, Reading
    from thumbs.dask.runs import PARTITION_ROWS, analyze_on_cluster
    from thumbs.pipeline.model import load_model
    from thumbs.text.aspect_terms import user_aspects

    terms = user_aspects(aspects_file) if aspects_file is not None else None
    model = load_model(model_path)
    if terms is not None:
        model = model.with_aspects(terms)
    try:
        summary = analyze_on_cluster(
            sources,
            output,
            model,
            scheduler=scheduler,
            cluster=cluster,
            reading=Reading(text_column, id_column, kept),
            partition_rows=PARTITION_ROWS if partition_rows is None else partition_rows,
            shared_model=shared_model,
            resume=resume,
        )
    except DatasetInterrupted as stop:
        argv = sys.argv[1:]
        again = shlex.join(["thumbs", *argv, *([] if "--resume" in argv else ["--resume"])])
        typer.echo(f"interrupted: {stop} in {stop.output}; to go on, run: {again}", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    typer.echo(summary.line(), err=True)
    if summary.n_errors:
        raise typer.Exit(EXIT_SOME_FAILED)


def interrupted_line(stop: BatchInterrupted, argv: list[str]) -> str:
    """One line after Ctrl-C: how many reviews are done, and the exact command that resumes (when one can)."""
    if stop.journal is None:
        where = "stdout" if stop.output == "-" else stop.output
        return f"interrupted: {stop.done:,} reviews written to {where} (it cannot be resumed: run again to redo them)"
    again = ["thumbs", *argv, *([] if "--resume" in argv else ["--resume"])]
    return f"interrupted: {stop.done:,} reviews done and kept in {stop.journal}; to go on, run: {shlex.join(again)}"
