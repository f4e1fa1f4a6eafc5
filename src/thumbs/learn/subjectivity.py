"""Sentence subjectivity: is a sentence opinion, or does it only retell the plot?

Pang & Lee (2004) trained naive Bayes on their subjectivity dataset (5000
review snippets as subjective, 5000 plot-summary sentences as objective) and
used its probabilities as the individual scores of the minimum cut. This class
is that classifier: unigram presence features and :class:`NaiveBayes`, with a
``temperature`` that softens naive Bayes' famously overconfident posteriors so
that the association scores of the cut can matter (``temperature=1`` is the
plain posterior).

Example
-------
>>> clf = SubjectivityClassifier().fit(
...     [["a", "dull", "and", "awful", "film"], ["he", "moves", "to", "paris"],
...      ["i", "loved", "it"], ["she", "meets", "her", "father"]],
...     ["subjective", "objective", "subjective", "objective"])
>>> bool(clf.predict_proba([["awful", "and", "dull"]])[0] > 0.5)
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator

from thumbs.features.vectorizer import NgramVectorizer
from thumbs.learn.nb import NaiveBayes

#: The label of opinion sentences in the subjectivity corpus.
SUBJECTIVE = "subjective"


class SubjectivityClassifier(BaseEstimator):
    """P(subjective) for sentences given as token sequences (or text).

    Parameters
    ----------
    ngram_range:
        n-gram lengths of the features (unigrams, as in the paper).
    alpha:
        Naive Bayes smoothing.
    temperature:
        The log-odds are divided by this before the sigmoid; larger values
        give softer probabilities. The ranking of sentences does not change.
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 1), alpha: float = 1.0, temperature: float = 1.0) -> None:
        self.ngram_range = ngram_range
        self.alpha = alpha
        self.temperature = temperature

    def fit(self, sentences: Sequence[Sequence[str] | str], labels: Sequence[str]) -> SubjectivityClassifier:
        """Learn from sentences labelled ``"subjective"`` or anything else (objective)."""
        if self.temperature <= 0:
            raise ValueError(f"temperature must be > 0, got {self.temperature!r}")
        y = np.where(np.asarray(labels) == SUBJECTIVE, SUBJECTIVE, "objective")
        if len(set(y)) != 2:
            raise ValueError("subjectivity training needs both subjective and objective sentences")
        self.vectorizer_ = NgramVectorizer(ngram_range=self.ngram_range)
        self.model_ = NaiveBayes(alpha=self.alpha).fit(self.vectorizer_.fit_transform(sentences), y)
        return self

    def log_odds(self, sentences: Sequence[Sequence[str] | str]) -> NDArray[np.float64]:
        """Naive Bayes log-odds of subjective over objective, one per sentence."""
        if len(sentences) == 0:
            return np.zeros(0)
        scores = self.model_.decision_function(self.vectorizer_.transform(sentences))
        # decision_function is the log-odds of classes_[1]; classes are sorted.
        return scores if self.model_.classes_[1] == SUBJECTIVE else -scores

    def predict_proba(self, sentences: Sequence[Sequence[str] | str]) -> NDArray[np.float64]:
        """P(subjective) for each sentence, softened by ``temperature``."""
        return 1.0 / (1.0 + np.exp(-self.log_odds(sentences) / self.temperature))
