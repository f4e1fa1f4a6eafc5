"""``thumbs analyze``: how the writer of each review judged the film, with the evidence.

A thin shell: :mod:`thumbs.batch` reads the inputs and writes the outputs,
:meth:`thumbs.pipeline.model.Model.analyze` does the analysis, :mod:`thumbs.render`
draws the terminal view.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console

from thumbs.batch.engine import read_records, run_batch
from thumbs.errors import ThumbsError
from thumbs.parallel import default_jobs
from thumbs.pipeline.model import load_model
from thumbs.present.terminal import print_analysis

#: Exit code when some records could not be analyzed (user mistakes exit with 2).
EXIT_SOME_FAILED = 1


class OutputFormat(str, Enum):
    terminal = "terminal"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def analyze(
    sources: list[str] = typer.Argument(None, help="Review files, folders, globs, tables (CSV/TSV/JSONL/Parquet), or - for stdin."),
    text_column: str | None = typer.Option(None, "--text-column", help="Column holding the review text (tables)."),
    id_column: str | None = typer.Option(None, "--id-column", help="Column holding each review's id (tables)."),
    model_path: Path | None = typer.Option(None, "--model", "-m", help="A model file (default: the model shipped with thumbs)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per review (JSON Lines), same as --format jsonl."),
    output_format: OutputFormat | None = typer.Option(None, "--format", "-f", help="terminal (default), jsonl, csv or parquet."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write results here (atomically) instead of stdout."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", help="Worker processes (default: all cores)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run into the same --output."),
) -> None:
    """Analyze reviews: label, P(positive), stars, sentences (subjectivity, polarity, extract) and evidence.

    Examples: `thumbs analyze review.txt`, `cat review.txt | thumbs analyze -`,
    `thumbs analyze reviews.csv --text-column review --format parquet -o out.parquet`.
    """
    if not sources:
        raise ThumbsError("give reviews to analyze: a file, folder, glob, table, or - to read stdin")
    chosen = output_format or (OutputFormat.jsonl if as_json or output else OutputFormat.terminal)
    if as_json and output_format not in (None, OutputFormat.jsonl):
        raise ThumbsError("--json and --format disagree: use one of them")
    if chosen in (OutputFormat.csv, OutputFormat.parquet) and output is None:
        raise ThumbsError(f"--format {chosen.value} needs --output FILE")
    if chosen is OutputFormat.terminal and output is not None:
        raise ThumbsError("the terminal view is not written to files: add --format jsonl, csv or parquet")
    records = read_records(sources, text_column=text_column, id_column=id_column)  # checks inputs first
    model = load_model(model_path)
    if chosen is OutputFormat.terminal:
        console = Console()
        failed = 0
        for record in records:
            if record.error is not None:
                result = model.error_result(record.id, record.error)
            else:
                result = model.analyze(record.text or "", id=record.id)
            failed += result.error is not None
            print_analysis(result, console)
        if failed:
            typer.echo(f"{failed} review(s) could not be analyzed", err=True)
            raise typer.Exit(EXIT_SOME_FAILED)
        return
    summary = run_batch(
        model,
        records,
        output=output,
        format=chosen.value,
        jobs=jobs or default_jobs(),
        resume=resume,
    )
    typer.echo(summary.line(), err=True)
    if summary.n_errors:
        raise typer.Exit(EXIT_SOME_FAILED)
