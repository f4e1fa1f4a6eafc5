"""Aspect terms: the words that name what a review judges (the acting, the story, the music...).

An :class:`AspectTerms` maps each aspect's name to its terms, each term kept as the canonical
tokens :func:`~thumbs.text.tokens.tokenize` makes of it, so that "special effects" or "isn't"
match however the review writes them. The built-in aspects ship with thumbs
(``thumbs/data/aspects.toml``; docs/aspects.md defines them); a user's file of the same shape,
TOML or JSON (``{"name": ["term", ...]}`` or ``{"name": {"terms": [...]}}``), adds its own.

>>> terms = AspectTerms({"music": ["score", "sound design"]})
>>> [(m.aspect, m.start, m.end) for m in terms.find(("the", "sound", "design", "is", "great"))]
[('music', 1, 3)]
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from thumbs.errors import ThumbsError
from thumbs.text.tokens import tokenize

#: The built-in aspects' file inside the package.
BUILTIN_ASPECTS_FILE = "aspects.toml"


@dataclass(frozen=True, slots=True)
class TermMatch:
    """An aspect named in a sentence: tokens ``start:end`` are one of its terms."""

    aspect: str
    start: int
    end: int


class AspectTerms:
    """Aspect name -> terms, matched on canonical tokens (longest term first where terms overlap).

    Parameters
    ----------
    aspects:
        each aspect's name and its terms (plain text: "special effects", "CGI").
    """

    def __init__(self, aspects: Mapping[str, Sequence[str]]) -> None:
        self.aspects = {name: tuple(terms) for name, terms in aspects.items()}
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name, terms in self.aspects.items():
            for term in terms:
                tokens = tuple(tokenize(term))
                if tokens:
                    by_first.setdefault(tokens[0], []).append((tokens, name))
        # longest first, so that "special effects" wins over a shorter term at the same place
        self._by_first = {first: sorted(found, key=lambda t: -len(t[0])) for first, found in by_first.items()}
        #: The first token of every term: a sentence holding none of them names no aspect.
        self.first_tokens = frozenset(self._by_first)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.aspects)

    def find(self, tokens: Sequence[str], at: Sequence[int] | None = None) -> list[TermMatch]:
        """Every term in ``tokens``, left to right, none overlapping another.

        ``at``, if given, are the only positions (in order) where a term may start: those whose
        token is a term's first (:attr:`first_tokens`), found by the caller for a whole batch.
        """
        found: list[TermMatch] = []
        reached = 0
        for i in range(len(tokens)) if at is None else at:
            if i < reached:
                continue
            for term, name in self._by_first.get(tokens[i], ()):
                if tuple(tokens[i : i + len(term)]) == term:
                    found.append(TermMatch(name, i, i + len(term)))
                    reached = i + len(term)
                    break
        return found

    def merged(self, other: AspectTerms) -> AspectTerms:
        """These aspects and ``other``'s: an aspect both name gets the terms of both.

        A term of ``other`` is its own: an aspect of these that has the same term gives it up
        (a user's "camera" aspect takes "camera work" from ``visuals``).
        """
        taken = {tuple(tokenize(term)) for terms in other.aspects.values() for term in terms}
        combined = {
            name: [term for term in terms if tuple(tokenize(term)) not in taken] for name, terms in self.aspects.items()
        }
        for name, terms in other.aspects.items():
            combined.setdefault(name, []).extend(terms)
        return AspectTerms({name: terms for name, terms in combined.items() if terms})


@cache
def builtin_aspect_terms() -> AspectTerms:
    """The aspects thumbs ships with (acting, story, direction, visuals, music, effects, pacing, humor)."""
    text = resources.files("thumbs").joinpath("data", BUILTIN_ASPECTS_FILE).read_text(encoding="utf-8")
    return AspectTerms(aspects_of(tomllib.loads(text), BUILTIN_ASPECTS_FILE))


def load_aspect_terms(path: str | Path) -> AspectTerms:
    """A user's aspects file (TOML, or JSON by its ``.json`` extension), checked; one-line errors."""
    target = Path(path)
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ThumbsError(f"aspects file {target} does not exist: give the path of a TOML or JSON file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ThumbsError(f"cannot read aspects file {target}: {exc}") from None
    try:
        data = json.loads(text) if target.suffix.lower() == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        kind = "JSON" if target.suffix.lower() == ".json" else "TOML"
        raise ThumbsError(f"aspects file {target} is not valid {kind}: {exc}") from None
    return AspectTerms(aspects_of(data, str(target)))


def aspects_of(data: Any, source: str) -> dict[str, list[str]]:
    """``{name: [term, ...]}`` from a parsed file, or a one-line error naming what is wrong."""
    if not isinstance(data, dict) or not data:
        raise ThumbsError(f"{source} names no aspect: write one table (or key) per aspect with its terms")
    aspects: dict[str, list[str]] = {}
    for name, value in data.items():
        terms = value.get("terms") if isinstance(value, dict) else value
        if not isinstance(terms, list) or not all(isinstance(term, str) for term in terms):
            raise ThumbsError(f"{source}: aspect {name!r} needs a list of terms (strings)")
        kept = [term for term in terms if tokenize(term)]
        if not kept:
            raise ThumbsError(f"{source}: aspect {name!r} has no terms: give it at least one word that names it")
        aspects[str(name)] = kept
    return aspects


def user_aspects(path: str | Path) -> AspectTerms:
    """The built-in aspects and those of a user's file (:func:`load_aspect_terms`): what ``--aspects FILE`` gives."""
    return builtin_aspect_terms().merged(load_aspect_terms(path))
