"""Many documents at once: each text split into sentences of tokens, in worker processes for big corpora.

Training (:mod:`thumbs.learn.training`) and evaluation (:mod:`thumbs.evaluation`)
both tokenize whole corpora once before building features; this is the one
place that does it, in the text layer, so neither has to import the other.

>>> sentences = tokenize_documents(["Not bad. Fine!", "Dull."])
>>> sentences[0]
[('not', 'bad', '.'), ('fine', '!')]
>>> [flatten(s) for s in sentences]
[['not', 'bad', '.', 'fine', '!'], ['dull', '.']]
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from thumbs.text.sentences import split_sentences

#: Corpora larger than this are tokenized in worker processes.
PARALLEL_TOKENIZE_MIN = 4000
#: Texts handed to a worker process at a time (few round trips, even shares).
PARALLEL_CHUNKSIZE = 256


def _sentence_tokens(text: str) -> list[tuple[str, ...]]:
    """The tokens of each sentence of ``text`` (a top-level function, so worker processes can run it)."""
    return [sentence.tokens for sentence in split_sentences(text)]


def tokenize_documents(texts: Sequence[str], jobs: int = 1) -> list[list[tuple[str, ...]]]:
    """Split each text into sentences of tokens, in ``jobs`` worker processes for large inputs."""
    if jobs > 1 and len(texts) >= PARALLEL_TOKENIZE_MIN:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(_sentence_tokens, texts, chunksize=PARALLEL_CHUNKSIZE))
    return [_sentence_tokens(text) for text in texts]


def flatten(sentences: Sequence[Sequence[str]]) -> list[str]:
    """The tokens of a document's sentences, in order."""
    return [token for sentence in sentences for token in sentence]
