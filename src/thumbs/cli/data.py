"""``thumbs data``: see which corpora are on disk, download them, and check a table of your own.

A thin shell over :mod:`thumbs.corpora`; every error is a :class:`~thumbs.errors.ThumbsError`
that ``thumbs.cli.main`` prints as one line with exit code 2.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from thumbs.cli.tables import FOLD, table_console
from thumbs.corpora import CORPORA, corpus_status, get_corpus, load_corpus, resolve_data_dir

data_app = typer.Typer(
    help="List, download and inspect review corpora (polarity, imdb, mr, subj) and your own tables.",
    no_args_is_help=True,
)

_DATA_DIR_HELP = "Folder holding the corpus folders (default: $THUMBS_DATA, else the user data folder)."


def _console(stderr: bool = False) -> Console:
    # Messages on stderr are not wrapped, so each stays one line for logs and greps.
    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


@data_app.command("list")
def list_corpora(
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help=_DATA_DIR_HELP)] = None,
) -> None:
    """Show each known corpus: its folder, whether it is present and verified, and where to get it."""
    root = resolve_data_dir(data_dir)
    table = Table(title=f"corpora in {root}", title_justify="left")
    for column in ("corpus", "folder", "present", "verified", "detail", "official URL"):
        table.add_column(column, overflow=FOLD)
    for name, info in CORPORA.items():
        status = corpus_status(name, root)
        table.add_row(
            name,
            info.folder,
            "yes" if status.present else "no",
            "yes" if status.verified else "no",
            status.detail,
            info.url,
        )
    table_console().print(table)


@data_app.command("fetch")
def fetch(
    name: Annotated[str, typer.Argument(help=f"Corpus to download: {', '.join(CORPORA)}.")],
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help=_DATA_DIR_HELP)] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Download from this address instead of the official one.")
    ] = None,
    sha256: Annotated[
        str | None,
        typer.Option("--sha256", help="Expected sha256 of the archive (default: the known official digests)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Download again and replace what is there.")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a download progress bar.")] = True,
) -> None:
    """Download a corpus from its official address, verify it, and unpack it where thumbs reads it.

    Nothing half-done is left behind: the download and unpacking happen in a temporary folder
    inside the data folder, which is renamed into place only when everything checked out.
    """
    from thumbs.corpora.fetch import fetch_corpus

    info = get_corpus(name)
    root = resolve_data_dir(data_dir)
    err = _console(stderr=True)
    status = corpus_status(name, root)
    if status.verified and not force:
        err.print(f"{name} is already in {status.path} ({status.detail}); use --force to download it again")
        return
    err.print(f"fetching {name} ({info.title}) from {url or info.url}")
    path = fetch_corpus(name, root, url=url, progress=progress, force=force, sha256=sha256)
    done = corpus_status(name, root)
    err.print(f"{name} is ready in {path} ({done.detail})")
    err.print(f"cite: {info.citation}")


@data_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help=f"Corpus to read: {', '.join(CORPORA)}.")],
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help=_DATA_DIR_HELP)] = None,
    unsup: Annotated[bool, typer.Option("--unsup", help="imdb only: also read the 50k unlabelled reviews.")] = False,
) -> None:
    """Read a corpus and print how many documents it has per split, fold and label."""
    info = get_corpus(name)
    splits = ("train", "test", "unsup") if unsup and info.splits else None
    docs = load_corpus(name, data_dir, splits=splits)
    counts = Counter((d.split, d.fold, d.label) for d in docs)
    table = Table(title=f"{name}: {len(docs)} documents", title_justify="left")
    for column in ("split", "fold", "label", "documents"):
        table.add_column(column, overflow=FOLD)
    for (split, fold, label), n in sorted(counts.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        table.add_row(split or "-", "-" if fold is None else str(fold), label or "(none)", str(n))
    table_console().print(table)


@data_app.command("check")
def check(
    path: Annotated[Path, typer.Argument(help="A .csv, .tsv, .jsonl, .ndjson or .parquet file.")],
    text_column: Annotated[str, typer.Option("--text-column", help="Column holding the review text.")],
    label_column: Annotated[str | None, typer.Option("--label-column", help="Column holding the label.")] = None,
    rating_column: Annotated[
        str | None, typer.Option("--rating-column", help="Column holding a numeric rating.")
    ] = None,
    id_column: Annotated[
        str | None, typer.Option("--id-column", help="Column holding an id (default: row number).")
    ] = None,
) -> None:
    """Read a table of your own reviews and report what thumbs sees: rows, labels, skipped rows."""
    from thumbs.corpora.labelled import iter_problems, read_table

    data = read_table(
        path,
        text_column=text_column,
        label_column=label_column,
        rating_column=rating_column,
        id_column=id_column,
    )
    out = _console()
    out.print(f"{path}: {len(data.documents)} documents, {len(data.skipped)} rows skipped")
    if label_column is not None:
        labels = Counter(d.label for d in data.documents)
        out.print("labels: " + ", ".join(f"{label} {n}" for label, n in sorted(labels.items())))
    for line in iter_problems(data):
        out.print(f"  skipped {line}")
