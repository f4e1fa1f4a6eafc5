"""The shape of the system: the public API, what the inference path imports, and private names.

The layers between the stage packages are checked by import-linter (contracts in
pyproject.toml, run by ``make test``); these tests check what it cannot see.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import thumbs

SRC = Path(thumbs.__file__).resolve().parent
#: Libraries that only training, evaluation and reports need.
TRAINING_ONLY = ("sklearn", "matplotlib")


def _modules_after(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running ``code`` (it may exit)."""
    probe = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: sys.__stderr__.write('\\nMODULES ' + json.dumps(sorted({m.split('.')[0] for m in sys.modules})) + '\\n'))\n"
        + code
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    line = [text for text in done.stderr.splitlines() if text.startswith("MODULES ")]
    assert line, f"the probe printed no module list: {done.stderr[-2000:]}"
    return set(json.loads(line[-1][len("MODULES ") :]))


def test_public_api_is_pinned() -> None:
    """``thumbs.__all__`` is the whole public API: a change to it is a decision, made here too."""
    assert thumbs.__all__ == [
        "Analysis",
        "AspectJudgement",
        "Evidence",
        "FilmSummary",
        "Model",
        "NgramEvidence",
        "Phrase",
        "Quote",
        "SentenceAnalysis",
        "ThumbsError",
        "__version__",
        "analyze",
        "load_model",
        "summarize",
    ]
    for name in thumbs.__all__:
        assert hasattr(thumbs, name), name


@pytest.mark.e2e
def test_labelling_and_analyzing_import_no_training_library() -> None:
    """A fresh interpreter loads the default model, labels and analyzes reviews: no scikit-learn, no matplotlib."""
    imported = _modules_after(
        "import thumbs\n"
        "model = thumbs.load_model()\n"
        "texts = ['A moving, beautifully acted film.', 'Dull and far too long.']\n"
        "assert model.predict(texts) == ['positive', 'negative']\n"
        "model.predict_proba(texts); model.rate(texts)\n"
        "assert thumbs.analyze(texts[0]).label == 'positive'\n"
        "assert [a.label for a in model.analyze_batch(texts)] == ['positive', 'negative']\n"
    )
    assert "thumbs" in imported and "numpy" in imported
    assert imported & set(TRAINING_ONLY) == set()


@pytest.mark.e2e
def test_the_cli_imports_only_what_the_command_needs(tmp_path: Path) -> None:
    """``thumbs --help`` loads only the core (no scipy, training, web or Parquet library); ``analyze`` no training or web."""
    entry = "import sys\nfrom thumbs.cli import main\nsys.argv = ['thumbs', *{args!r}]\nmain()\n"
    helped = _modules_after(entry.format(args=["--help"]))
    assert helped & {"scipy", *TRAINING_ONLY, "fastapi", "pyarrow"} == set()
    review = tmp_path / "review.txt"
    review.write_text("A moving, beautifully acted film. I loved every minute.", encoding="utf-8")
    analyzed = _modules_after(entry.format(args=["analyze", str(review), "--json"]))
    assert "numpy" in analyzed
    assert analyzed & {*TRAINING_ONLY, "fastapi", "uvicorn"} == set()


def _private_imports(path: Path) -> list[str]:
    """``from thumbs.x import _name`` lines of one module: a private name used outside its module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("thumbs"):
            found += [
                f"{path.relative_to(SRC)}:{node.lineno} imports {node.module}.{alias.name}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
    return found


def test_no_module_imports_another_modules_private_name() -> None:
    problems = [line for path in sorted(SRC.rglob("*.py")) for line in _private_imports(path)]
    assert problems == []


def test_no_module_is_much_past_400_lines() -> None:
    """Modules of one job stay short; the few longer ones say why at the top."""
    long = {
        str(path.relative_to(SRC)): n
        for path in SRC.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 420
    }
    assert long == {}
