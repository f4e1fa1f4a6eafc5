"""thumbs against its peers: accuracy, macro F1, calibration and reviews/s, on the same texts in one run.

Peers (each optional: a missing package is skipped with a message; ``pip install -e ".[bench]"``):

* lexicon tools, zero-shot on aclImdb test and polarity v2.0: VADER (``vaderSentiment``; compound >= 0
  is positive), VADER by sentence vote (each sentence's compound sign votes, a tie goes to the whole
  text's compound), TextBlob's default PatternAnalyzer (polarity >= 0 is positive);
* trainable tools, trained on the same training split as thumbs (aclImdb train; Pang & Lee's 10
  folds; 10-fold for mr and subj): NLTK's NaiveBayesClassifier on ``contains(word)`` features of the
  2000 most frequent training words, as in the NLTK book; scikit-learn's TfidfVectorizer + LinearSVC;
* thumbs: the shipped default model (aclImdb test, polarity v2.0 zero-shot), labels only
  (``Model.predict``) and full analysis (``Model.analyze_batch``), and each model of ``thumbs evaluate``
  for the dataset, evaluated by :func:`thumbs.evaluation.experiments.evaluate_corpus` itself.

Speed is reviews per second on one core: the measuring process pins all its threads to one CPU
(and BLAS to one thread) while it times each peer labelling exactly the texts that peer is scored
on (aclImdb: the 25,000 test reviews; the others: every text, each labelled once across the folds).
Writes ``OUT/benchmarks.md`` and PNG plots in ``OUT/benchmarks/``.

    python benchmarks/peers.py [--data-dir DIR] [--out docs] [--datasets imdb,polarity,mr,subj] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from thumbs.corpora import Document, load_corpus
from thumbs.errors import ThumbsError
from thumbs.evaluation.cross_validation import labels_of
from thumbs.evaluation.experiments import DEFAULT_MODELS, corpus_protocol, evaluate_corpus
from thumbs.evaluation.metrics import expected_calibration_error
from thumbs.evaluation.predictions import FoldPredictions, PredictionCollector, Predictor
from thumbs.evaluation.trained_model import SENTENCE_RECIPES
from thumbs.pipeline.model import Model, default_model_path
from thumbs.text.sentences import split_sentences

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers_doc import PeerResult, write_docs

DATASETS = ("imdb", "polarity", "mr", "subj")
LEXICON_DATASETS = ("imdb", "polarity")  # the lexicon tools and the default model judge review polarity zero-shot
WARMUP = 100  # texts each timed peer labels once, untimed, first (imports, lazy tables, caches)
LABEL_CHUNK = 1000  # texts per call of a batch predictor (as benchmarks/throughput.py)
ANALYSIS_CHUNK = 64
NLTK_WORDS = 2000


# --- one core ----------------------------------------------------------------------------


@contextmanager
def one_core() -> Iterator[None]:
    """Pin every thread of this process to one CPU, and BLAS/OpenMP pools to one thread, for a timing."""
    from threadpoolctl import threadpool_limits

    try:
        allowed = os.sched_getaffinity(0)
    except AttributeError:  # pragma: no cover - not Linux: single-threaded timing only
        with threadpool_limits(1):
            yield
        return
    threads = [int(t) for t in os.listdir("/proc/self/task")]
    for tid in threads:
        try:
            os.sched_setaffinity(tid, {max(allowed)})
        except OSError:
            pass
    try:
        with threadpool_limits(1):
            yield
    finally:
        for tid in threads:
            try:
                os.sched_setaffinity(tid, allowed)
            except OSError:
                pass


def timed(
    label: Callable[[Sequence[str]], Any], texts: Sequence[str], chunk: int | None = None
) -> tuple[list[Any], float]:
    """Outputs of ``label`` over ``texts`` (in chunks, concatenated) and the seconds it took on one core."""
    label(list(texts[:WARMUP]))
    parts = [texts[i : i + chunk] for i in range(0, len(texts), chunk)] if chunk else [texts]
    with one_core():
        start = time.perf_counter()
        outputs = [label(list(part)) for part in parts]
        seconds = time.perf_counter() - start
    return [item for part in outputs for item in part], seconds


def fresh_default() -> Model:
    """The shipped model loaded anew from its file: its chunk memo has seen none of the texts to be timed.

    (``load_model()`` returns one cached instance, which the evaluation has just run over the same texts.)
    """
    return Model.from_file(default_model_path())


# --- the peers ----------------------------------------------------------------------------

Scorer = Callable[[Sequence[str]], list[float]]


def vader() -> Scorer:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return lambda texts: [analyzer.polarity_scores(t)["compound"] for t in texts]


def vader_sentence_vote() -> Scorer:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()

    def score(text: str) -> float:
        votes = 0
        for sentence in split_sentences(text):
            compound = analyzer.polarity_scores(sentence.text)["compound"]
            votes += (compound > 0) - (compound < 0)
        return float(votes) if votes else analyzer.polarity_scores(text)["compound"]

    return lambda texts: [score(t) for t in texts]


def textblob() -> Scorer:
    # what TextBlob(text).sentiment runs, without building a TextBlob around each text
    from textblob.en.sentiments import PatternAnalyzer

    analyzer = PatternAnalyzer()
    return lambda texts: [analyzer.analyze(t).polarity for t in texts]


class NltkNaiveBayes:
    """NLTK's NaiveBayesClassifier on word-presence features of the most frequent training words (NLTK book, ch. 6)."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str]) -> None:
        import nltk
        from nltk.tokenize import wordpunct_tokenize

        self.tokenize = lambda text: wordpunct_tokenize(text.lower())
        counts = nltk.FreqDist(w for text in texts for w in self.tokenize(text))
        self.words = [w for w, _ in counts.most_common(NLTK_WORDS)]
        self.classes = sorted(set(labels))
        self.classifier = nltk.NaiveBayesClassifier.train(
            (self.features(text), label)
            for text, label in zip(texts, labels)  # one pass: memory stays small
        )

    def features(self, text: str) -> dict[str, bool]:
        present = set(self.tokenize(text))
        return {f"contains({w})": (w in present) for w in self.words}

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        out = []
        for text in texts:
            distribution = self.classifier.prob_classify(self.features(text))
            out.append((distribution.max(), distribution.prob(self.classes[-1])))
        return out


class SklearnTfidfSvm:
    """scikit-learn's text tutorial pipeline: TfidfVectorizer + LinearSVC, defaults."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline
        from sklearn.svm import LinearSVC

        self.pipeline = make_pipeline(TfidfVectorizer(), LinearSVC()).fit(list(texts), list(labels))

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float | None]]:
        return [(str(label), None) for label in self.pipeline.predict(list(texts))]


@dataclass(frozen=True)
class Peer:
    """A peer: how it is made, what it needs, where it runs."""

    name: str
    kind: str  # "lexicon" or "trainable"
    package: str  # what to pip install when it is missing
    make: Callable[..., Any]  # lexicon: () -> scorer; trainable: (texts, labels) -> model with .predict
    datasets: tuple[str, ...]
    chunk: int | None = None  # batch size of timed calls (None: one call per fold)


PEERS: tuple[Peer, ...] = (
    Peer("VADER", "lexicon", "vaderSentiment", vader, LEXICON_DATASETS),
    Peer("VADER sentence vote", "lexicon", "vaderSentiment", vader_sentence_vote, LEXICON_DATASETS),
    Peer("TextBlob (PatternAnalyzer)", "lexicon", "textblob", textblob, LEXICON_DATASETS),
    Peer("NLTK NaiveBayes", "trainable", "nltk", NltkNaiveBayes, DATASETS),
    Peer("scikit-learn TF-IDF + LinearSVC", "trainable", "scikit-learn", SklearnTfidfSvm, DATASETS),
)


def available(peer: Peer) -> str | None:
    """None if the peer's package imports, else the one-line reason it is skipped."""
    module = {
        "vaderSentiment": "vaderSentiment.vaderSentiment",
        "textblob": "textblob",
        "nltk": "nltk",
        "scikit-learn": "sklearn",
    }[peer.package]
    try:
        __import__(module)
    except ImportError:
        return f'{peer.name} skipped: `pip install {peer.package}` (or `pip install -e ".[bench]"`)'
    return None


# --- running one dataset ----------------------------------------------------------------------


def subset(documents: Sequence[Document], limit: int | None) -> list[Document]:
    """At most ``limit`` documents per (split, label), evenly spread over each group (keeps every fold)."""
    if not limit:
        return list(documents)
    groups: dict[tuple[str | None, str | None], list[Document]] = {}
    for d in documents:
        groups.setdefault((d.split, d.label), []).append(d)
    kept = {id(d) for group in groups.values() for d in group[:: max(1, -(-len(group) // limit))][:limit]}
    return [d for d in documents if id(d) in kept]


def summarize(
    dataset: str, peer: str, kind: str, setting: str, folds: Sequence[FoldPredictions], seconds: float | None
) -> tuple[PeerResult, tuple[str, np.ndarray, np.ndarray, float] | None]:
    """A result row (accuracy: mean over folds; F1 and ECE pooled) and the calibration curve, if probabilistic."""
    from sklearn.metrics import f1_score

    accuracies = [float(np.mean(f.truth == f.predicted)) for f in folds]
    truth = np.concatenate([f.truth for f in folds])
    predicted = np.concatenate([f.predicted for f in folds])
    curve = None
    ece = None
    if all(f.probability is not None for f in folds):
        probability = np.concatenate([f.probability for f in folds])  # type: ignore[misc]
        is_second = truth == folds[0].classes[-1]
        ece = expected_calibration_error(probability, is_second)
        curve = (peer, probability, is_second, ece)
    row = PeerResult(
        dataset=dataset,
        peer=peer,
        kind=kind,
        setting=setting,
        documents=len(truth),
        accuracy=float(np.mean(accuracies)),
        std=float(np.std(accuracies)) if len(folds) > 1 else None,
        macro_f1=float(f1_score(truth, predicted, average="macro")),
        ece=ece,
        reviews_per_second=len(truth) / seconds if seconds else None,
    )
    return row, curve


def run_dataset(
    dataset: str,
    documents: Sequence[Document],
    peers: Sequence[Peer],
    folds: int,
    jobs: int | None,
    say: Callable[[str], None],
) -> tuple[list[PeerResult], list[tuple[str, np.ndarray, np.ndarray, float]]]:
    """Every peer on one dataset: result rows and calibration curves."""
    labels = labels_of(documents)
    protocol = corpus_protocol(dataset, documents, folds)
    splits = protocol.splits(labels)
    tested = np.concatenate([test for _, test in splits])
    texts = [documents[i].text for i in tested]
    classes = tuple(sorted(set(labels.tolist())))
    trained_on = "aclImdb train" if dataset == "imdb" else f"{len(splits)} folds"
    rows: list[PeerResult] = []
    curves: list[tuple[str, np.ndarray, np.ndarray, float]] = []

    def keep(
        peer: str,
        kind: str,
        setting: str,
        fold_list: Sequence[FoldPredictions],
        seconds: float | None,
        plot: bool = True,
    ) -> None:
        row, curve = summarize(dataset, peer, kind, setting, fold_list, seconds)
        rows.append(row)
        if curve is not None and plot:
            curves.append(curve)
        speed = f"{row.reviews_per_second:,.0f} reviews/s" if row.reviews_per_second else "no speed"
        say(f"{dataset}: {peer}: accuracy {row.accuracy:.4f}, {speed}")

    # thumbs: the models of `thumbs evaluate`, by evaluate_corpus itself; each predictor timed on `texts`
    speeds: dict[str, float] = {}

    def time_predictor(model: str, predict: Predictor) -> None:
        say(f"{dataset}: timing thumbs {model}")
        if model == "default":  # the evaluated instance has memoized these very texts' chunks: time a fresh one
            predict = fresh_default().predict
        speeds[model] = timed(predict, texts, LABEL_CHUNK)[1]

    collector = PredictionCollector(on_predictor=time_predictor)
    models = (["default"] if dataset in LEXICON_DATASETS else []) + list(DEFAULT_MODELS[dataset])
    say(f"{dataset}: thumbs evaluate --model {' --model '.join(models)}")
    report = evaluate_corpus(
        dataset, models=models, folds=folds, jobs=jobs, collector=collector, extracts=False, documents=documents
    )
    default_setting = "zero-shot" if dataset == "polarity" else "aclImdb train"
    for row in report.results:
        setting = default_setting if row.model == "default" else trained_on
        keep(f"thumbs {row.model}", "thumbs", setting, collector.of(row.model), speeds.get(row.model))
    if dataset in LEXICON_DATASETS:
        say(f"{dataset}: thumbs default, full analysis")
        analyses, seconds = timed(fresh_default().analyze_batch, texts, ANALYSIS_CHUNK)
        fold = FoldPredictions(
            "full",
            classes,
            labels[tested],
            np.array([a.label for a in analyses]),
            probability=np.array([a.probability for a in analyses]),
        )
        keep(
            "thumbs default, full analysis", "thumbs", default_setting, [fold], seconds, plot=False
        )  # same P as predict

    for peer in peers:
        if dataset not in peer.datasets:
            continue
        say(f"{dataset}: {peer.name}")
        if peer.kind == "lexicon":
            scores, seconds = timed(peer.make(), texts, peer.chunk)
            predicted = np.where(np.asarray(scores) >= 0, "positive", "negative")
            keep(
                peer.name,
                peer.kind,
                "zero-shot",
                [FoldPredictions(peer.name, classes, labels[tested], predicted)],
                seconds,
            )
            continue
        fold_list, total = [], 0.0
        for train, test in splits:
            model = peer.make([documents[i].text for i in train], labels[train].tolist())
            out, seconds = timed(model.predict, [documents[i].text for i in test], peer.chunk)
            total += seconds
            probability = None if out and out[0][1] is None else np.array([p for _, p in out])
            fold_list.append(
                FoldPredictions(
                    peer.name, classes, labels[test], np.array([label for label, _ in out]), probability=probability
                )
            )
        keep(peer.name, peer.kind, trained_on, fold_list, total)
    return rows, curves


def reference(dataset: str, rows: Sequence[PeerResult]) -> PeerResult | None:
    """The thumbs row the others are compared with: the default model, else its sentence model's recipe."""
    for name in ("thumbs default", f"thumbs {SENTENCE_RECIPES.get(dataset, '')}"):
        for row in rows:
            if row.peer == name and row.dataset == dataset:
                return row
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get("THUMBS_DATA"))
    parser.add_argument("--out", default="docs", help="folder for benchmarks.md and benchmarks/*.png (default: docs)")
    parser.add_argument("--datasets", default=",".join(DATASETS), help="comma-separated, from " + ", ".join(DATASETS))
    parser.add_argument("--peers", default="", help="comma-separated peer names to run (default: all)")
    parser.add_argument("--limit", type=int, default=None, help="at most N documents per split and label (tiny runs)")
    parser.add_argument("--folds", type=int, default=10, help="folds for mr and subj (default 10)")
    parser.add_argument("--jobs", type=int, default=None, help="processes for tokenizing in thumbs evaluate (untimed)")
    args = parser.parse_args(argv)
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    unknown = [d for d in datasets if d not in DATASETS]
    if unknown:
        parser.error(f"unknown dataset(s) {', '.join(unknown)}: choose from {', '.join(DATASETS)}")
    wanted = {p.strip() for p in args.peers.split(",") if p.strip()}
    peers: list[Peer] = []
    skipped: list[str] = []
    for peer in PEERS:
        if wanted and peer.name not in wanted:
            continue
        reason = available(peer)
        if reason:
            skipped.append(reason)
        else:
            peers.append(peer)
    for reason in skipped:
        print(reason, file=sys.stderr)
    start = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - start:7.1f} s] {message}", file=sys.stderr, flush=True)

    rows, curves = [], {}
    for dataset in datasets:
        documents = subset(load_corpus(dataset, args.data_dir), args.limit)
        dataset_rows, curves[dataset] = run_dataset(dataset, documents, peers, args.folds, args.jobs, say)
        rows += dataset_rows
    command = shlex.join(["python", "benchmarks/peers.py", *(argv if argv is not None else sys.argv[1:])])
    written = write_docs(
        Path(args.out),
        rows,
        curves,
        {d: reference(d, rows) for d in datasets},
        command,
        time.perf_counter() - start,
        skipped,
    )
    for line in written.table_lines:
        print(line)
    print(f"wrote {written.markdown} and {len(written.images)} PNG(s) in {written.markdown.parent / 'benchmarks'}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ThumbsError as exc:  # a missing corpus, a bad folder: one line, as the CLI does
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
