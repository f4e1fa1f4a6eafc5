"""A request's own aspects (``"aspects": {"name": ["term", ...]}``) and the models that judge them.

The API takes the same aspects as ``thumbs analyze --aspects FILE``: :func:`request_aspects`
checks them by the file's rules (:mod:`thumbs.text.aspect_terms`: each aspect a list of string
terms, at least one with a word) and by this server's limits, and gives their canonical form:
the aspects in the order given, each with its terms sorted and without repeats (a term's order
within its aspect does not change what the aspect finds). That form keys :class:`AspectModels`,
a small LRU of :meth:`Model.with_aspects` models, each with its own
:class:`~thumbs.server.batching.MicroBatcher`: single reviews that arrive together are
analyzed in one call only with the reviews that asked for the same aspects, never mixed.

>>> request_aspects({"Hannibal": ["lecter", "hannibal", "lecter"]})
(('Hannibal', ('hannibal', 'lecter')),)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from thumbs.errors import ThumbsError
from thumbs.pipeline.model import Model
from thumbs.server.batching import MicroBatcher
from thumbs.text.aspect_terms import AspectTerms, aspects_of, builtin_aspect_terms

#: Most aspects one request may add. A heat map of more columns is unreadable, and each aspect's
#: terms go into the model the request builds (and into the cache's key).
MAX_REQUEST_ASPECTS = 20
#: Most terms one aspect may have: a character's names, an actor's, their spellings fit in far fewer.
MAX_ASPECT_TERMS = 50
#: Longest aspect name, in characters: it is a column of the heat map and a key of every result.
MAX_ASPECT_NAME_CHARS = 64
#: Longest term, in characters: a term is a few words that name the aspect, not a sentence.
MAX_TERM_CHARS = 100
#: Models kept for the aspects of recent requests. A model with other aspects shares every
#: scorer with the server's model (0.6 ms to build; measured with 51 terms, about 76 KiB once it
#: has analyzed, its term tables and caches): 32 of them are a few MiB, and a client sending new
#: aspects on every request cannot grow the server past that.
MODEL_CACHE_SIZE = 32

#: A request's aspects in canonical form: ``((name, (term, ...)), ...)``.
Canonical = tuple[tuple[str, tuple[str, ...]], ...]
#: Where :func:`aspects_of` says the problem is: stripped, the field's name says it.
_SOURCE = "aspects"


def request_aspects(data: Any) -> Canonical:
    """The canonical form of a request's ``aspects``, or a ``ValueError`` with one line to fix it.

    The file's rules (:func:`thumbs.text.aspect_terms.load_aspect_terms`) and the limits above;
    ``{"name": {"terms": [...]}}`` is taken as the file takes it.
    """
    if not isinstance(data, dict) or not data:
        raise ValueError('give at least one aspect, as {"name": ["term", ...]}')
    if len(data) > MAX_REQUEST_ASPECTS:
        raise ValueError(f"a request may add at most {MAX_REQUEST_ASPECTS} aspects; this one has {len(data)}")
    for name, value in data.items():
        terms = value.get("terms") if isinstance(value, dict) else value
        if isinstance(terms, list) and len(terms) > MAX_ASPECT_TERMS:  # before reading a word of them
            raise ValueError(f"aspect {name!r} has {len(terms)} terms: an aspect may have at most {MAX_ASPECT_TERMS}")
        if not name:
            raise ValueError("an aspect's name is empty: name each aspect")
        if len(name) > MAX_ASPECT_NAME_CHARS:
            raise ValueError(f"aspect {name[:20]!r}...'s name is over {MAX_ASPECT_NAME_CHARS} characters")
    try:
        checked = aspects_of(data, _SOURCE)
    except ThumbsError as exc:
        raise ValueError(str(exc).removeprefix(f"{_SOURCE}: ")) from None
    canonical = []
    for name, terms in checked.items():
        unique = tuple(sorted(set(terms)))
        if len(unique) > MAX_ASPECT_TERMS:
            raise ValueError(f"aspect {name!r} has {len(unique)} terms: an aspect may have at most {MAX_ASPECT_TERMS}")
        for term in unique:
            if len(term) > MAX_TERM_CHARS:
                raise ValueError(f"aspect {name!r} has a term over {MAX_TERM_CHARS} characters: {term[:30]!r}...")
        canonical.append((name, unique))
    return tuple(canonical)


class AspectModels:
    """The server's model and, for each set of a request's aspects, that model judging them too.

    Each entry is a model and its micro-batcher; the :data:`MODEL_CACHE_SIZE` most recently
    used are kept. A request with no aspects gets the server's own model and batcher.
    """

    def __init__(self, model: Model, size: int = MODEL_CACHE_SIZE) -> None:
        self.model = model
        self.batcher = MicroBatcher(model.analyze_batch)
        self.size = size
        self._cache: OrderedDict[Canonical, tuple[Model, MicroBatcher]] = OrderedDict()
        self._lock = threading.Lock()  # the summary route may look models up from a thread
        self.built = 0  # models made, for the tests and a curious operator

    def get(self, aspects: Canonical | None) -> tuple[Model, MicroBatcher]:
        """The model that judges the built-in aspects and ``aspects`` (a user's term wins), and its batcher."""
        if not aspects:
            return self.model, self.batcher
        with self._lock:
            found = self._cache.get(aspects)
            if found is not None:
                self._cache.move_to_end(aspects)
                return found
        terms = builtin_aspect_terms().merged(AspectTerms(dict(aspects)))
        model = self.model.with_aspects(terms)
        made = (model, MicroBatcher(model.analyze_batch))
        with self._lock:
            entry = self._cache.setdefault(aspects, made)  # another thread may have built it meanwhile
            self._cache.move_to_end(aspects)
            self.built += entry is made
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)  # a batcher with reviews queued still answers them
        return entry

    def __len__(self) -> int:
        return len(self._cache)


__all__ = [
    "MAX_ASPECT_NAME_CHARS",
    "MAX_ASPECT_TERMS",
    "MAX_REQUEST_ASPECTS",
    "MAX_TERM_CHARS",
    "MODEL_CACHE_SIZE",
    "AspectModels",
    "Canonical",
    "request_aspects",
]
