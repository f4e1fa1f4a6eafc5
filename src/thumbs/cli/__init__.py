"""The ``thumbs`` command line: a thin typer shell over the library.

Each sub-module declares one group of commands; none of them tokenizes, scores
or formats results on its own. User errors (:class:`thumbs.errors.ThumbsError`)
become one line on stderr and exit code 2. Ctrl-C and SIGTERM stop a command the same way
(a KeyboardInterrupt, which ``thumbs analyze`` turns into how far it got): one line, exit 130.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

import typer

from thumbs import __version__
from thumbs.errors import ThumbsError

app = typer.Typer(
    name="thumbs",
    help="Read movie reviews and say how the writer judged the film.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"thumbs {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Read movie reviews and say how the writer judged the film."""


def _register() -> None:
    # Imported here so each command module can import `app` pieces without cycles.
    from thumbs.cli import data as _data

    app.add_typer(_data.data_app, name="data")
    from thumbs.cli import evaluate as _evaluate

    app.command("evaluate")(_evaluate.evaluate)
    from thumbs.cli import analyze as _analyze
    from thumbs.cli import train as _train

    app.command("analyze")(_analyze.analyze)
    from thumbs.cli import summarize as _summarize

    app.command("summarize")(_summarize.summarize)
    app.command("train")(_train.train)
    from thumbs.cli import serve as _serve

    app.command("serve")(_serve.serve)


#: Exit code after Ctrl-C or SIGTERM (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM stops a command as Ctrl-C does, so its files are closed and it says where it stopped."""
    raise KeyboardInterrupt


def main() -> None:
    """Console entry point: run the app, turning user errors into one line and exit code 2."""
    _register()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = app(standalone_mode=False)  # click returns the code of a typer.Exit here
        sys.exit(code if isinstance(code, int) else 0)
    except BrokenPipeError:  # e.g. `thumbs analyze ... --json | head`
        sys.stderr.close()
        sys.exit(0)
    except ThumbsError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        # Click's usage errors (a missing argument, a bad option) arrive here in
        # non-standalone mode. typer vendors click, so match by shape, not class.
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(exc.exit_code)
        raise
