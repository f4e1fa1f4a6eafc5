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

from dataclasses import dataclass
from itertools import chain, pairwise
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from thumbs.features.int_sets import ranges
from thumbs.pipeline.analysis import Evidence, NgramEvidence, Phrase, SentenceEvidence
from thumbs.pipeline.component import Reviews, VerdictFindings
from thumbs.pipeline.phrases import IntArray, phrase_table, strongest_by_group, token_contributions
from thumbs.pipeline.scorer_component import ScorerComponent
from thumbs.text.offsets import may_share_characters
from thumbs.text.tokens import is_punctuation

#: Sentences listed as evidence (every sentence's share is also in ``sentences``).
EVIDENCE_SENTENCES = 3


class Verdict(ScorerComponent):
    """Fill ``verdict`` (scores, probabilities, shares) and ``evidence``, in one pass over the batch's n-grams."""

    name: ClassVar[str] = "verdict"
    adds: ClassVar[tuple[str, ...]] = ("verdict", "evidence")

    def __call__(self, reviews: Reviews) -> None:
        findings = self.findings(reviews)
        reviews.verdict = findings
        assert findings.phrases is not None
        listed = findings.phrases.strongest(len(reviews.sentences), reviews.evidence_size)
        rows = np.concatenate(listed) if listed else np.zeros(0, dtype=np.int64)
        bounds = np.cumsum([0, *map(len, listed)]).tolist()
        listing = _Listing(
            findings.phrases.sentence[rows].tolist(),
            findings.phrases.first[rows].tolist(),
            findings.phrases.end[rows].tolist(),
            findings.phrases.contribution[rows].tolist(),
            self._phrase_features(findings, rows),
        )
        n_docs = len(reviews.sentences)
        ngrams = strongest_by_group(findings.weights, findings.docs, n_docs, reviews.evidence_size)
        ngram_rows = np.concatenate(ngrams) if ngrams else np.zeros(0, dtype=np.int64)
        names = self.scorer.index.feature_names(findings.columns[ngram_rows])
        weights = findings.weights[ngram_rows].tolist()
        ngram_bounds = np.cumsum([0, *map(len, ngrams)]).tolist()
        review_of_sentence = np.repeat(np.arange(n_docs), np.diff(reviews.sentence_bounds))
        strongest = strongest_by_group(findings.shares, review_of_sentence, n_docs, EVIDENCE_SENTENCES)
        reviews.evidence = [
            Evidence(
                bias=self.scorer.intercept,
                ngrams=tuple(map(NgramEvidence, names[a:b], weights[a:b])),
                sentences=self._strongest_sentences(reviews, findings, d, strongest[d]),
                phrases=self._phrases(reviews, findings, d, listing, range(*phrase_range)),
            )
            for d, ((a, b), phrase_range) in enumerate(zip(pairwise(ngram_bounds), pairwise(bounds)))
        ]

    def findings(self, reviews: Reviews) -> VerdictFindings:
        """Scores, probabilities, each review's distinct features, each sentence's share, and the phrases."""
        scorer = self.scorer
        index = scorer.index
        n_features = index.n_features
        documents = reviews.sentences
        codes = reviews.token_codes()
        per_review = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        raw = codes.stream(index.code_ids(codes), index.separator_id, groups=per_review)
        n_stream = len(raw)
        found = index.stream_occurrences(raw, emphasis=bool(scorer.emphasis))
        columns, starts, at_emphasis = found.columns, found.starts, found.emphasized
        # a review's sentences run on in the stream, and a separator follows each review
        review_of_sentence = np.repeat(np.arange(len(documents)), per_review)
        sentence_ends = np.cumsum(codes.lengths) + review_of_sentence
        sentence_starts = sentence_ends - codes.lengths
        tokens_per_review = np.bincount(review_of_sentence, weights=codes.lengths, minlength=len(documents))
        doc_starts = np.concatenate([[0], np.cumsum(tokens_per_review.astype(np.int64) + 1)[:-1]]).astype(np.int64)
        n_docs, n_sentences = len(documents), len(sentence_ends)
        doc_of_token = np.repeat(np.arange(n_docs), tokens_per_review.astype(np.int64) + 1)
        doc_of = doc_of_token[starts]
        # distinct (review, feature) pairs, from one sort of the occurrences: the evidence and the score
        doc_keys = doc_of * n_features + columns
        by_key = np.argsort(doc_keys)
        sorted_keys = doc_keys[by_key]
        opens = np.ones(len(sorted_keys), dtype=bool)
        np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=opens[1:])
        heads = np.flatnonzero(opens)
        pairs = sorted_keys[heads]
        pair_of = np.empty(len(doc_keys), dtype=np.int64)
        pair_of[by_key] = np.cumsum(opens) - 1
        emphasized = None
        if at_emphasis is not None:
            emphasized = np.logical_or.reduceat(at_emphasis[by_key], heads) if len(heads) else np.zeros(0, dtype=bool)
        docs, features = np.divmod(pairs, n_features)
        contributions = scorer.contributions(docs, features, n_docs, emphasized)
        scores = scorer.total(docs, features, n_docs, emphasized)  # summed as the labels' path sums them
        # each occurrence's equal part of its feature's contribution, each token's share of the parts
        # covering it: the phrases, and each sentence's share (the sum of its tokens')
        occurrences_of_pair = np.diff(np.append(heads, len(sorted_keys)))
        parts = contributions[pair_of] / occurrences_of_pair[pair_of]
        ends = starts + index.orders(columns)
        values = token_contributions(n_stream, starts, ends, parts)
        token_sentence = np.full(n_stream, -1, dtype=np.int64)
        in_sentence = ranges(sentence_starts, codes.lengths)
        token_sentence[in_sentence] = np.repeat(np.arange(n_sentences), codes.lengths)
        phrases = phrase_table(
            values=values,
            sentence_of_token=token_sentence,
            doc_of_token=doc_of_token,
            n_docs=n_docs,
            glued=self._glued(reviews, doc_starts, n_stream),
        )
        by_start = np.argsort(starts, kind="stable")
        return VerdictFindings(
            scores=scores,
            probability=np.asarray(scorer.probability(scores), dtype=np.float64),
            docs=docs,
            columns=features,
            weights=contributions,
            shares=np.asarray(
                np.bincount(token_sentence[in_sentence], weights=values[in_sentence], minlength=n_sentences),
                dtype=np.float64,
            ),
            words=np.add.reduceat(found.words, doc_starts).astype(np.int64),
            known=np.add.reduceat(found.known, doc_starts).astype(np.int64),
            phrases=phrases,
            occurrences=(starts[by_start], ends[by_start], columns[by_start]),
            sentence_starts=sentence_starts,
        )

    def _glued(self, reviews: Reviews, doc_starts: IntArray, n_stream: int) -> NDArray[np.bool_] | None:
        """Which tokens of the stream came from a character of the token before ("½" is "1⁄2"), or None.

        Only a character reference (``&frac12;``) or a character that NFKC changes can make
        such tokens; a review with neither costs a check or two.
        """
        glued = None
        for d, sentences in enumerate(reviews.sentences):
            if not may_share_characters(str(reviews.texts[reviews.positions[d]])):
                continue
            starts = np.fromiter(chain.from_iterable(s.token_starts for s in sentences), dtype=np.int64)
            ends = np.fromiter(chain.from_iterable(s.token_ends for s in sentences), dtype=np.int64)
            shared = reviews.offsets(d).shared(starts, ends)
            if shared is not None:
                if glued is None:
                    glued = np.zeros(n_stream, dtype=bool)
                glued[int(doc_starts[d]) + np.flatnonzero(shared)] = True
        return glued

    def _strongest_sentences(
        self, reviews: Reviews, findings: VerdictFindings, d: int, rows: IntArray
    ) -> tuple[SentenceEvidence, ...]:
        """Review ``d``'s sentences of ``rows`` (batch-wide), by their index in the review."""
        first = int(reviews.sentence_bounds[d])
        sentences = reviews.sentences[d]
        return tuple(
            SentenceEvidence(i - first, sentences[i - first].text, share)
            for i, share in zip(rows.tolist(), findings.shares[rows].tolist())
        )

    def _phrases(
        self, reviews: Reviews, findings: VerdictFindings, d: int, listing: _Listing, listed: range
    ) -> tuple[Phrase, ...]:
        """Review ``d``'s listed phrases (its items of ``listing``), in the words of its text."""
        if not listed:
            return ()
        offsets = reviews.offsets(d)
        first_sentence = int(reviews.sentence_bounds[d])
        sentences = reviews.sentences[d]
        phrases = []
        for i in listed:
            s = listing.sentence[i]
            sentence = sentences[s - first_sentence]
            base = int(findings.sentence_starts[s])
            # an n-gram may run into the next sentence: the phrase's words stop at its sentence's end
            first, end = _trimmed(
                sentence.tokens, listing.first[i] - base, min(listing.end[i] - base, len(sentence.tokens))
            )
            words, spans = offsets.words(sentence, first, end)
            phrases.append(
                Phrase(
                    text=words,
                    spans=spans,
                    sentence=s - first_sentence,
                    contribution=listing.contribution[i],
                    features=listing.features[i],
                )
            )
        return tuple(phrases)

    def _phrase_features(self, findings: VerdictFindings, rows: IntArray) -> list[tuple[str, ...]]:
        """The distinct internal n-grams that give each phrase of ``rows`` its contribution, in the order they start.

        One pass for the whole batch: the occurrences that start up to ``max_order - 1`` tokens
        before a phrase, or in it, and end inside it.
        """
        table = findings.phrases
        assert table is not None
        starts, ends, columns = findings.occurrences
        first = table.first[rows]
        low = np.searchsorted(starts, first - (self.scorer.index.max_order - 1))
        counts = np.searchsorted(starts, table.end[rows]) - low
        candidates = ranges(low, counts)
        owner = np.repeat(np.arange(len(rows)), counts)
        covering = np.flatnonzero(ends[candidates] > first[owner])
        owner, found = owner[covering], columns[candidates[covering]]
        # each phrase's distinct columns in the order they start: the first of each (phrase, column)
        keys = owner * self.scorer.index.n_features + found
        by_key = np.argsort(keys, kind="stable")
        heads = np.ones(len(keys), dtype=bool)
        np.not_equal(keys[by_key[1:]], keys[by_key[:-1]], out=heads[1:])
        kept = np.sort(by_key[heads])
        named, which = np.unique(found[kept], return_inverse=True)  # each column named once
        names = self.scorer.index.feature_names(named)
        listed = [names[k] for k in which.tolist()]
        bounds = np.searchsorted(owner[kept], np.arange(len(rows) + 1)).tolist()
        return [tuple(listed[a:b]) for a, b in pairwise(bounds)]


@dataclass(frozen=True, slots=True)
class _Listing:
    """The phrases a batch lists, as plain lists: sentence, first and end token position, contribution, features."""

    sentence: list[int]
    first: list[int]
    end: list[int]
    contribution: list[float]
    features: list[tuple[str, ...]]


def _trimmed(tokens: tuple[str, ...], first: int, end: int) -> tuple[int, int]:
    """``first:end`` without the punctuation at its edges (kept when the phrase is nothing else)."""
    a, b = first, end
    while a < b and not tokens[a][:1].isalnum() and is_punctuation(tokens[a]):
        a += 1
    while b > a and not tokens[b - 1][:1].isalnum() and is_punctuation(tokens[b - 1]):
        b -= 1
    return (a, b) if a < b else (first, end)
