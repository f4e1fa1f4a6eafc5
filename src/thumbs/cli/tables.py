"""Tables that never truncate a number or a name, on a terminal or in a pipe.

rich sizes a table to the console: 80 columns when stdout is a pipe or a file, and it cuts a
cell that does not fit with an ellipsis (``0.73…``). :func:`table_console` prints to a pipe or
a file at :data:`PIPE_WIDTH`, so every table comes out at its natural width (rich does not
pad a table wider than its cells); on a terminal the columns made with :data:`FOLD` wrap a
long cell onto the next line instead of cutting it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from rich.console import Console

#: Console width when the output is not a terminal: wider than any table thumbs prints.
PIPE_WIDTH = 10_000
#: The ``overflow`` of every table column: fold a long cell, never cut it.
FOLD: Final = "fold"


def table_console(stderr: bool = False) -> Console:
    """A rich Console for tables: the terminal's width, or :data:`PIPE_WIDTH` when not a terminal."""
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False)
    if console.is_terminal:
        return console
    return Console(stderr=stderr, highlight=False, width=PIPE_WIDTH)
