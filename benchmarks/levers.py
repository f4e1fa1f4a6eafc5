"""What each lever of the 0.2 verdict is worth: a development split of aclImdb train, and polarity v2.0.

The verdict of the default model is trained by :func:`thumbs.learn.verdict.train_verdict`
under a :class:`~thumbs.learn.verdict.VerdictRecipe`. This script trains it under a series
of recipes, each adding one lever to the one before (from thumbs 0.1's recipe to 0.2's),
then a few variants that were measured and not kept, and prints for each:

* ``dev``: accuracy on a held-out part of aclImdb *train* (``--dev`` reviews drawn with
  ``--seed``; the rest, 20,000 by default, trains). aclImdb *test* is never read;
* ``polarity``: accuracy on all 2,000 reviews of polarity v2.0 (never trained on);
* ``top5``: the share of each dev review's five strongest n-grams (by |contribution|, as the
  evidence ranks them) that hold a word of VADER's lexicon with |valence| >= 1, over the
  first 1,000 dev reviews (benchmarks/evidence.py's measure, on the development split);
* ``C``: the C the recipe's 3-fold search chose inside the training part.

``--unsup`` adds self-training on aclImdb's 50,000 unlabelled reviews: the 0.2 recipe's
model labels them, those it is confident of (|decision| > 1) join the training reviews,
and the verdict is trained again.

    python benchmarks/levers.py [--data-dir DIR] [--dev 5000] [--seed 0] [--unsup] [--json]

The sentence polarity model the 0.2 recipe takes weights from is trained first, on rt-polarity
stacked with the naive Bayes ratios of the training part only (never the held-out reviews). Each
recipe takes one to two minutes on two cores (fifteen minutes in all; ``--unsup`` adds three).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from evidence import has_opinion_word, load_lexicon  # benchmarks/evidence.py, beside this script
from thumbs.corpora import load_corpus
from thumbs.learn.nbsvm import NBSVM
from thumbs.learn.sentence_models import review_prior
from thumbs.learn.training import train_sentence_models
from thumbs.learn.verdict import VERDICT_BETA, VerdictRecipe, train_verdict
from thumbs.pipeline.scorers import LinearScorer
from thumbs.text.documents import flatten, tokenize_documents
from thumbs.text.negation import NEGATION_TO_PUNCTUATION

#: thumbs 0.1's verdict: negation to the next punctuation, presence rows, no prior, its C grid, no transfer.
RECIPE_0_1 = VerdictRecipe(
    negation=NEGATION_TO_PUNCTUATION,
    emphasis=0.0,
    length_norm=False,
    lexicon_prior_other=1.0,
    c_grid=(0.03, 0.1, 0.3, 1.0),
    lexicon_transfer=False,
    sentence_transfer=False,
)


def _with(base: VerdictRecipe, **changes: object) -> VerdictRecipe:
    return VerdictRecipe(**{**asdict(base), **changes})  # type: ignore[arg-type]


_RULES_2 = _with(RECIPE_0_1, negation=2)
_EMPHASIS = _with(_RULES_2, emphasis=0.5)
_NORM = _with(_EMPHASIS, length_norm=VerdictRecipe().length_norm, c_grid=VerdictRecipe().c_grid)
_PRIOR = _with(_NORM, lexicon_prior_other=VerdictRecipe().lexicon_prior_other)
#: Each lever added to the recipe before it, in order; the last is the default model's recipe.
LEVERS: tuple[tuple[str, VerdictRecipe], ...] = (
    ("0.1 recipe (NBSVM-tri, presence)", RECIPE_0_1),
    ("+ negation rules 2", _RULES_2),
    ("+ emphasis 0.5", _EMPHASIS),
    ("+ length norm", _NORM),
    ("+ lexicon prior 0.7", _PRIOR),
    ("+ lexicon valences transferred (0.2)", VerdictRecipe()),
)
#: Variants of the 0.2 recipe measured and not kept.
VARIANTS: tuple[tuple[str, VerdictRecipe], ...] = (
    ("0.2 with emphasis 1.0", VerdictRecipe(emphasis=1.0)),
    ("0.2 with lexicon prior 0.5", VerdictRecipe(lexicon_prior_other=0.5)),
    ("0.2 with lexicon prior 0.85", VerdictRecipe(lexicon_prior_other=0.85)),
    ("0.2 + sentence polarity transferred", VerdictRecipe(sentence_transfer=True)),
)
#: Reviews of the development split whose top-5 evidence is checked.
SHARE_SAMPLE = 1000
#: Self-training keeps the unlabelled reviews the first model scores beyond this (either side).
SELF_TRAINING_MARGIN = 1.0


@dataclass
class Row:
    lever: str
    dev: float
    polarity: float
    top5: float
    C: float
    seconds: float


def top_share(scorer: LinearScorer, documents: Sequence[Sequence[str]], lexicon: frozenset[str], k: int = 5) -> float:
    """The share of each document's ``k`` strongest n-grams (|contribution|) that hold a lexicon word, pooled."""
    rows, columns, emphasized = scorer.present(documents)
    contributions = scorer.contributions(rows, columns, len(documents), emphasized)
    bounds = np.searchsorted(rows, np.arange(len(documents) + 1))
    hits = total = 0
    for d in range(len(documents)):
        own = slice(bounds[d], bounds[d + 1])
        order = np.argsort(-np.abs(contributions[own]), kind="stable")[:k]
        names = scorer.index.feature_names(columns[own][order])
        hits += sum(has_opinion_word(name, lexicon) for name in names)
        total += len(names)
    return hits / total if total else 0.0


def accuracy(scorer: LinearScorer, documents: Sequence[Sequence[str]], truth: np.ndarray) -> float:
    return float(np.mean((scorer.scores(documents) > 0) == truth))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data-dir", default=None, help="the corpora's folder (default: $THUMBS_DATA)")
    parser.add_argument("--dev", type=int, default=5000, help="aclImdb train reviews held out (default 5000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--unsup", action="store_true", help="add self-training on aclImdb unsup")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    train = load_corpus("imdb", args.data_dir, splits=("train",))
    polarity = load_corpus("polarity", args.data_dir)
    tokens = [flatten(s) for s in tokenize_documents([d.text for d in train], jobs=2)]
    polarity_tokens = [flatten(s) for s in tokenize_documents([d.text for d in polarity], jobs=2)]
    order = np.random.RandomState(args.seed).permutation(len(train))
    fit, held = order[args.dev :], order[: args.dev]
    is_positive = np.array([d.label == "positive" for d in train])
    polarity_truth = np.array([d.label == "positive" for d in polarity])
    fit_tokens = [tokens[i] for i in fit]
    dev_tokens = [tokens[i] for i in held]
    lexicon = load_lexicon()
    # the sentence polarity model the 0.2 verdict takes weights from, stacked with the training part's ratios only
    prior = review_prior(fit_tokens, is_positive[fit])
    subj, mr = load_corpus("subj", args.data_dir), load_corpus("mr", args.data_dir)
    _, polarity_model = train_sentence_models(subj, mr, prior=prior)
    print(f"{len(fit):,} reviews train, {len(held):,} held out ({time.perf_counter() - start:.0f} s)", file=sys.stderr)

    rows: list[Row] = []
    for name, recipe in (*LEVERS, *VARIANTS):
        began = time.perf_counter()
        scorer, _, settings = train_verdict(
            fit_tokens, is_positive[fit], None, recipe=recipe, sentence_polarity=polarity_model
        )
        rows.append(
            Row(
                name,
                accuracy(scorer, dev_tokens, is_positive[held]),
                accuracy(scorer, polarity_tokens, polarity_truth),
                top_share(scorer, dev_tokens[:SHARE_SAMPLE], lexicon),
                float(settings["C"]),
                time.perf_counter() - began,
            )
        )
        print(rows[-1], file=sys.stderr)
    if args.unsup:
        rows.append(
            self_training(
                args.data_dir,
                fit_tokens,
                is_positive[fit],
                dev_tokens,
                is_positive[held],
                polarity_tokens,
                polarity_truth,
                lexicon,
                polarity_model,
            )
        )
    if args.json:
        print(json.dumps([asdict(row) for row in rows], indent=2))
    else:
        print(f"{'lever':38s} {'dev':>7s} {'polarity':>9s} {'top5':>6s} {'C':>6s} {'seconds':>8s}")
        for row in rows:
            print(f"{row.lever:38s} {row.dev:7.4f} {row.polarity:9.4f} {row.top5:6.3f} {row.C:6g} {row.seconds:8.0f}")
    return 0


def self_training(
    data_dir: str | None,
    fit_tokens: list[list[str]],
    fit_truth: np.ndarray,
    dev_tokens: list[list[str]],
    dev_truth: np.ndarray,
    polarity_tokens: list[list[str]],
    polarity_truth: np.ndarray,
    lexicon: frozenset[str],
    polarity_model: LinearScorer,
) -> Row:
    """The 0.2 recipe trained again with the unlabelled reviews its first model is confident of."""
    began = time.perf_counter()
    recipe = VerdictRecipe()
    teacher, _, settings = train_verdict(fit_tokens, fit_truth, None, recipe=recipe, sentence_polarity=polarity_model)
    unsup = load_corpus("imdb", data_dir, splits=("unsup",))
    unsup_tokens = [flatten(s) for s in tokenize_documents([d.text for d in unsup], jobs=2)]
    decision = teacher.scores(unsup_tokens)
    confident = np.flatnonzero(np.abs(decision) > SELF_TRAINING_MARGIN)
    student_tokens = fit_tokens + [unsup_tokens[i] for i in confident]
    student_truth = np.concatenate([fit_truth, decision[confident] > 0])
    template = recipe.with_floor(recipe.scorer(student_tokens, min_df=2), student_tokens)
    X = template.values_matrix(student_tokens)
    labels = np.where(student_truth, "positive", "negative")
    names = template.index.feature_names(np.arange(template.index.n_features))
    transfer = recipe.transfer(names, polarity_model)
    nbsvm = NBSVM(C=settings["C"], beta=VERDICT_BETA, values="given")
    nbsvm.fit(X, labels, prior=recipe.prior(names), transfer=transfer)
    student = LinearScorer(
        template.index, nbsvm.coef_[0], float(nbsvm.intercept_[0]), (1.0, 0.0), template.emphasis, template.length_norm
    )
    return Row(
        f"0.2 + self-training ({len(confident):,} unsup)",
        accuracy(student, dev_tokens, dev_truth),
        accuracy(student, polarity_tokens, polarity_truth),
        top_share(student, dev_tokens[:SHARE_SAMPLE], lexicon),
        float(settings["C"]),
        time.perf_counter() - began,
    )


if __name__ == "__main__":
    sys.exit(main())
