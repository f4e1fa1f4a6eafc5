"""A compiled n-gram index: the fast way from tokens to feature columns.

:class:`~thumbs.features.vectorizer.NgramVectorizer` learns a vocabulary of n-gram
*strings* ("not bad", "NOT_good film"), which is the right shape for training
and the wrong one for scoring millions of reviews: every n-gram of every review
would be built as a string only to be looked up and thrown away.
:class:`NgramIndex` compiles that vocabulary once into integer form:

* each token of the vocabulary gets an id (one dictionary lookup per token, or
  for a batch of texts a chunk memo over their bytes, :mod:`thumbs.features.chunk_memo`);
* negation scope (:func:`thumbs.text.negation.mark_negation`) is applied to the ids with
  NumPy (:mod:`thumbs.features.negation_scope`): a token in a negation word's scope is replaced
  by the id of its ``NOT_`` form (model files made before 0.2 keep their rule: scope to the next punctuation);
* an n-gram is saved as the integer ``((a * U) + b) * U + c`` of its token ids
  (``U`` is the number of tokens), and found by the integer ``column of its
  first n - 1 tokens * U + id of its last`` in a hash table
  (:class:`~thumbs.features.hash_tables.KeyTable`), only where its first and last n - 1
  tokens were found.

It gives exactly the columns the vectorizer would give, for one review
(:meth:`NgramIndex.occurrences`, with the position each n-gram starts at, which
the evidence of an analysis needs) or for a batch as a presence matrix
(:meth:`NgramIndex.presence_matrix`). It is saved as plain arrays
(:meth:`to_arrays` / :meth:`from_arrays`), so a model file needs no pickle.

Example
-------
>>> from thumbs.features.vectorizer import NgramVectorizer
>>> vectorizer = NgramVectorizer(ngram_range=(1, 2), negation=True)
>>> _ = vectorizer.fit([["not", "a", "good", "film"], ["a", "good", "film"]])
>>> index = NgramIndex.from_vocabulary(vectorizer.vocabulary_, ngram_range=(1, 2), negation=True)
>>> index.feature_names(index.occurrences(["not", "a", "good", "film"])[0])
['not', 'NOT_a', 'NOT_good', 'NOT_film', 'not NOT_a', 'NOT_a NOT_good', 'NOT_good NOT_film']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import scipy.sparse as sp

from thumbs.features.chunk_memo import ChunkMemo
from thumbs.features.emphasis import emphasized_at
from thumbs.features.feature_names import FeatureNames
from thumbs.features.hash_tables import KeyTable
from thumbs.features.negation_scope import NegationScope
from thumbs.features.ngrams import NGRAM_JOINER
from thumbs.features.presence import PresentBatch, present_batches
from thumbs.features.token_codes import CodeIds, TokenCodes
from thumbs.features.token_ids import TokenIds, unknown_kind
from thumbs.text.emphasis import TURN_WORDS, is_sentence_end
from thumbs.text.negation import (
    CONTRAST_WORDS,
    NEGATION_PREFIX,
    NEGATION_RULES,
    NEGATION_TO_PUNCTUATION,
    NO_NEGATION,
    NOT_NEGATING_NEXT,
)
from thumbs.text.tokens import CHUNK_SEPARATOR, is_punctuation

#: Stands between the documents of a batch: a token no text can produce.
DOCUMENT_SEPARATOR = CHUNK_SEPARATOR
#: Joins the vocabulary's tokens in the saved blob (no token contains it).
TOKEN_BLOB_SEPARATOR = "\n"

IntArray = NDArray[np.int64]

#: Most chunks (whitespace-separated pieces of text) an index remembers the ids of. When
#: full it keeps what it has (the frequent chunks arrive first) rather than starting over.
CHUNK_MEMO_SIZE = 500_000
#: Words the negation rules of 2 and emphasis (:mod:`thumbs.text.emphasis`) look for, kept in every new
#: index's tokens so that a text's ids say what they are even where training never saw them.
RULE_WORDS = CONTRAST_WORDS | NOT_NEGATING_NEXT | TURN_WORDS
#: What :meth:`NgramIndex.emphasized` marks a token as (0: anything else).
TURN, SENTENCE_END, SEPARATOR = 1, 2, 3


@dataclass(frozen=True, slots=True)
class StreamOccurrences:
    """Feature occurrences in a token stream (:meth:`NgramIndex.stream_occurrences`), and its words.

    ``columns``/``starts``: each feature n-gram occurring and the position it starts at;
    ``emphasized``: whether that position is emphasized (None without emphasis);
    ``words``/``known``: per token, a word, and a word with a unigram weight.
    """

    columns: IntArray
    starts: IntArray
    emphasized: NDArray[np.bool_] | None
    words: NDArray[np.bool_]
    known: NDArray[np.bool_]


class NgramIndex:
    """Feature columns of n-grams, computed on token ids.

    Build it with :meth:`from_vocabulary` (from a fitted vectorizer) or
    :meth:`from_arrays` (from a model file); the constructor only stores.

    Parameters
    ----------
    tokens:
        Every token that occurs in some feature (and the base form of every
        ``NOT_`` token), in id order.
    keys, columns:
        For each n (1, 2, ...), the sorted integer keys of the n-grams that are
        features and the feature column of each.
    n_features:
        Width of the feature space (the vectorizer's vocabulary size).
    negation:
        The negation rules the features were made with: ``True`` for today's
        (:data:`NEGATION_RULES`), ``False`` for none, or a number of a model file.
    """

    def __init__(
        self,
        tokens: Sequence[str],
        keys: Sequence[IntArray],
        columns: Sequence[IntArray],
        n_features: int,
        negation: bool | int,
    ) -> None:
        self.tokens = list(tokens)
        self.keys = [np.asarray(k, dtype=np.int64) for k in keys]
        self.columns = [np.asarray(c, dtype=np.int64) for c in columns]
        self.n_features = int(n_features)
        self.negation = NEGATION_RULES if negation is True else int(negation)
        if self.negation not in (NO_NEGATION, NEGATION_TO_PUNCTUATION, NEGATION_RULES):
            raise ValueError(f"unknown negation rules {negation!r}: this thumbs knows 0, 1 and 2")
        self._compile()

    # --- building -----------------------------------------------------------------

    @classmethod
    def from_vocabulary(
        cls, vocabulary: Mapping[str, int], *, ngram_range: tuple[int, int], negation: bool | int
    ) -> NgramIndex:
        """Compile a vectorizer's ``{n-gram: column}`` vocabulary.

        The vocabulary must be closed under sub-n-grams (every part of a feature
        n-gram is a feature too), as a vocabulary cut by ``min_df`` alone is.
        """
        split = {gram: gram.split(NGRAM_JOINER) for gram in vocabulary}
        token_set = {token for parts in split.values() for token in parts}
        token_set |= {t[len(NEGATION_PREFIX) :] for t in token_set if t.startswith(NEGATION_PREFIX)}
        token_set |= RULE_WORDS
        tokens = sorted(token_set)
        token_id = {token: i for i, token in enumerate(tokens)}
        n_max = ngram_range[1]
        if len(tokens) ** n_max * n_max >= 2**63:
            raise ValueError(f"{len(tokens)} tokens are too many for {n_max}-gram keys in 64 bits")
        by_order: list[tuple[list[int], list[int]]] = [([], []) for _ in range(n_max)]
        for gram, parts in split.items():
            key = 0
            for part in parts:
                key = key * len(tokens) + token_id[part]
            by_order[len(parts) - 1][0].append(key)
            by_order[len(parts) - 1][1].append(vocabulary[gram])
        keys, columns = [], []
        for order_keys, order_columns in by_order:
            k = np.asarray(order_keys, dtype=np.int64)
            order = np.argsort(k, kind="stable")
            keys.append(k[order])
            columns.append(np.asarray(order_columns, dtype=np.int64)[order])
        return cls(tokens, keys, columns, len(vocabulary), negation)

    def _compile(self) -> None:
        """Lookup tables over token ids.

        Past the ``U`` real tokens come five pseudo-ids: the document separator,
        and an unknown token that is a word, punctuation, a negation word, or
        punctuation that ends a sentence.
        """
        n = len(self.tokens)
        self._token_id = {token: i for i, token in enumerate(self.tokens)}
        self._token_id[DOCUMENT_SEPARATOR] = n
        size = n + 5
        self._is_punctuation = np.zeros(size, dtype=bool)
        # most tokens start with a letter or digit: only the others can be punctuation
        self._is_punctuation[:n] = [not token[:1].isalnum() and is_punctuation(token) for token in self.tokens]
        self._is_punctuation[[n, n + 2, n + 4]] = True
        self._is_word = ~self._is_punctuation  # the separator is neither a word nor a sentence end
        self._is_sentence_end = np.zeros(size, dtype=bool)
        self._is_sentence_end[:n] = [is_sentence_end(token) for token in self.tokens]
        self._is_sentence_end[n + 4] = True
        self._emphasis_kind = np.zeros(size, dtype=np.int8)
        self._emphasis_kind[self._is_sentence_end] = SENTENCE_END
        self._emphasis_kind[[self._token_id[w] for w in TURN_WORDS if w in self._token_id]] = TURN
        self._emphasis_kind[n] = SEPARATOR
        self._scope = NegationScope(self.tokens, self._token_id, self._is_punctuation, [n + 3], self.negation)
        self._unigram_column = np.full(size, -1, dtype=np.int64)
        if len(self.keys[0]):
            self._unigram_column[self.keys[0]] = self.columns[0]
        # one table for every order above 1, from (column of an n-gram's first n - 1 tokens, its last token)
        higher_keys, higher_columns = [], []
        for order in range(2, len(self.keys) + 1):
            prefix, last = np.divmod(self.keys[order - 1], n)
            at = np.minimum(np.searchsorted(self.keys[order - 2], prefix), max(len(self.keys[order - 2]) - 1, 0))
            if len(prefix) and not np.array_equal(self.keys[order - 2][at], prefix):
                raise ValueError("the vocabulary is not closed under sub-n-grams")
            higher_keys.append(self.columns[order - 2][at] * n + last)
            higher_columns.append(self.columns[order - 1])
        self._table = KeyTable(
            np.concatenate(higher_keys) if higher_keys else np.zeros(0, dtype=np.int64),
            np.concatenate(higher_columns) if higher_columns else np.zeros(0, dtype=np.int64),
        )
        self._ids = TokenIds(self._token_id, len(self.tokens))
        self._code_ids = CodeIds(self._ids)
        self._chunks = ChunkMemo(self._token_id, self._unknown_id, CHUNK_MEMO_SIZE)
        # column -> (order, key), to name features
        self._column_order = np.zeros(self.n_features, dtype=np.int64)
        self._column_key = np.zeros(self.n_features, dtype=np.int64)
        for order, (keys, columns) in enumerate(zip(self.keys, self.columns), start=1):
            self._column_order[columns] = order
            self._column_key[columns] = keys
        self._names = FeatureNames(self.tokens, self._column_order, self._column_key)

    # --- tokens -> ids --------------------------------------------------------------

    def _unknown_id(self, token: str) -> int:
        """The pseudo-id of a token not in the vocabulary (see :meth:`_compile`)."""
        return len(self.tokens) + unknown_kind(token)

    def _raw_ids(self, tokens: Sequence[str]) -> IntArray:
        return self._ids(tokens)

    def _finish(self, ids: IntArray) -> IntArray:
        """Apply negation scope to raw ids; pseudo-ids become -1."""
        if self.negation:
            ids = self._scope.apply(ids)
        ids[ids >= len(self.tokens)] = -1
        return ids

    def token_ids(self, tokens: Sequence[str]) -> IntArray:
        """Ids of ``tokens`` after negation marking; -1 where a token is unknown."""
        return self._finish(self._raw_ids(tokens))

    # --- ids -> columns ---------------------------------------------------------------

    def _columns_of_ids(self, ids: IntArray) -> tuple[IntArray, IntArray]:
        """Feature columns of every n-gram occurrence in ``ids``, and where each starts.

        Pseudo-ids (unknown tokens, the separator) may stand in ``ids`` as
        they are or as -1: they have no unigram column, so no n-gram holds one.
        """
        n_tokens = len(self.tokens)
        unigram = self._unigram_column[ids]
        found = np.flatnonzero(unigram >= 0)
        found_columns = [unigram[found]]
        found_starts = [found]
        # An n-gram in at least min_df documents has both its (n-1)-grams in at least as many,
        # so only where (n-1)-grams were found at i and i + 1 can one start: most are never looked up.
        # Its key is the column of its first n - 1 tokens (found at i) and its last token's id.
        columns = found_columns[0]
        for order in range(2, len(self.keys) + 1):
            follows = np.flatnonzero(found[1:] - found[:-1] == 1)
            where = found[follows]
            columns = self._table.lookup(columns[follows] * n_tokens + ids[where + (order - 1)])
            hit = np.flatnonzero(columns >= 0)
            found, columns = where[hit], columns[hit]
            found_columns.append(columns)
            found_starts.append(found)
        return np.concatenate(found_columns), np.concatenate(found_starts)

    def occurrences(self, tokens: Sequence[str]) -> tuple[IntArray, IntArray]:
        """``(columns, starts)``: each feature n-gram occurring in ``tokens`` and its start.

        A feature that occurs several times appears several times.
        """
        return self._columns_of_ids(self.token_ids(tokens))

    def emphasized(self, raw_ids: IntArray) -> NDArray[np.bool_]:
        """Which positions of raw ids (before negation, separators in place) are emphasized.

        The rules are :mod:`thumbs.text.emphasis`'s, worked out by
        :func:`thumbs.features.emphasis.emphasized_positions`.
        """
        kind = self._emphasis_kind[raw_ids]  # one gather; only turn words, sentence ends and separators are marked
        marks = np.flatnonzero(kind)
        kinds = kind[marks]
        return emphasized_at(
            len(raw_ids),
            marks[kinds == TURN],
            marks[kinds == SENTENCE_END],
            marks[kinds == SEPARATOR],
            lambda positions: self._is_word[raw_ids[positions]],
        )

    def emphasized_occurrences(self, tokens: Sequence[str]) -> tuple[IntArray, IntArray, NDArray[np.bool_]]:
        """:meth:`occurrences`, and whether each occurrence starts at an emphasized position."""
        found = self.stream_occurrences(self._raw_ids(tokens), emphasis=True)
        assert found.emphasized is not None
        return found.columns, found.starts, found.emphasized

    def stream_occurrences(self, raw: IntArray, emphasis: bool) -> StreamOccurrences:
        """:meth:`emphasized_occurrences` (or :meth:`occurrences`) of raw ids, and which tokens are words and known ones.

        What a full analysis reads of a batch's token stream (raw ids from :meth:`raw_ids`,
        :attr:`separator_id` between its parts): every feature occurrence, and for each token
        whether it is a word (has a letter or digit) and whether it is a word with a unigram
        column (after negation marking): the model's coverage of the text. ``raw`` is used up.
        """
        flags = self.emphasized(raw) if emphasis else None
        words = self._is_word[raw]
        ids = self._finish(raw)
        columns, starts = self._columns_of_ids(ids)
        known = words & (self._unigram_column[np.maximum(ids, 0)] >= 0) & (ids >= 0)
        return StreamOccurrences(columns, starts, None if flags is None else flags[starts], words, known)

    def raw_ids(self, tokens: Sequence[str]) -> IntArray:
        """The ids of ``tokens`` before negation marking; unknown tokens get pseudo-ids by kind."""
        return self._raw_ids(tokens)

    def code_ids(self, codes: TokenCodes) -> IntArray:
        """The raw ids (as :meth:`raw_ids` gives them) of a batch's tokens, coded once for every model."""
        return self._code_ids(codes)

    @property
    def separator_id(self) -> int:
        """The raw id of :data:`DOCUMENT_SEPARATOR`, which parts of a stream are joined with."""
        return len(self.tokens)

    @property
    def max_order(self) -> int:
        """The longest n-grams' order (3 for uni- to trigrams)."""
        return len(self.keys)

    def orders(self, columns: IntArray) -> IntArray:
        """The n-gram order (number of tokens) of each column."""
        return self._column_order[columns]

    def present(self, documents: Sequence[Sequence[str]] | Sequence[str]) -> tuple[IntArray, IntArray]:
        """``(rows, columns)``: each distinct feature present in each document (texts or token lists).

        Sorted by row, then column; what a presence matrix holds, without building one.
        """
        rows, columns, _ = self._present(documents, emphasis=False)
        return rows, columns

    def present_emphasized(
        self, documents: Sequence[Sequence[str]] | Sequence[str]
    ) -> tuple[IntArray, IntArray, NDArray[np.bool_]]:
        """:meth:`present`, and whether each feature occurs at least once at an emphasized position."""
        rows, columns, flags = self._present(documents, emphasis=True)
        assert flags is not None
        return rows, columns, flags

    def _present(
        self, documents: Sequence[Sequence[str]] | Sequence[str], emphasis: bool
    ) -> tuple[IntArray, IntArray, NDArray[np.bool_] | None]:
        parts = list(self.present_batches(documents, emphasis))
        rows = np.concatenate([part.rows + part.first for part in parts])
        columns = np.concatenate([part.columns for part in parts])
        flags = np.concatenate([part.emphasized for part in parts if part.emphasized is not None]) if emphasis else None
        return rows, columns, flags

    def present_batches(
        self, documents: Sequence[Sequence[str]] | Sequence[str], emphasis: bool = False
    ) -> Iterator[PresentBatch]:
        """:meth:`present` (with ``emphasis``, :meth:`present_emphasized`), a batch of documents at a time.

        See :func:`thumbs.features.presence.present_batches`.
        """
        return present_batches(self, documents, emphasis)

    def presence_matrix(self, documents: Sequence[Sequence[str]] | Sequence[str]) -> sp.csr_matrix:
        """Binary presence matrix of token lists (or of texts), as the vectorizer would give it."""
        import scipy.sparse as sp  # only here: analyzing a review never builds a matrix

        rows, columns = self.present(documents)
        indptr = np.searchsorted(rows, np.arange(len(documents) + 1))
        return sp.csr_matrix((np.ones(len(columns)), columns, indptr), shape=(len(documents), self.n_features))

    # --- names and storage -----------------------------------------------------------

    def feature_names(self, columns: Sequence[int] | IntArray) -> list[str]:
        """The n-gram string of each column, as the vectorizer names it (remembered: :class:`FeatureNames`)."""
        return self._names(columns)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays (no objects) that :meth:`from_arrays` turns back into this index."""
        blob = TOKEN_BLOB_SEPARATOR.join(self.tokens).encode("utf-8")
        arrays: dict[str, np.ndarray] = {
            "tokens": np.frombuffer(blob, dtype=np.uint8),
            "shape": np.array([self.n_features, int(self.negation), len(self.keys)], dtype=np.int64),
        }
        for order, (keys, columns) in enumerate(zip(self.keys, self.columns), start=1):
            arrays[f"keys{order}"] = keys
            arrays[f"columns{order}"] = columns.astype(np.int32)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> NgramIndex:
        """Rebuild an index saved by :meth:`to_arrays`."""
        blob = arrays["tokens"].tobytes().decode("utf-8")
        tokens = blob.split(TOKEN_BLOB_SEPARATOR) if blob else []
        n_features, negation, n_orders = (int(v) for v in arrays["shape"])
        keys = [arrays[f"keys{order}"] for order in range(1, n_orders + 1)]
        columns = [arrays[f"columns{order}"].astype(np.int64) for order in range(1, n_orders + 1)]
        return cls(tokens, keys, columns, n_features, negation)
