"""A stream of reviews analyzed in order, with flat memory: what :meth:`Model.analyze_many` does.

The texts (or ``(id, text)`` pairs) are read lazily in chunks; each chunk goes
through the model's :meth:`~thumbs.pipeline.model.Model.analyze_batch`, here or
on worker processes (:func:`thumbs.parallel.map_with`), and the results come
back in input order.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from typing import Any, Protocol

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

    A text that cannot be read (None, bytes, empty, no words...) gets a result with its
    ``error``, as in :meth:`~thumbs.pipeline.model.Model.analyze_batch`; an exception from
    the model ends the stream (it is raised here). With ``jobs > 1`` the model and its
    results are pickled.

    >>> from thumbs import load_model
    >>> [r.label for r in analyze_stream(load_model(), ["Superb.", ("r2", "Dull.")])]
    ['positive', 'negative']
    """
    check_chunk_size(chunk_size)
    check_jobs(jobs)
    pairs = (_as_pair(item) for item in texts_or_pairs)
    return _flatten(map_with(model, _analyze_pairs, chunked(pairs, chunk_size), jobs=jobs))


def _analyze_pairs(model: Analyzer, pairs: list[tuple[Any, Any]]) -> list[Any]:
    analyze_batch = getattr(model, "analyze_batch", None)
    if analyze_batch is not None:
        return list(analyze_batch([text for _, text in pairs], [id_ for id_, _ in pairs]))
    return [model.analyze(text, id=id_) for id_, text in pairs]


def _as_pair(item: Any) -> tuple[Any, Any]:
    """``(id, text)`` of one item: a pair as given, anything else a text without an id.

    A text that is not one (None, bytes, a number) is passed on as it is, so the model
    gives it its own ``error`` (:func:`thumbs.text.review.review_problem`) and the rest of
    the stream is analyzed.
    """
    if isinstance(item, tuple | list) and len(item) == 2:
        return item[0], item[1]
    return None, item


def _flatten(chunks: Generator[list[Any], None, None]) -> Iterator[Any]:
    try:
        for chunk in chunks:
            yield from chunk
    finally:
        chunks.close()  # stops worker processes when the caller stops early
