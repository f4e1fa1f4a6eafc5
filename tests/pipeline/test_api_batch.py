"""The Python batch API on the shipped default model: ``Model.analyze_many`` with worker processes.

``analyze_many(..., jobs=2)`` must give exactly what ``analyze`` gives for each review, in input
order, for plain texts and ``(id, text)`` pairs alike. The reviews are written for this test.
"""

from __future__ import annotations

import pytest

import thumbs

#: Every test here starts processes (the CLI, workers, a server or the browser).
pytestmark = pytest.mark.e2e

#: Short reviews written for this test, alternating plainly positive and plainly negative.
REVIEWS = [
    "A wonderful, moving film with a superb cast.",
    "Dull, boring and far too long.",
    "I loved every minute of it; a delightful surprise.",
    "The plot is stupid and the acting is awful.",
    "Charming, funny and beautifully shot.",
    "A lazy, lifeless sequel that wastes its stars.",
    "One of the best films of the decade.",
    "Worst film of the year, avoid it.",
    "Warm and witty, with a brilliant ending.",
    "A tedious mess from start to finish.",
]
#: Reviews per chunk: small, so both workers get several chunks and order must be restored.
CHUNK_SIZE = 2


def test_analyze_many_with_two_jobs_keeps_order_and_equals_analyze() -> None:
    model = thumbs.load_model()
    items: list[str | tuple[str | None, str]] = [
        (f"review-{i}", text) if i % 3 == 0 else text for i, text in enumerate(REVIEWS)
    ]
    many = list(model.analyze_many(items, jobs=2, chunk_size=CHUNK_SIZE))
    one_by_one = [
        model.analyze(item[1], id=item[0]) if isinstance(item, tuple) else model.analyze(item) for item in items
    ]
    assert [a.to_dict() for a in many] == [a.to_dict() for a in one_by_one]
    assert [a.id for a in many] == [f"review-{i}" if i % 3 == 0 else None for i in range(len(REVIEWS))]
    assert [a.label for a in many] == ["positive", "negative"] * (len(REVIEWS) // 2)
