"""A stream of reviews analyzed in order, with flat memory: what :meth:`Model.analyze_many` does.

The texts (or ``(id, text)`` pairs) are read lazily in chunks; each chunk goes
through the model's :meth:`~thumbs.pipeline.model.Model.analyze_batch`, here or
on worker processes (:func:`thumbs.parallel.map_with`), and the results come
back in input order.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from typing import Any, Protocol

from thumbs.errors import ThumbsError
from thumbs.parallel import check_chunk_size, check_jobs, chunked, map_with

#: Reviews handed to a worker at a time.
DEFAULT_CHUNK_SIZE = 64


class Analyzer(Protocol):
    """What the stream needs of a model: ``analyze(text, id)``; ``analyze_batch(texts, ids)`` is used when present."""

    def analyze(self, text: str, id: str | None = None) -> Any: ...


def analyze_stream(
    model: Analyzer,
    texts_or_pairs: Iterable[str | tuple[Any, str]],
    *,
    jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[Any]:
    """The model's result for each text or ``(id, text)`` pair, in input order, read lazily.

    An exception from the model ends the stream (it is raised here); with
    ``jobs > 1`` the model and its results are pickled.

    >>> from thumbs import load_model
    >>> [r.label for r in analyze_stream(load_model(), ["Superb.", ("r2", "Dull.")])]
    ['positive', 'negative']
    """
    check_chunk_size(chunk_size)
    check_jobs(jobs)
    pairs = (_as_pair(position, item) for position, item in enumerate(texts_or_pairs))
    return _flatten(map_with(model, _analyze_pairs, chunked(pairs, chunk_size), jobs=jobs))


def _analyze_pairs(model: Analyzer, pairs: list[tuple[Any, str]]) -> list[Any]:
    analyze_batch = getattr(model, "analyze_batch", None)
    if analyze_batch is not None:
        return list(analyze_batch([text for _, text in pairs], [id_ for id_, _ in pairs]))
    return [model.analyze(text, id=id_) for id_, text in pairs]


def _as_pair(position: int, item: Any) -> tuple[Any, str]:
    if isinstance(item, str):
        return None, item
    if isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[1], str):
        return item[0], item[1]
    raise ThumbsError(f"item {position} is a {type(item).__name__}: pass review texts (str) or (id, text) pairs")


def _flatten(chunks: Generator[list[Any], None, None]) -> Iterator[Any]:
    try:
        for chunk in chunks:
            yield from chunk
    finally:
        chunks.close()  # stops worker processes when the caller stops early
