"""benchmarks/hostile.py end to end with one-second phases: every phase and the soak report their figures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

pytest.importorskip("aiohttp")
pytest.importorskip("psutil")

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "hostile.py"


def test_hostile_runs_every_phase_and_the_soak() -> None:
    args = ["--phase-seconds", "1", "--soak", "3", "--clients", "4", "--soak-clients", "4"]
    env = {k: v for k, v in os.environ.items() if k != "THUMBS_DATA"}  # stock reviews: no corpus needed
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=240, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    for phase in ("baseline", "slowloris", "header-bomb", "burst", "non-reader"):
        line = next(line for line in out.splitlines() if line.startswith(phase))
        requests_per_second, p99, errors = line.split()[1:4]
        assert float(requests_per_second) > 0 and float(p99) > 0 and int(errors) >= 0
    assert re.search(r"soak: 4 clients for 3 s, worker \d+ killed .* requests answered", out)
    assert "'431'" in out  # the header bomb was refused
