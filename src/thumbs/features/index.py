"""A compiled n-gram index: the fast way from tokens to feature columns.

:class:`~thumbs.features.vectorizer.NgramVectorizer` learns a vocabulary of n-gram
*strings* ("not bad", "NOT_good film"), which is the right shape for training
and the wrong one for scoring millions of reviews: every n-gram of every review
would be built as a string only to be looked up and thrown away.
:class:`NgramIndex` compiles that vocabulary once into integer form:

* each token of the vocabulary gets an id (one dictionary lookup per token, or
  for a batch of texts a chunk memo over their bytes, :mod:`thumbs.features.chunk_memo`);
* negation scope (:func:`thumbs.text.negation.mark_negation`) is applied to the ids with
  NumPy: a token after a negation word, up to the next punctuation, is replaced
  by the id of its ``NOT_`` form;
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

from collections.abc import Mapping, Sequence
from itertools import chain, pairwise, repeat
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import scipy.sparse as sp

from thumbs.features.chunk_memo import ChunkMemo
from thumbs.features.hash_tables import KeyTable
from thumbs.features.int_sets import distinct, ranges
from thumbs.features.ngrams import NGRAM_JOINER
from thumbs.text.lowered import lowered_utf8
from thumbs.text.negation import NEGATION_PREFIX, NEGATION_WORDS
from thumbs.text.tokens import CHUNK_SEPARATOR, is_punctuation, tokenize

#: Stands between the documents of a batch: a token no text can produce.
DOCUMENT_SEPARATOR = CHUNK_SEPARATOR
#: Joins the vocabulary's tokens in the saved blob (no token contains it).
TOKEN_BLOB_SEPARATOR = "\n"

IntArray = NDArray[np.int64]

#: Most chunks (whitespace-separated pieces of text) an index remembers the ids of. When
#: full it keeps what it has (the frequent chunks arrive first) rather than starting over.
CHUNK_MEMO_SIZE = 500_000
#: Characters of text scored together by :meth:`NgramIndex.present`: enough to make the
#: per-batch NumPy calls cheap, few enough that a batch's arrays stay in the CPU's cache.
TEXT_BATCH_CHARS = 500_000


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
        Whether the features were made with negation marking.
    """

    def __init__(
        self,
        tokens: Sequence[str],
        keys: Sequence[IntArray],
        columns: Sequence[IntArray],
        n_features: int,
        negation: bool,
    ) -> None:
        self.tokens = list(tokens)
        self.keys = [np.asarray(k, dtype=np.int64) for k in keys]
        self.columns = [np.asarray(c, dtype=np.int64) for c in columns]
        self.n_features = int(n_features)
        self.negation = bool(negation)
        self._compile()

    # --- building -----------------------------------------------------------------

    @classmethod
    def from_vocabulary(
        cls, vocabulary: Mapping[str, int], *, ngram_range: tuple[int, int], negation: bool
    ) -> NgramIndex:
        """Compile a vectorizer's ``{n-gram: column}`` vocabulary.

        The vocabulary must be closed under sub-n-grams (every part of a feature
        n-gram is a feature too), as a vocabulary cut by ``min_df`` alone is.
        """
        split = {gram: gram.split(NGRAM_JOINER) for gram in vocabulary}
        token_set = {token for parts in split.values() for token in parts}
        token_set |= {t[len(NEGATION_PREFIX) :] for t in token_set if t.startswith(NEGATION_PREFIX)}
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

        Past the ``U`` real tokens come four pseudo-ids: the document separator,
        and an unknown token that is a word, punctuation, or a negation word.
        """
        n = len(self.tokens)
        self._token_id = {token: i for i, token in enumerate(self.tokens)}
        self._token_id[DOCUMENT_SEPARATOR] = n
        size = n + 4
        self._is_punctuation = np.zeros(size, dtype=bool)
        self._is_negator = np.zeros(size, dtype=bool)
        self._negated = np.full(size, -1, dtype=np.int64)
        # most tokens start with a letter or digit: only the others can be punctuation
        self._is_punctuation[:n] = [not token[:1].isalnum() and is_punctuation(token) for token in self.tokens]
        self._is_negator[[self._token_id[word] for word in NEGATION_WORDS if word in self._token_id]] = True
        for i, token in enumerate(self.tokens):
            if token.startswith(NEGATION_PREFIX):
                self._negated[self._token_id[token[len(NEGATION_PREFIX) :]]] = i
        self._is_punctuation[[n, n + 2]] = True  # the separator ends every scope
        self._is_negator[n + 3] = True
        # 1 for punctuation, 2 for a negation word (no token is both): one gather finds both
        self._kind = self._is_punctuation.astype(np.int8) + 2 * self._is_negator.astype(np.int8)
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
        self._chunks = ChunkMemo(self._token_id, self._unknown_id, CHUNK_MEMO_SIZE)
        # column -> (order, key), to name features
        self._column_order = np.zeros(self.n_features, dtype=np.int64)
        self._column_key = np.zeros(self.n_features, dtype=np.int64)
        for order, (keys, columns) in enumerate(zip(self.keys, self.columns), start=1):
            self._column_order[columns] = order
            self._column_key[columns] = keys

    # --- tokens -> ids --------------------------------------------------------------

    def _unknown_id(self, token: str) -> int:
        """The pseudo-id of a token not in the vocabulary (see :meth:`_compile`)."""
        n = len(self.tokens)
        if not token[:1].isalnum() and is_punctuation(token):  # most unknown tokens are rare words
            return n + 2
        return n + 3 if token in NEGATION_WORDS else n + 1

    def _raw_ids(self, tokens: Sequence[str]) -> IntArray:
        ids = np.fromiter(map(self._token_id.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        for i in np.flatnonzero(ids < 0):  # rare: tokens never seen in training
            ids[i] = self._unknown_id(tokens[int(i)])
        return ids

    def _negate(self, ids: IntArray) -> IntArray:
        """Apply negation scope to raw ids, in place.

        A token is negated when a negation word precedes it with no punctuation
        in between. Negation words and punctuation are a few tokens in ten, so
        this works on their positions: each negation word's scope runs to the
        next punctuation, and a negation word inside an earlier one's scope is
        itself negated and reaches no further.
        """
        kind = self._kind[ids]
        marks = np.flatnonzero(kind)
        kinds = kind[marks]
        negators = marks[kinds == 2]
        if not negators.size:
            return ids
        breaks = marks[kinds == 1]
        ends = np.append(breaks, len(ids))[np.searchsorted(breaks, negators)]
        first = np.ones(len(negators), dtype=bool)
        np.not_equal(ends[1:], ends[:-1], out=first[1:])
        starts = negators[first] + 1
        scope = ranges(starts, ends[first] - starts)
        ids[scope] = self._negated[ids[scope]]
        return ids

    def _finish(self, ids: IntArray) -> IntArray:
        """Apply negation scope to raw ids; pseudo-ids become -1."""
        if self.negation:
            ids = self._negate(ids)
        ids[ids >= len(self.tokens)] = -1
        return ids

    def token_ids(self, tokens: Sequence[str]) -> IntArray:
        """Ids of ``tokens`` after negation marking; -1 where a token is unknown."""
        return self._finish(self._raw_ids(tokens))

    def _raw_text_ids(self, texts: Sequence[str]) -> tuple[IntArray, IntArray]:
        """Raw ids of the tokens of several texts, a separator after each, and where each text ends.

        The ids :meth:`_raw_ids` gives :func:`thumbs.text.tokens.tokenize` of each text, found chunk
        by chunk with a memo (:class:`~thumbs.features.chunk_memo.ChunkMemo`): most chunks of a
        review ("the", "film,", "isn't") have been seen before.
        """
        data = lowered_utf8(texts)
        if data is not None:
            ids = self._chunks.ids(data)
            return ids, np.flatnonzero(ids == len(self.tokens)) + 1
        # a text holds a NUL, which reads as a separator: go text by text
        each = [self._raw_ids([*tokenize(text), DOCUMENT_SEPARATOR]) for text in texts]
        return np.concatenate(each), np.cumsum([len(ids) for ids in each])

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

    def present(self, documents: Sequence[Sequence[str]] | Sequence[str]) -> tuple[IntArray, IntArray]:
        """``(rows, columns)``: each distinct feature present in each document (texts or token lists).

        Sorted by row, then column; what a presence matrix holds, without building one.
        """
        if documents and isinstance(documents[0], str):
            ends = np.cumsum(np.fromiter(map(len, documents), dtype=np.int64, count=len(documents)))
            cuts = np.searchsorted(ends, np.arange(TEXT_BATCH_CHARS, ends[-1], TEXT_BATCH_CHARS), side="right")
            bounds = [0, *distinct(cuts[(cuts > 0) & (cuts < len(documents))]).tolist(), len(documents)]
            parts = [self._present_texts(documents[a:b]) for a, b in pairwise(bounds)]  # type: ignore[arg-type]
            rows = np.concatenate([batch_rows + a for a, (batch_rows, _) in zip(bounds, parts)])
            return rows, np.concatenate([columns for _, columns in parts])
        else:
            stream = list(chain.from_iterable(chain(doc, (DOCUMENT_SEPARATOR,)) for doc in documents))
            ids = self.token_ids(stream)
            lengths = np.fromiter((len(doc) + 1 for doc in documents), dtype=np.int64, count=len(documents))
        columns, starts = self._columns_of_ids(ids)
        return self._distinct_pairs(np.searchsorted(np.cumsum(lengths), starts, side="right"), columns, len(documents))

    def _present_texts(self, texts: Sequence[str]) -> tuple[IntArray, IntArray]:
        """:meth:`present` of a batch of texts (pseudo-ids are left as they are, see :meth:`_columns_of_ids`)."""
        ids, ends = self._raw_text_ids(texts)
        if self.negation:
            self._negate(ids)
        columns, starts = self._columns_of_ids(ids)
        row_of_token = np.repeat(np.arange(len(ends)), np.diff(ends, prepend=0))
        return self._distinct_pairs(row_of_token[starts], columns, len(texts))

    def _distinct_pairs(self, rows: IntArray, columns: IntArray, n_rows: int) -> tuple[IntArray, IntArray]:
        """The distinct ``(row, column)`` pairs (rows below ``n_rows``), sorted by row, then column.

        Sorted as one integer each, in 32 bits when they fit (a batch of texts
        nearly always does): half the memory to sort.
        """
        keys = rows * self.n_features + columns
        if n_rows * self.n_features < 2**31:
            pairs = np.divmod(distinct(keys.astype(np.int32)), np.int32(self.n_features))
            return pairs[0].astype(np.int64), pairs[1].astype(np.int64)
        return np.divmod(distinct(keys), self.n_features)

    def presence_matrix(self, documents: Sequence[Sequence[str]] | Sequence[str]) -> sp.csr_matrix:
        """Binary presence matrix of token lists (or of texts), as the vectorizer would give it."""
        import scipy.sparse as sp  # only here: analyzing a review never builds a matrix

        rows, columns = self.present(documents)
        indptr = np.searchsorted(rows, np.arange(len(documents) + 1))
        return sp.csr_matrix((np.ones(len(columns)), columns, indptr), shape=(len(documents), self.n_features))

    # --- names and storage -----------------------------------------------------------

    def feature_names(self, columns: Sequence[int] | IntArray) -> list[str]:
        """The n-gram string of each column, as the vectorizer names it."""
        n = len(self.tokens)
        names = []
        for column in np.asarray(columns, dtype=np.int64):
            order, key = int(self._column_order[column]), int(self._column_key[column])
            parts = []
            for _ in range(order):
                key, token = divmod(key, n)
                parts.append(self.tokens[token])
            names.append(NGRAM_JOINER.join(reversed(parts)))
        return names

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
        return cls(tokens, keys, columns, n_features, bool(negation))
