"""Features: documents -> sparse n-gram matrices.

Every model in thumbs reads the same features, made here from the canonical
tokens of :mod:`thumbs.text`: contiguous n-grams of tokens, binary presence by
default (Pang et al. 2002 found presence beats frequency for polarity), with
optional negation marking.

Documents may be given as text (raw or tokenized form) or as already tokenized
sequences, so a caller that needs the tokens for other work tokenizes once.

Example
-------
>>> vectorizer = NgramVectorizer(ngram_range=(1, 2))
>>> X = vectorizer.fit_transform(["a fine film", "not a fine film"])
>>> X.shape
(2, 7)
>>> vectorizer.get_feature_names_out()[:3].tolist()
['a', 'a fine', 'film']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer

from thumbs.features.ngrams import ngrams
from thumbs.text.negation import NEGATION_RULES, mark_negation
from thumbs.text.tokens import tokenize

Document = str | Sequence[str]


class NgramVectorizer(TransformerMixin, BaseEstimator):
    """Turn documents into a sparse matrix of n-gram presences (or counts).

    Parameters
    ----------
    ngram_range:
        Smallest and largest n-gram length, e.g. ``(1, 2)`` for unigrams and bigrams.
    binary:
        Record presence (1/0) rather than counts.
    negation:
        Mark the tokens in a negation's scope with ``NOT_`` before making n-grams
        (see :func:`thumbs.text.negation.mark_negation`): ``True`` for today's rules,
        or the number of a set of rules (1: thumbs 0.1's).
    min_df:
        Drop n-grams seen in fewer training documents than this.
    """

    def __init__(
        self,
        ngram_range: tuple[int, int] = (1, 1),
        binary: bool = True,
        negation: bool | int = False,
        min_df: int = 1,
    ) -> None:
        self.ngram_range = ngram_range
        self.binary = binary
        self.negation = negation
        self.min_df = min_df

    def _analyze(self, document: Document) -> list[str]:
        tokens = tokenize(document) if isinstance(document, str) else document
        if self.negation:
            tokens = mark_negation(tokens, NEGATION_RULES if self.negation is True else int(self.negation))
        low, high = self.ngram_range
        return ngrams(tokens, (low, high))

    def _validate(self, documents: Iterable[Document]) -> list[Document]:
        if isinstance(documents, str):
            raise ValueError("expected a list of documents, got one string: wrap it in a list")
        documents = list(documents)
        if not documents:
            raise ValueError("no documents given: pass at least one text")
        low, high = self.ngram_range
        if not 1 <= low <= high:
            raise ValueError(f"ngram_range must satisfy 1 <= low <= high, got {self.ngram_range}")
        return documents

    def fit(self, documents: Iterable[Document], y: object = None) -> NgramVectorizer:
        """Learn the n-gram vocabulary of the training documents."""
        self.fit_transform(documents)
        return self

    def fit_transform(self, documents: Iterable[Document], y: object = None) -> sp.csr_matrix:
        """Learn the vocabulary and return the training documents' matrix."""
        documents = self._validate(documents)
        self.counter_ = CountVectorizer(
            analyzer=self._analyze, binary=self.binary, min_df=self.min_df, dtype=np.float64
        )
        matrix = self.counter_.fit_transform(documents)
        self.vocabulary_ = self.counter_.vocabulary_
        return matrix.tocsr()

    def transform(self, documents: Iterable[Document]) -> sp.csr_matrix:
        """Return the matrix of documents over the learned vocabulary (unknown n-grams dropped)."""
        if not hasattr(self, "counter_"):
            raise ValueError("this NgramVectorizer is not fitted yet: call fit first")
        return self.counter_.transform(self._validate(documents)).tocsr()

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Return the n-gram of each column, in column order."""
        if not hasattr(self, "counter_"):
            raise ValueError("this NgramVectorizer is not fitted yet: call fit first")
        return self.counter_.get_feature_names_out()
