"""The analysis core: a trained thumbs model, and the one way a review is analyzed.

A :class:`Model` is an ordered list of named components (:data:`COMPONENTS`)
that one batch of reviews flows through, as in spaCy:

1. ``sentences``: split each review into sentences (raw or tokenized text);
2. ``subjectivity``: P(opinion) of each sentence (naive Bayes, trained on subj);
3. ``extract``: Pang & Lee's minimum cut over those probabilities;
4. ``sentence_polarity``: each sentence's own polarity (NBSVM on rt-polarity);
5. ``aspects``: what each clause says of the acting, the story, the music...
   (it borrows the sentence polarity, verdict and subjectivity models);
6. ``verdict``: the review's polarity (NBSVM on uni- to trigrams), its
   calibrated probability, and the evidence: every phrase's, n-gram's and
   sentence's contribution;
7. ``caveats``: the share of the review's words the verdict could read, and the
   warnings (a guess, not English, very short, a written score that disagrees);
8. ``stars``: the rating (two ridge regressions mixed by P(positive)).

The CLI, the Python API, the batch engine and the server all call
:meth:`Model.analyze_batch` (or the label-only :meth:`Model.predict`, which
skips the sentences). A model file is a JSON manifest plus arrays
(:mod:`thumbs.pipeline.model_file`); each component saves its own.

Example
-------
>>> model = load_model()
>>> model.pipe_names
('sentences', 'subjectivity', 'extract', 'sentence_polarity', 'aspects', 'verdict', 'caveats', 'stars')
>>> model.analyze("A moving, beautifully acted film.").label
'positive'
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from thumbs.errors import ModelFileError, ThumbsError
from thumbs.pipeline.analysis import ROW_COLUMNS, Analysis
from thumbs.pipeline.aspects import Aspects
from thumbs.pipeline.caveats import Caveats
from thumbs.pipeline.component import LABELS, Component, Reviews
from thumbs.pipeline.extract import CutSettings, Extract
from thumbs.pipeline.model_file import load_model_file, model_fingerprint, save_model_file
from thumbs.pipeline.scorers import LinearScorer, StarWeights, rate
from thumbs.pipeline.sentence_polarity import SentencePolarity
from thumbs.pipeline.sentences import Sentences
from thumbs.pipeline.stars import Stars
from thumbs.pipeline.subjectivity import Subjectivity
from thumbs.pipeline.verdict import Verdict
from thumbs.text.aspect_terms import AspectTerms
from thumbs.text.review import review_problem

#: The default model's file inside the package.
DEFAULT_MODEL_FILE = "default.thumbs"
#: n-grams listed as evidence by default.
EVIDENCE_SIZE = 10
#: Every component a model file may name, by name. A new stage is one module and one entry here.
COMPONENTS: dict[str, type[Component]] = {
    component.name: component
    for component in (Sentences, Subjectivity, Extract, SentencePolarity, Aspects, Verdict, Caveats, Stars)
}
#: The order of the default pipeline (and of models saved before the pipeline was listed).
DEFAULT_PIPELINE = (
    "sentences",
    "subjectivity",
    "extract",
    "sentence_polarity",
    "aspects",
    "verdict",
    "caveats",
    "stars",
)
#: Components that keep nothing in the model file and that every model runs: a file saved
#: before one existed gets it after the component it follows (``caveats`` after ``verdict``).
STANDING_COMPONENTS = {"caveats": "verdict", "aspects": "sentence_polarity"}


def build_pipeline(
    *,
    subjectivity: LinearScorer,
    cut: CutSettings,
    sentence_polarity: LinearScorer,
    verdict: LinearScorer,
    stars: StarWeights,
) -> list[Component]:
    """The default pipeline's components, in order, from their trained parts."""
    return [
        Sentences(),
        Subjectivity(subjectivity),
        Extract(cut),
        SentencePolarity(sentence_polarity),
        Aspects(),
        Verdict(verdict),
        Caveats(),
        Stars(stars),
    ]


class Model:
    """A trained thumbs model: analyze reviews, or just label them.

    Build one with :func:`load_model` or :mod:`thumbs.learn.training`. The
    constructor stores the components and checks that each one's ``requires``
    are added by the components before it.
    """

    row_columns = ROW_COLUMNS

    def __init__(self, components: Sequence[Component], manifest: Mapping[str, Any] | None = None) -> None:
        self.components = tuple(components)
        self.manifest = dict(manifest or {})
        self.path: Path | None = None  # the file it was loaded from, if any
        _check_order(self.components)
        # a component that uses other components' scorers gets its own copy holding this model's
        # (spaCy's listeners): a component shared with another model keeps that model's
        self.components = tuple(
            component.bound([self.get(name) for name in component.borrows])  # type: ignore[attr-defined]
            if getattr(component, "borrows", None) is not None
            else component
            for component in self.components
        )

    @property
    def pipe_names(self) -> tuple[str, ...]:
        """The components' names, in the order a review goes through them."""
        return tuple(component.name for component in self.components)

    def get(self, name: str) -> Component:
        """The component called ``name``."""
        for component in self.components:
            if component.name == name:
                return component
        raise KeyError(f"this model has no {name!r} component; it has {', '.join(self.pipe_names)}")

    @property
    def verdict(self) -> LinearScorer:
        """The document polarity scorer (what :meth:`predict` and :meth:`rate` use)."""
        component = self.get("verdict")
        if not isinstance(component, Verdict):
            raise TypeError(f"the 'verdict' component is a {type(component).__name__}, not a Verdict")
        return component.scorer

    @property
    def stars(self) -> StarWeights:
        """The star weights (what :meth:`rate` uses)."""
        component = self.get("stars")
        if not isinstance(component, Stars):
            raise TypeError(f"the 'stars' component is a {type(component).__name__}, not Stars")
        return component.weights

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Worker processes reload a model from its file instead of receiving megabytes of pickle.

        A model given other aspects (:meth:`with_aspects`) sends them along, as plain terms.
        """
        if self.path is not None:
            aspects = self._aspects_component().terms
            if aspects is None:
                return (load_model, (str(self.path),))
            return (_load_with_aspects, (str(self.path), aspects.aspects))
        return super().__reduce_ex__(protocol)

    def with_aspects(self, terms: AspectTerms) -> Model:
        """This model, judging the aspects of ``terms`` instead of the built-in ones (it shares everything else).

        >>> from thumbs.text.aspect_terms import AspectTerms
        >>> model = load_model().with_aspects(AspectTerms({"villain": ["the villain"]}))
        >>> [a.aspect for a in model.analyze("The villain is a delight.").aspects]
        ['villain']
        """
        components = [Aspects(terms) if isinstance(c, Aspects) else c for c in self.components]
        model = Model(components, self.manifest)
        model.path = self.path
        return model

    @property
    def fingerprint(self) -> str:
        """A digest of what this model computes (see :func:`~thumbs.pipeline.model_file.model_fingerprint`):
        a batch journal records it, so that ``--resume`` never mixes two models' results."""
        terms = self._aspects_component().terms
        return model_fingerprint(self.manifest, self.to_arrays, None if terms is None else terms.aspects)

    def _aspects_component(self) -> Aspects:
        for component in self.components:
            if isinstance(component, Aspects):
                return component
        return Aspects()

    # --- labels only -------------------------------------------------------------------

    def decision_function(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """The verdict's decision values for many texts at once (positive means positive).

        Like :meth:`predict`, it refuses a text that cannot be read (:func:`_check_texts`).
        """
        return self.verdict.scores(_check_texts(texts, "decision_function"))

    def predict(self, texts: Sequence[str]) -> list[str]:
        """Labels only (``"positive"``/``"negative"``): the fast path, no sentences, stars or evidence.

        A text that cannot be read (not a string, empty, blank, too long, not UTF-8, no letter
        or digit) raises a :class:`~thumbs.errors.ThumbsError` naming its position and why:
        no text is given a label it was not read for.
        """
        return [LABELS[int(s > 0)] for s in self.verdict.scores(_check_texts(texts, "predict"))]

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Calibrated P(positive) for each text (refusing unreadable texts as :meth:`predict` does).

        The model's own probability: :meth:`analyze` alone also says when it is a guess (``warnings``).
        """
        scores = self.verdict.scores(_check_texts(texts, "predict_proba"))
        return np.asarray(self.verdict.probability(scores), dtype=np.float64)

    def rate(self, texts: Sequence[str]) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Decision values, calibrated P(positive) and stars of many texts at once (no sentences).

        The same numbers :meth:`analyze` gives each text, in one vectorized pass, except where
        the analysis says the verdict is a guess (its ``caveats``: the model knows almost none of
        the words, or the text is not English): there :meth:`analyze` gives the training prior as
        P(positive), and this the model's own probability. Unreadable texts are refused as
        :meth:`predict` refuses them.
        """
        checked = _check_texts(texts, "rate")
        if not checked:
            return np.zeros(0), np.zeros(0), np.zeros(0)
        return rate(self.verdict, self.stars, checked)

    # --- the full analysis -------------------------------------------------------------

    def analyze(self, text: str, id: str | None = None, evidence_size: int | None = EVIDENCE_SIZE) -> Analysis:
        """Analyze one review. A review that cannot be read gets an ``error``, never an exception.

        ``evidence_size`` is how many phrases and n-grams the evidence lists (strongest
        first); ``None`` lists every one (their contributions plus the bias add up to the score).
        """
        return self.analyze_batch([text], [id], evidence_size)[0]

    def analyze_batch(
        self,
        texts: Sequence[object],
        ids: Sequence[str | None] | None = None,
        evidence_size: int | None = EVIDENCE_SIZE,
    ) -> list[Analysis]:
        """Analyze several reviews at once: the same results as :meth:`analyze` of each, faster.

        Each component works on the whole batch in one pass where it can (every
        scorer reads the n-grams of all reviews at once); a review that cannot
        be read gets its ``error`` and the others are analyzed.
        """
        if evidence_size is not None and (isinstance(evidence_size, bool) or evidence_size < 0):
            raise ThumbsError(f"evidence_size must be None (all) or a count of 0 or more, not {evidence_size!r}")
        reviews = Reviews(texts, evidence_size)
        with _collector_paused():
            for component in self.components:
                if reviews.all_failed:
                    break  # no component sees an empty batch
                component(reviews)
            return reviews.analyses(list(ids) if ids is not None else [None] * len(texts))

    def analyze_many(
        self, reviews: Iterable[str | tuple[str | None, str]], jobs: int = 1, chunk_size: int = 64
    ) -> Iterator[Analysis]:
        """Analyze a stream of texts (or ``(id, text)`` pairs), yielding results in input order.

        With ``jobs > 1`` worker processes share the work (a stream that fits in
        one chunk stays in this process); memory stays flat on endless input.
        """
        from thumbs.pipeline.stream import analyze_stream

        return analyze_stream(self, reviews, jobs=jobs, chunk_size=chunk_size)

    def error_result(self, id: str | None, error: str) -> Analysis:
        """The result the batch engine writes for a record it could not read."""
        return Analysis.failed(id, error)

    # --- files ------------------------------------------------------------------------

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Every component's arrays, each name prefixed with its component's (``verdict.coef``)."""
        return {
            f"{component.name}.{key}": array
            for component in self.components
            for key, array in component.to_arrays().items()
        }

    def save(self, path: str | Path) -> None:
        """Write this model to ``path`` (JSON manifest + arrays, see :mod:`thumbs.pipeline.model_file`)."""
        manifest = {**self.manifest, "pipeline": list(self.pipe_names)}
        for component in self.components:
            manifest.update(component.settings())
        save_model_file(path, manifest, self.to_arrays())

    @classmethod
    def from_file(cls, path: str | Path) -> Model:
        """Load a model file, building each component its manifest names."""
        manifest, arrays = load_model_file(path)
        names = _with_standing(list(manifest.get("pipeline", DEFAULT_PIPELINE)))
        unknown = [name for name in names if name not in COMPONENTS]
        if unknown:
            raise ModelFileError(
                f"{path} needs pipeline components this thumbs does not have ({', '.join(map(str, unknown))}): "
                "upgrade thumbs, or use a model made by this version"
            )
        try:
            components = [COMPONENTS[name].from_saved(manifest, _prefixed(arrays, name)) for name in names]
            model = cls(components, manifest)
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFileError(f"{path} is not a complete thumbs analysis model (missing {exc})") from None
        model.path = Path(path)
        return model

    def __repr__(self) -> str:
        return f"Model(recipe={self.manifest.get('recipe')!r}, features={self.verdict.index.n_features:,})"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one batch is analyzed, then resume it.

    A batch of 64 reviews makes tens of thousands of objects (sentences, phrases, results), none
    of them in a reference cycle, so the collector can free none of them; left running, it starts
    after every 700 new objects and, now and then, walks every object the caller keeps (the
    results of earlier batches). Paused, it runs once after the batch. Reference counting frees
    what a batch drops as it always does. It is left paused if the caller had paused it; threads
    analyzing at once leave it running when the last is done. (On 3,000 aclImdb test reviews
    whose results are kept in a list, the full analysis ran 6 to 10% faster.)
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _load_with_aspects(path: str, aspects: Mapping[str, Sequence[str]]) -> Model:
    """A model file loaded in a worker, with the aspects its sender had (:meth:`Model.__reduce_ex__`)."""
    return load_model(path).with_aspects(AspectTerms(aspects))


def _with_standing(names: list[str]) -> list[str]:
    """A saved pipeline, with each standing component it lacks put after the one it follows."""
    for name, after in STANDING_COMPONENTS.items():
        if name not in names and after in names:
            names.insert(names.index(after) + 1, name)
    return names


def _prefixed(arrays: Mapping[str, np.ndarray], name: str) -> dict[str, np.ndarray]:
    """The arrays saved under ``name.``, without that prefix."""
    prefix = name + "."
    return {key[len(prefix) :]: value for key, value in arrays.items() if key.startswith(prefix)}


def _check_order(components: Sequence[Component]) -> None:
    """Raise when a component requires a field no earlier component adds."""
    added: set[str] = set()
    for component in components:
        missing = [field for field in component.requires if field not in added]
        if missing:
            raise ValueError(
                f"component {component.name!r} requires {', '.join(missing)}, which no earlier component adds"
            )
        added.update(component.adds)


def _check_texts(texts: Iterable[object], method: str) -> list[str]:
    """``texts`` as a list, or a ThumbsError naming the first one that cannot be read, and why.

    One pass of :func:`~thumbs.text.review.review_problem` (no tokenizing), so labels stay
    fast. Markup alone (``"<br />"``), whose letters are all inside tags, passes here; only
    :meth:`Model.analyze`, which tokenizes, can tell.
    """
    if isinstance(texts, str):
        raise ThumbsError(f"{method}() takes a list of texts; for one review use analyze(text) or {method}([text])")
    checked = list(texts)
    for position, text in enumerate(checked):
        problem = review_problem(text)
        if problem is not None:
            raise ThumbsError(f"{method}() cannot read text {position}: {problem}")
    return checked  # type: ignore[return-value]  # every one is a str: review_problem refuses anything else


def default_model_path() -> Path:
    """Where the shipped default model lives inside the installed package."""
    return Path(str(resources.files("thumbs").joinpath("data", DEFAULT_MODEL_FILE)))


_LOADED: dict[str, Model] = {}


def load_model(path: str | Path | None = None) -> Model:
    """Load a model file; ``None`` loads the default model shipped with thumbs (cached)."""
    target = default_model_path() if path is None else Path(path)
    key = str(target.resolve()) if target.exists() else str(target)
    if path is None and key in _LOADED:
        return _LOADED[key]
    if path is None and not target.is_file():
        raise ModelFileError(
            f"the default model is missing from this installation ({target}): "
            "reinstall thumbs, or build it with `thumbs train --recipe default --out FILE`"
        )
    model = Model.from_file(target)
    if path is None:
        _LOADED[key] = model
    return model
