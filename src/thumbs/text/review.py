"""Whether a review can be read at all, decided once for every entry point.

The analysis (:mod:`thumbs.pipeline.sentences`) and the batch reader
(:mod:`thumbs.batch.sources`) both refuse a review longer than
:data:`MAX_REVIEW_CHARS`; nothing else in thumbs sets a length limit on text.

>>> review_problem("A fine film."), review_problem("   ")
(None, 'empty review: it has no words to read')
"""

from __future__ import annotations

#: Longest review thumbs analyzes, in characters: 1 MB of text, far past any real review
#: (aclImdb's longest is under 14,000 characters), short enough to bound one request's work.
MAX_REVIEW_CHARS = 1_000_000


def review_problem(text: object, max_chars: int = MAX_REVIEW_CHARS) -> str | None:
    """One line saying why ``text`` cannot be analyzed, or None when it can."""
    if not isinstance(text, str):
        return f"not text: got {type(text).__name__}; give the review as a string"
    if len(text) > max_chars:
        return f"review too long: {len(text):,} characters, the limit is {max_chars:,}"
    if not text.strip():
        return "empty review: it has no words to read"
    return None
