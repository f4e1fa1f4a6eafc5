"""``thumbs evaluate``: reproduce the classic results on a corpus, or score models on your own table.

A thin shell over :mod:`thumbs.evaluation.experiments`: it parses options, shows progress,
and prints the report as a table or as JSON.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from thumbs.cli.tables import FOLD, table_console
from thumbs.corpora import CORPORA
from thumbs.errors import ThumbsError
from thumbs.learn.recipes import RECIPES

if TYPE_CHECKING:
    from rich.table import Table

    from thumbs.evaluation.results import EvaluationReport


def render_table(report: EvaluationReport) -> Table:
    """The report as a rich table, one row per result (calibration and stars columns when measured)."""
    from rich.table import Table

    table = Table(title=f"{report.dataset}: {report.protocol}", title_justify="left")
    extra = [
        (title, attribute)
        for title, attribute in (("ECE", "ece"), ("stars MAE", "stars_mae"), ("stars r", "stars_pearson"))
        if any(getattr(row, attribute) is not None for row in report.results)
    ]
    columns = ["model", "input", "extractor", "accuracy", "std", "words kept", *(t for t, _ in extra), "seconds"]
    for column in columns:  # a narrow terminal folds a cell onto the next line, never cuts it
        left = column in ("model", "input", "extractor")
        table.add_column(column, justify="left" if left else "right", overflow=FOLD)
    for row in report.results:
        measured = [getattr(row, attribute) for _, attribute in extra]
        table.add_row(
            row.model,
            row.input,
            row.extractor or "",
            f"{row.accuracy:.4f}",
            "" if row.std is None else f"{row.std:.4f}",
            "" if row.words_kept is None else f"{row.words_kept:.3f}",
            *("" if value is None else f"{value:.4f}" for value in measured),
            f"{row.seconds:.1f}",
        )
    return table


def evaluate(
    dataset: Annotated[
        str | None, typer.Option("--dataset", "-d", help=f"Corpus to evaluate on: {', '.join(CORPORA)}.")
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help=f"Model(s) to evaluate, repeatable: {', '.join(RECIPES)}, default (the shipped model) or a .thumbs file.",
        ),
    ] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="Your own labelled table (CSV, JSONL or Parquet).")
    ] = None,
    text_column: Annotated[
        str, typer.Option("--text-column", help="Column of --data holding the review text.")
    ] = "text",
    label_column: Annotated[str, typer.Option("--label-column", help="Column of --data holding the label.")] = "label",
    rating_column: Annotated[
        str | None,
        typer.Option(
            "--rating-column", help="Column of --data holding a numeric rating: adds the stars' error (model default)."
        ),
    ] = None,
    id_column: Annotated[str | None, typer.Option("--id-column", help="Column of --data holding an id.")] = None,
    folds: Annotated[
        int, typer.Option("--folds", "-k", help="Folds of cross-validation for mr, subj and --data.")
    ] = 10,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", help="Folder holding the corpora (default: $THUMBS_DATA, else the user data folder)."
        ),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Worker processes for tokenizing (default: all cores).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object with a `results` list.")] = False,
    report_dir: Annotated[
        Path | None,
        typer.Option("--report", help="Also write a self-contained HTML report (table and plots) to DIR/report.html."),
    ] = None,
    allow_trained_data: Annotated[
        bool,
        typer.Option(
            "--allow-trained-data",
            help="Evaluate a model even on data its manifest says it was trained on (rows then say so).",
        ),
    ] = False,
) -> None:
    """Evaluate models by a corpus' standard protocol, or by k-fold on your own labelled table.

    Examples: `thumbs evaluate --dataset polarity`, `thumbs evaluate --dataset imdb --model nbsvm --json`,
    `thumbs evaluate --data reviews.csv --text-column review --label-column stars --folds 5`,
    `thumbs evaluate --dataset polarity --model default --report report/`.
    """
    if (dataset is None) == (data is None):
        raise ThumbsError("give exactly one of --dataset NAME or --data FILE (see `thumbs evaluate --help`)")
    from rich.console import Console

    from thumbs.evaluation.experiments import evaluate_corpus, evaluate_table
    from thumbs.evaluation.predictions import PredictionCollector

    if report_dir is not None:
        from thumbs.present.report import prepare_report_dir

        report_dir = prepare_report_dir(report_dir)  # a mistake here should not wait for the evaluation
    collector = PredictionCollector() if report_dir is not None else None
    written: Path | None = None
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    with err.status("starting") as status:

        def progress(message: str) -> None:
            status.update(message)
            if not err.is_terminal:
                err.print(message)

        skipped: list[str] = []
        if data is not None:
            report, skipped = evaluate_table(
                data,
                text_column=text_column,
                label_column=label_column,
                rating_column=rating_column,
                id_column=id_column,
                models=model,
                folds=folds,
                jobs=jobs,
                progress=progress,
                collector=collector,
                allow_trained_data=allow_trained_data,
            )
        else:
            report = evaluate_corpus(
                str(dataset),
                models=model,
                data_dir=data_dir,
                folds=folds,
                jobs=jobs,
                progress=progress,
                collector=collector,
                allow_trained_data=allow_trained_data,
            )
        if report_dir is not None and collector is not None:
            from thumbs.present.report import write_report

            progress("drawing the report")
            written = write_report(report, collector, report_dir, "thumbs " + shlex.join(sys.argv[1:]))
    for line in skipped:
        err.print(line)
    if skipped:
        err.print(f"{len(skipped)} row(s) skipped")
    if written is not None:
        err.print(f"report written to {written}")
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
        return
    console = table_console()  # full width in a pipe or a file
    console.print(render_table(_marked(report)))
    for note in report.notes:
        console.print(f"  {note}")


def _marked(report: EvaluationReport) -> EvaluationReport:
    """The report with "(trained on this data)" after the model of each row that was (for the table view)."""
    import dataclasses

    rows = tuple(
        dataclasses.replace(row, model=f"{row.model} (trained on this data)") if row.trained_on_this_data else row
        for row in report.results
    )
    return dataclasses.replace(report, results=rows)
