"""Every example in the docstrings of thumbs runs and shows what the code gives.

One test walks the whole package, so a module that moves or is split keeps its
examples checked without a test naming it; the modules known to carry examples
are listed, so examples that stop being found (a module renamed, a docstring
made unreachable) fail here too.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import thumbs

#: Modules whose docstrings hold examples: each must run at least one.
MODULES_WITH_EXAMPLES = frozenset(
    {
        "thumbs.checksums",
        "thumbs.corpora.tables",
        "thumbs.evaluation.metrics",
        "thumbs.evaluation.predictions",
        "thumbs.evaluation.protocols",
        "thumbs.features.chunk_memo",
        "thumbs.features.feature_names",
        "thumbs.features.hash_tables",
        "thumbs.features.index",
        "thumbs.features.int_sets",
        "thumbs.features.ngrams",
        "thumbs.features.presence",
        "thumbs.features.token_codes",
        "thumbs.features.token_ids",
        "thumbs.features.vectorizer",
        "thumbs.learn",
        "thumbs.learn.base",
        "thumbs.learn.calibration",
        "thumbs.learn.mincut",
        "thumbs.learn.nb",
        "thumbs.learn.nbsvm",
        "thumbs.learn.recipes",
        "thumbs.learn.stars",
        "thumbs.learn.subjectivity",
        "thumbs.learn.svm",
        "thumbs.learn.training",
        "thumbs.parallel",
        "thumbs.pipeline.caveats",
        "thumbs.pipeline.extract",
        "thumbs.pipeline.model",
        "thumbs.pipeline.model_file",
        "thumbs.pipeline.phrases",
        "thumbs.pipeline.stream",
        "thumbs.summary.likelihood",
        "thumbs.summary.quantify",
        "thumbs.summary.share_aggregate",
        "thumbs.summary.tallies",
        "thumbs.text.aspect_terms",
        "thumbs.text.clauses",
        "thumbs.text.documents",
        "thumbs.text.lowered",
        "thumbs.text.negation",
        "thumbs.text.normalize",
        "thumbs.text.opinion_lexicon",
        "thumbs.text.ratings",
        "thumbs.text.review",
        "thumbs.text.sentences",
        "thumbs.text.tokens",
    }
)


def _all_modules() -> list[str]:
    """Every module of the thumbs package, itself included, by name."""
    return ["thumbs", *sorted(info.name for info in pkgutil.walk_packages(thumbs.__path__, "thumbs."))]


def test_every_docstring_example_runs() -> None:
    names = _all_modules()
    assert MODULES_WITH_EXAMPLES <= set(names), f"no such module: {sorted(MODULES_WITH_EXAMPLES - set(names))}"
    failed: dict[str, int] = {}
    without: list[str] = []
    for name in names:
        result = doctest.testmod(importlib.import_module(name), report=False)
        if result.failed:
            failed[name] = result.failed
        if name in MODULES_WITH_EXAMPLES and not result.attempted:
            without.append(name)
    # doctest printed each failing example, with what it got, to the captured stdout shown below
    assert failed == {}, f"docstring examples that fail, per module: {failed}"
    assert without == [], f"modules whose examples were not found: {without}"
