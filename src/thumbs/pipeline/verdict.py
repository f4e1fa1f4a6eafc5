"""The ``verdict`` component: the review's polarity, its calibrated probability, and the evidence.

The scorer is linear over n-gram presence (NBSVM on uni- to trigrams for the
default model), so the score splits exactly: every distinct n-gram present adds
its weight once (``1 + emphasis`` times its weight when it occurs where the
review turns or in its last sentence, :mod:`thumbs.text.emphasis`), and these
contributions plus the bias are the score. Each sentence's share is the sum of
the contributions of the n-grams that start in it, a contribution split equally
among the sentences where its n-gram occurs, so a review's shares also add up to
its score less the bias.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from thumbs.features.index import DOCUMENT_SEPARATOR
from thumbs.features.int_sets import distinct, members, multiplicity
from thumbs.pipeline.analysis import Evidence, NgramEvidence, SentenceEvidence
from thumbs.pipeline.component import Reviews, VerdictFindings
from thumbs.pipeline.scorer_component import ScorerComponent

#: Sentences listed as evidence (every sentence's share is also in ``sentences``).
EVIDENCE_SENTENCES = 3


class Verdict(ScorerComponent):
    """Fill ``verdict`` (scores, probabilities, shares) and ``evidence``, in one pass over the batch's n-grams."""

    name: ClassVar[str] = "verdict"
    adds: ClassVar[tuple[str, ...]] = ("verdict", "evidence")

    def __call__(self, reviews: Reviews) -> None:
        findings = self.findings(reviews)
        reviews.verdict = findings
        reviews.evidence = [self._evidence(reviews, findings, d) for d in range(len(reviews.sentences))]

    def findings(self, reviews: Reviews) -> VerdictFindings:
        """Scores, probabilities, each review's distinct features and each sentence's share."""
        scorer = self.scorer
        n_features = scorer.index.n_features
        documents = reviews.sentences
        lengths = [[len(s.tokens) for s in sentences] for sentences in documents]
        stream = [t for sentences in documents for t in (*(t for s in sentences for t in s.tokens), DOCUMENT_SEPARATOR)]
        if scorer.emphasis:
            columns, starts, at_emphasis = scorer.index.emphasized_occurrences(stream)
        else:
            (columns, starts), at_emphasis = scorer.index.occurrences(stream), None
        doc_ends = np.cumsum([sum(ls) + 1 for ls in lengths])
        doc_starts = np.concatenate([[0], doc_ends[:-1]])
        sentence_ends = np.concatenate([start + np.cumsum(ls) for start, ls in zip(doc_starts, lengths)]).astype(
            np.int64
        )
        doc_of = np.searchsorted(doc_ends, starts, side="right")
        sentence_of = np.searchsorted(sentence_ends, starts, side="right")
        n_docs, n_sentences = len(documents), len(sentence_ends)
        # distinct (review, feature): the evidence and the score
        doc_keys = doc_of * n_features + columns
        pairs = distinct(doc_keys)
        emphasized = None if at_emphasis is None else members(pairs, distinct(doc_keys[at_emphasis]))
        docs, features = np.divmod(pairs, n_features)
        contributions = scorer.contributions(docs, features, n_docs, emphasized)
        scores = scorer.total(docs, features, n_docs, emphasized)  # summed as the labels' path sums them
        # distinct (sentence, feature): each sentence's share
        pair_sentences, pair_columns = np.divmod(distinct(sentence_of * n_features + columns), n_features)
        pair_docs = np.searchsorted(doc_ends, sentence_ends[pair_sentences] - 1, side="right")
        pair_keys = pair_docs * n_features + pair_columns
        sentences_with = multiplicity(pair_keys)
        pair_contributions = contributions[np.searchsorted(pairs, pair_keys)]
        return VerdictFindings(
            scores=scores,
            probability=np.asarray(scorer.probability(scores), dtype=np.float64),
            docs=docs,
            columns=features,
            weights=contributions,
            bounds=np.searchsorted(docs, np.arange(n_docs + 1)),
            shares=np.asarray(
                np.bincount(pair_sentences, weights=pair_contributions / sentences_with, minlength=n_sentences),
                dtype=np.float64,
            ),
        )

    def _evidence(self, reviews: Reviews, findings: VerdictFindings, d: int) -> Evidence:
        """The n-grams (all, or the ``evidence_size`` strongest) and sentences that pushed review ``d`` most."""
        columns, weights = findings.features(d)
        order = np.argsort(-np.abs(weights), kind="stable")
        if reviews.evidence_size is not None:
            order = order[: reviews.evidence_size]
        names = self.scorer.index.feature_names(columns[order])
        shares = findings.shares[reviews.own(d)]
        strongest = np.argsort(-np.abs(shares), kind="stable")[:EVIDENCE_SENTENCES]
        sentences = reviews.sentences[d]
        return Evidence(
            bias=self.scorer.intercept,
            ngrams=tuple(NgramEvidence(n, float(w)) for n, w in zip(names, weights[order])),
            sentences=tuple(SentenceEvidence(int(i), sentences[i].text, float(shares[i])) for i in strongest),
        )
