"""benchmarks/dask_scaling.py end to end on a tiny synthetic table: the three setups run, and agree."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers.scripts import BENCHMARKS, load_script

pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")

pytestmark = pytest.mark.e2e


@pytest.fixture
def scaling(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # it imports batch_memory, as when run as a script
    return load_script("dask_scaling")


def test_the_three_setups_analyze_the_same_rows(scaling: ModuleType, tmp_path: Path) -> None:
    printed = io.StringIO()
    argv = ["--reviews", "300", "--partition-rows", "100", "--synthetic", "--workdir", str(tmp_path), "--json"]
    with contextlib.redirect_stdout(printed):
        code = scaling.main(argv)
    figures = json.loads(printed.getvalue())
    assert code == 0
    results = {r["setup"]: r for r in figures["results"]}
    assert list(results) == ["single", "local1", "local2"]
    for r in results.values():
        assert r["returncode"] == 0 and r["wall_s"] > 0 and r["output_rows"] == 300
        assert len(r["worker_peaks_mib"]) >= r["processes"] and min(r["worker_peaks_mib"]) > 0
        assert r["client_peak_mib"] > 0
    assert results["local1"]["same_content"] is True and results["local2"]["same_content"] is True
    assert figures["bounds"]["read_reviews_per_s"] > 0 and figures["cost_model"]["core_rate"] > 0
    assert list(tmp_path.iterdir()) == []  # the table and outputs are gone
    text = scaling.report(figures)
    for needed in ("single machine, --jobs 2", "LocalCluster, local:2", "x single", "core-hours", "reading bound"):
        assert needed in text


def test_unknown_setups_are_refused(scaling: ModuleType) -> None:
    with pytest.raises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
        scaling.main(["--setups", "single,local9"])
