"""``thumbs summarize``: what the reviews of each film say, one row a film.

A thin shell: :mod:`thumbs.batch.sources` reads the inputs (with the group and date columns),
:mod:`thumbs.summary` analyzes and folds them, and the output is a terminal table, JSON Lines,
CSV or Parquet.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from thumbs.cli.options import AspectsFile, Cluster, Jobs, ModelPath, PartitionRows, Resume, Scheduler, SharedModel
from thumbs.errors import ThumbsError

if TYPE_CHECKING:
    from thumbs.batch.targets import Target
    from thumbs.pipeline.model import Model
    from thumbs.summary.films import FilmSummary


class SummaryFormat(StrEnum):
    terminal = "terminal"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


#: Output formats by the output file's extension (the others a batch knows, .json and .tsv, are refused).
_BY_EXTENSION = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}


def summarize(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Tables of reviews (CSV/TSV/JSONL/Parquet), or - for stdin.")
    ] = None,
    text_column: Annotated[str | None, typer.Option("--text-column", help="Column holding the review text.")] = None,
    group_by: Annotated[
        str | None, typer.Option("--group-by", help="Column naming each review's film (or any group).")
    ] = None,
    group_by_folder: Annotated[
        bool, typer.Option("--group-by-folder", help="A folder per film: each review file's folder is its film.")
    ] = False,
    id_column: Annotated[str | None, typer.Option("--id-column", help="Column holding each review's id.")] = None,
    date_column: Annotated[
        str | None, typer.Option("--date-column", help="Column holding each review's date: adds the months.")
    ] = None,
    model_path: ModelPath = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per film (JSON Lines).")] = False,
    output_format: Annotated[
        SummaryFormat | None,
        typer.Option(
            "--format", "-f", help="terminal (default), jsonl, csv or parquet (with --output: its extension)."
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the summaries here.")] = None,
    jobs: Jobs = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Also write one self-contained HTML page of the films into this folder."),
    ] = None,
    aspects_file: AspectsFile = None,
    resume: Resume = False,
    scheduler: Scheduler = None,
    cluster: Cluster = None,
    partition_rows: PartitionRows = None,
    shared_model: SharedModel = False,
) -> None:
    """Summarize reviews per film: share positive with its interval, stars, aspects, quotes, phrases.

    Examples: `thumbs summarize reviews.csv --text-column review --group-by film --date-column date`;
    `thumbs summarize films/ --group-by-folder` (films/Vertigo/*.txt, films/Cats/*.txt, ...);
    `thumbs summarize analyzed.jsonl --group-by film` (an earlier `thumbs analyze --json --keep film`
    output: nothing is analyzed twice).
    """
    if not sources:
        raise ThumbsError("give reviews to summarize: a table (CSV, TSV, JSONL, Parquet), a folder of folders, or -")
    if group_by is not None and group_by_folder:
        raise ThumbsError("--group-by and --group-by-folder disagree: group by a column or by folders, not both")
    if group_by is None and not group_by_folder:
        raise ThumbsError(
            "pass --group-by COLUMN (the column that names each review's film) or --group-by-folder (a folder per film)"
        )
    if date_column is not None and group_by is None:
        raise ThumbsError("--date-column needs --group-by COLUMN: review files have no date column")
    from thumbs.summary.run import is_analyses

    analyzed = text_column is None and is_analyses(sources)
    if text_column is None and not group_by_folder and not analyzed:
        raise ThumbsError("pass --text-column COLUMN: the column that holds the reviews")
    if analyzed and (resume or aspects_file is not None):
        flag = "--resume" if resume else "--aspects"
        raise ThumbsError(
            f"{flag}: {sources[0]} holds reviews analyzed already, which are summarized without analyzing them again; "
            f"drop {flag}" + (" (or pass it to thumbs analyze)" if flag == "--aspects" else "")
        )
    on_cluster = scheduler is not None or cluster is not None
    if on_cluster and (analyzed or resume or jobs is not None):
        flag = "--resume" if resume else "--jobs" if jobs is not None else "--scheduler/--cluster"
        why = {
            "--resume": "a summary on a cluster is not resumed (its partitions are folded as they come)",
            "--jobs": "a cluster's workers are its processes (--cluster local:N)",
        }.get(flag, f"{sources[0]} holds reviews analyzed already, summarized here without analyzing them")
        raise ThumbsError(f"{flag}: {why}; drop {flag}")
    if not on_cluster and (partition_rows is not None or shared_model):
        flag = "--partition-rows" if partition_rows is not None else "--shared-model"
        raise ThumbsError(f"{flag} is for a cluster: add --scheduler ADDRESS or --cluster local:N")
    if resume and output is None:
        raise ThumbsError("--resume needs --output FILE: a summary shown here or written to stdout cannot be resumed")
    chosen = _chosen_format(as_json, output_format, output)

    from thumbs.batch.engine import BatchInterrupted
    from thumbs.batch.sources import read_records
    from thumbs.batch.targets import check_output
    from thumbs.parallel import check_jobs, default_jobs
    from thumbs.pipeline.model import load_model
    from thumbs.summary.films import FilmFold, camp_gap
    from thumbs.summary.run import grouped_by_folder, read_analyses, summarize_records, summarize_records_into
    from thumbs.text.aspect_terms import user_aspects

    terms = user_aspects(aspects_file) if aspects_file is not None else None  # a bad file: before any work
    target = check_output(output, inputs=sources) if output is not None else None
    if target is not None and target.stream and (resume or chosen == "parquet"):
        why = "it cannot be resumed, drop --resume" if resume else "parquet needs a regular file"
        raise ThumbsError(f"--output {target.path} is a {target.kind}, written as it comes: {why}")
    if report is not None and report.exists() and not report.is_dir():
        raise ThumbsError(f"--report {report} is a file: give a folder to write the report's index.html into")
    workers = default_jobs() if jobs is None else jobs
    check_jobs(workers)
    model = load_model(model_path)
    try:
        if analyzed:
            fold = FilmFold(camp_gap(model))
            for group, month, facts in read_analyses(sources, group_column=group_by, date_column=date_column):
                fold.add(group, month, facts)
            summaries = fold.summaries()
        elif on_cluster:
            summaries = _summarize_on_cluster(
                sources,
                model if terms is None else model.with_aspects(terms),
                scheduler=scheduler,
                cluster=cluster,
                text_column=text_column,
                id_column=id_column,
                group_by=group_by,
                date_column=date_column,
                partition_rows=partition_rows,
                shared_model=shared_model,
            )
        else:
            if group_by is not None:
                extra = (group_by,) if date_column is None else (group_by, date_column)
                records = read_records(sources, text_column=text_column, id_column=id_column, extra_columns=extra)
            else:
                records = grouped_by_folder(read_records(sources, text_column=text_column, id_column=id_column))
            if terms is not None:
                model = model.with_aspects(terms)
            dated = date_column is not None
            if target is not None and not target.stream:
                grouping = {"group_by": group_by, "by_folder": group_by_folder, "date_column": date_column}
                summaries = summarize_records_into(
                    records,
                    model,
                    target,
                    _write,
                    format=chosen,
                    jobs=workers,
                    dated=dated,
                    resume=resume,
                    grouping=grouping,
                )
                target = None  # written
            else:
                summaries = summarize_records(records, model, jobs=workers, dated=dated, progress=None)
    except BatchInterrupted as stop:
        from thumbs.cli.analyze import EXIT_INTERRUPTED, interrupted_line

        if stop.journal is None:
            typer.echo(
                f"interrupted after {stop.done:,} reviews: nothing written (with --output FILE a run can --resume)",
                err=True,
            )
        else:
            typer.echo(interrupted_line(stop, sys.argv[1:]), err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if chosen == "terminal":
        from thumbs.cli.tables import table_console
        from thumbs.present.summaries import summary_table

        table_console().print(summary_table(summaries))
    elif chosen == "jsonl" and output is None:
        for summary in summaries:
            sys.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False) + "\n")
    elif target is not None:
        _write_target(summaries, target, chosen)
    if report is not None:
        from thumbs.present.summary_report import write_summary_report

        page = write_summary_report(summaries, report)
        typer.echo(f"report: {page}", err=True)
    failed = sum(s.failed for s in summaries)
    read = sum(s.reviews for s in summaries)
    typer.echo(f"{read:,} reviews in {len(summaries):,} groups, {failed:,} failed", err=True)


def _summarize_on_cluster(
    sources: list[str],
    model: Model,
    *,
    scheduler: str | None,
    cluster: str | None,
    text_column: str | None,
    id_column: str | None,
    group_by: str | None,
    date_column: str | None,
    partition_rows: int | None,
    shared_model: bool,
) -> list[FilmSummary]:
    """``thumbs summarize --scheduler/--cluster``: each partition folded on a worker, the folds merged here."""
    from thumbs.dask.datasets import Reading
    from thumbs.dask.runs import PARTITION_ROWS, summarize_on_cluster

    extra = () if group_by is None else (group_by,) if date_column is None else (group_by, date_column)
    return summarize_on_cluster(
        sources,
        model,
        scheduler=scheduler,
        cluster=cluster,
        reading=Reading(text_column, id_column, extra),
        dated=date_column is not None,
        by_folder=group_by is None,
        partition_rows=PARTITION_ROWS if partition_rows is None else partition_rows,
        shared_model=shared_model,
    )


def _chosen_format(as_json: bool, output_format: SummaryFormat | None, output: Path | None) -> str:
    if as_json and output_format not in (None, SummaryFormat.jsonl):
        raise ThumbsError("--json and --format disagree: use one of them")
    if output_format is not None:
        chosen = str(output_format)
    elif as_json:
        chosen = "jsonl"
    elif output is not None:
        found = _BY_EXTENSION.get(output.suffix.lower())
        if found is None:
            raise ThumbsError(f"cannot tell the format of {output}: name it .jsonl, .csv or .parquet, or pass --format")
        chosen = found
    else:
        chosen = "terminal"
    if chosen == "terminal" and output is not None:
        raise ThumbsError("the terminal table is not written to files: add --format jsonl, csv or parquet")
    if chosen in ("csv", "parquet") and output is None:
        raise ThumbsError(f"--format {chosen} needs --output FILE")
    from thumbs.batch.targets import SUFFIX_FORMATS

    named = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    if output is not None and named is not None and named != chosen:
        said = "--json" if as_json and output_format is None else f"--format {chosen}"
        raise ThumbsError(f"{said} contradicts the extension of {output.name} ({named}): name the file .{chosen}")
    return chosen


def _write_target(summaries: list[FilmSummary], target: Target, fmt: str) -> None:
    """Write the summaries to ``target``: a regular file atomically (a temporary file renamed), a stream as it is."""
    from thumbs.batch.outputs import atomic_file
    from thumbs.batch.targets import write_error

    try:
        if target.stream:
            _write(summaries, target.path, fmt)
            return
        with atomic_file(target.real) as temporary:
            _write(summaries, temporary, fmt)
    except OSError as exc:
        raise write_error(exc, target.path) from None


def _write(summaries: list[FilmSummary], path: Path, fmt: str) -> None:
    """Write the summaries to ``path`` in ``fmt`` (jsonl, csv or parquet): one line or row a film."""
    from thumbs.present.summaries import row_aspects

    aspects = row_aspects(summaries)
    rows = [summary.to_row(aspects) for summary in summaries]
    if fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as file:
            for summary in summaries:
                file.write(json.dumps(summary.to_dict(), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import csv

        with open(path, "w", encoding="utf-8", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=list(rows[0]) if rows else ["group"])
            writer.writeheader()
            writer.writerows(rows)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), path)
