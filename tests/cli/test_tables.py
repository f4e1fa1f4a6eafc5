"""Tables never truncate numbers or names: full width in a pipe or a file, folded on a narrow terminal."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rich.console import Console

from thumbs.cli.evaluate import render_table
from thumbs.cli.tables import PIPE_WIDTH, table_console
from thumbs.evaluation.results import EvaluationReport, ResultRow

#: A model name longer than a terminal, and figures whose every digit must show.
LONG_NAME = "nbsvm-bigrams-with-a-very-long-descriptive-name-" * 3
REPORT = EvaluationReport(
    dataset="a-table-with-a-long-name.csv",
    protocol="10-fold cross-validation, stratified, seed 0",
    results=tuple(
        ResultRow(
            model=f"{LONG_NAME}{i}",
            input="extract",
            accuracy=0.7312 + i / 10_000,
            std=0.0123,
            seconds=12345.6,
            extractor="min-cut (threshold 0.5, association exp)",
            words_kept=0.613,
            ece=0.0456,
            stars_mae=1.2345,
            stars_pearson=0.6789,
        )
        for i in range(3)
    ),
)
FIGURES = ["0.7312", "0.7314", "0.0123", "0.613", "0.0456", "1.2345", "0.6789", "12345.6"]


@pytest.mark.e2e
def test_a_table_printed_to_a_pipe_is_whole() -> None:
    """The real case: a child process whose stdout is a pipe prints the evaluation table."""
    script = textwrap.dedent(
        """
        from tests.cli.test_tables import REPORT
        from thumbs.cli.evaluate import render_table
        from thumbs.cli.tables import table_console
        table_console().print(render_table(REPORT))
        """
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "…" not in out
    for i in range(3):
        line = next(line for line in out.splitlines() if f"{LONG_NAME}{i}" in line)  # a name on one line, whole
        assert all(figure in line for figure in FIGURES[2:]) and f"0.731{2 + i}" in line
    assert max(map(len, out.splitlines())) < PIPE_WIDTH  # its own width, not padded to the console's


def test_table_console_is_wide_only_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert table_console().width == PIPE_WIDTH  # pytest captures stdout: not a terminal
    assert table_console(stderr=True).width == PIPE_WIDTH


def test_a_narrow_terminal_folds_cells_and_cuts_no_digit() -> None:
    buffer = io.StringIO()
    Console(file=buffer, width=60, force_terminal=True, color_system=None).print(render_table(REPORT))
    out = buffer.getvalue()
    assert "…" not in out
    digits = sorted(ch for ch in out if ch.isdigit())  # folded onto several lines, but every digit is there
    table = render_table(REPORT)
    shown = f"{REPORT.dataset}: {REPORT.protocol}" + "".join(
        str(cell) for column in table.columns for cell in column.cells
    )
    assert digits == sorted(ch for ch in shown if ch.isdigit())
