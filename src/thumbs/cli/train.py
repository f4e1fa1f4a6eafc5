"""``thumbs train``: rebuild the default model from the corpora, or train one on your own table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from thumbs.errors import ThumbsError

RECIPES = ("default",)


def train(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the model file (.thumbs).")],
    recipe: Annotated[
        str | None, typer.Option("--recipe", help="Build a named recipe from the corpora: default.")
    ] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="Your own labelled table (CSV, TSV, JSONL or Parquet).")
    ] = None,
    text_column: Annotated[
        str, typer.Option("--text-column", help="Column of --data holding the review text.")
    ] = "text",
    label_column: Annotated[
        str | None, typer.Option("--label-column", help="Column of --data holding positive/negative.")
    ] = None,
    rating_column: Annotated[
        str | None, typer.Option("--rating-column", help="Column of --data holding a numeric rating.")
    ] = None,
    id_column: Annotated[str | None, typer.Option("--id-column", help="Column of --data holding an id.")] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Folder holding the corpora (default: $THUMBS_DATA).")
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Worker processes for tokenizing (default: all cores).")
    ] = None,
) -> None:
    """Train a model: `--recipe default` from aclImdb train, subj and mr; or `--data FILE` on your reviews.

    Examples: `thumbs train --recipe default --out default.thumbs`,
    `thumbs train --data mine.csv --text-column review --label-column verdict --rating-column score --out mine.thumbs`.
    """
    if (recipe is None) == (data is None):
        raise ThumbsError("give either --recipe default or --data FILE")
    if recipe is not None and recipe not in RECIPES:
        raise ThumbsError(f"unknown recipe {recipe!r}: choose one of {', '.join(RECIPES)}")
    from thumbs.batch.targets import check_output, write_error

    # --out's problems are found now, not after the whole training ran.
    target = check_output(out, option="--out", inputs=[str(data)] if data is not None else [])
    if target.stream:
        raise ThumbsError(f"--out {out} is a {target.kind}: a model needs a regular file, e.g. model.thumbs")

    from rich.console import Console

    from thumbs.learn.training import train_default, train_table
    from thumbs.parallel import default_jobs
    from thumbs.present.stages import StageBars

    console = Console(stderr=True)
    workers = jobs or default_jobs()
    skipped = 0
    with StageBars(console) as stage:  # a bar per stage, each with its time
        if data is not None:
            model, skipped = train_table(
                data,
                text_column=text_column,
                label_column=label_column,
                rating_column=rating_column,
                id_column=id_column,
                jobs=workers,
                progress=stage,
            )
        else:
            model = train_default(data_dir, jobs=workers, progress=stage)
        stage(f"writing {out}")
        try:
            model.save(out)
        except OSError as exc:  # the disk filled up while training, say
            raise write_error(exc, out, "--out") from None
        if recipe is not None:
            # Measured on data the recipe never trains on, then recorded in the manifest.
            from thumbs.evaluation.trained_model import held_out_metrics

            stage("measuring on aclImdb test and polarity v2.0 (held out)")
            model.manifest["metrics"] = held_out_metrics(str(out), data_dir)
            model.save(out)
    if skipped:
        console.print(f"{skipped} row(s) skipped (empty text, label or rating)")
    if recipe is not None:
        console.print(f"metrics: {model.manifest['metrics']}")
    console.print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): {model!r}")
