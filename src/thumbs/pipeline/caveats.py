"""The ``caveats`` component: how much of each review the verdict could read, and when it is guessing.

A probability says how sure the verdict is *if* the review is like the English movie
reviews the model learned from. This component says when it is not, in one plain line
each (``warnings``), and fills ``coverage``, the share of the review's words the verdict
model has a weight for:

- the model knows no word of the review, or fewer than half of them: the verdict is a
  guess, and P(positive) is set to the training prior (0.5 for the default model) so that
  the probability says "no idea" instead of the bias's lean;
- the review is not in English (checked only when coverage is low, so English reviews
  never pay for it): the verdict is a guess too, and P(positive) is the prior;
- the review is very short: the verdict rests on little;
- the review writes its own score ("3/10", "four stars out of five", "★★☆☆☆") and the
  verdict says the opposite (:mod:`thumbs.text.ratings`).

It keeps nothing in the model file. The label (the sign of the score) is never changed:
the probability and the warnings say how far to trust it.

Example: with the default model, ``analyze("xyzzy qwerty plugh")`` gives P(positive) = 0.5,
coverage 0.0 and the warning ``the model knows none of its 3 words, so the verdict is a guess:
P(positive) is set to 0.5, no idea either way``; ``analyze("Dreadful, dull and stupid. 9/10")`` is
negative, with ``the review rates the film 9/10, but the verdict is negative``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, ClassVar, Protocol

import numpy as np
from numpy.typing import NDArray

from thumbs.pipeline.component import LABELS, BaseComponent, Reviews
from thumbs.text.ratings import Rating, ratings_in

#: P(positive) of the reviews the model was trained on: what the verdict says when it is a guess.
#: aclImdb train is balanced (12,500 positive and 12,500 negative reviews), so the default model's
#: is 0.5; a model file whose manifest has a "prior" gives its own (:meth:`Caveats.from_saved`).
PRIOR_POSITIVE = 0.5
#: With fewer known words than this the verdict is the bias alone. One is enough to be read:
#: "Awful." (1 known word) gets P = 0.045 and "Loved it." (2) 0.87 from the default model, and
#: the 394 snippets of 1-4 words of rt-polarity (never trained on) are labelled right 0.82 of the time.
MIN_KNOWN_WORDS = 1
#: Below this share of known words the verdict is a guess. The lowest coverage of the 25,000
#: aclImdb test reviews is 0.774 (0.1st percentile 0.883, median 0.986); 24 reviews written in French,
#: German, Spanish, Italian, Portuguese and Dutch for this measure read 0.00 to 0.60, and the default
#: model's label on them was right 14 times in 24 (chance), with P between 0.36 and 0.65.
GUESS_COVERAGE = 0.5
#: The language is checked only below this coverage: 1 aclImdb test review in 25,000 is below it, every
#: one of the 24 non-English reviews is (at most 0.60); English crowded with names (Kurosawa's cast,
#: Tarkovsky's crew) reads 0.72 to 0.88 and is checked, and py3langid calls it English or is unsure.
LANGUAGE_CHECK_COVERAGE = 0.8
#: How sure py3langid (0.4, normalized probabilities) must be that a review is not English to say so.
#: On the 24 non-English reviews it gave the right language with 0.94 to 1.00 for 21, and at most 0.46
#: for 3 of 4 to 6 words (which the "short" note covers); on English it was at most 0.32 when it named
#: another language (Shona for a Japanese cast list, French for "Terrible film, avoid.").
LANGUAGE_CONFIDENCE = 0.9
#: Characters of a review the language is judged on (py3langid reads every byte; this is plenty).
LANGUAGE_SAMPLE_CHARS = 2_000
#: Fewer words than this and the verdict rests on little. 99.9% of aclImdb test reviews have 24 words
#: or more (the fewest 6); on rt-polarity's one-sentence snippets (median 20 words) the default model
#: is right 0.76 of the time, against 0.92 on full aclImdb test reviews.
SHORT_WORDS = 20
#: A written score (out of 10) at or below this contradicts a positive verdict; at or above
#: ``POSITIVE_AT_LEAST`` a negative one: aclImdb's own labels (negative <= 4, positive >= 7).
#: On aclImdb test, 2,604 reviews write a score and every score contradicts the review's own label in 54
#: (mostly others' scores: "how can people rate it 10/10"). The default model's verdict is flagged on 89
#: reviews and is wrong on 51 of them (0.57), against 0.077 of all 25,000.
NEGATIVE_AT_MOST, POSITIVE_AT_LEAST = 4.0, 7.0

#: Names of the languages a review is most often written in, by ISO 639-1 code (others are named by code).
LANGUAGE_NAMES = {
    "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "pl": "Polish", "cs": "Czech",
    "ru": "Russian", "uk": "Ukrainian", "tr": "Turkish", "el": "Greek", "hu": "Hungarian", "ro": "Romanian",
    "ar": "Arabic", "he": "Hebrew", "hi": "Hindi", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
    "id": "Indonesian", "vi": "Vietnamese", "th": "Thai", "fa": "Persian", "ca": "Catalan", "la": "Latin",
}  # fmt: skip


class _Identifier(Protocol):
    def classify(self, text: str) -> tuple[str, float]: ...


@cache
def _identifier() -> _Identifier:
    """py3langid's identifier with normalized probabilities, loaded once (about a second) on first need."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    identifier: _Identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return identifier


def language_of(text: str) -> tuple[str, float]:
    """The language ``text`` reads as (ISO 639-1 code) and how sure py3langid is of it (0 to 1).

    >>> language_of("Ce film est une merveille, les acteurs sont formidables.")[0]
    'fr'
    """
    code, confidence = _identifier().classify(text[:LANGUAGE_SAMPLE_CHARS])
    return str(code), float(confidence)


class Caveats(BaseComponent):
    """Fill ``coverage`` and ``warnings``; set P(positive) to the prior where the verdict is a guess.

    Reads the verdict's per-review ``words`` and ``known`` counts; keeps nothing in the model file.
    """

    name: ClassVar[str] = "caveats"
    requires: ClassVar[tuple[str, ...]] = ("verdict",)
    adds: ClassVar[tuple[str, ...]] = ("coverage", "warnings")

    def __init__(self, prior: float = PRIOR_POSITIVE) -> None:
        if not 0.0 < prior < 1.0:
            raise ValueError(f"the prior P(positive) must be between 0 and 1, not {prior!r}")
        self.prior = float(prior)

    @classmethod
    def from_saved(cls, manifest: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Caveats:
        prior = manifest.get("prior")
        if isinstance(prior, int | float) and not isinstance(prior, bool) and 0.0 < prior < 1.0:
            return cls(float(prior))
        return cls()

    def __call__(self, reviews: Reviews) -> None:
        verdict = reviews.verdict
        assert verdict is not None, "caveats runs after the verdict"
        n = len(reviews.sentences)
        if len(verdict.words) == n and len(verdict.known) == n:
            words, known = verdict.words, verdict.known
            coverage: NDArray[np.float64] | None = np.divide(
                known, words, out=np.zeros(n, dtype=np.float64), where=words > 0, dtype=np.float64
            )
        else:  # a verdict that does not count words: say what needs no coverage
            words = np.array([_word_count(reviews, d) for d in range(n)], dtype=np.int64)
            known, coverage = words, None
        reviews.coverage = coverage
        reviews.warnings = [
            self._warnings(reviews, d, int(words[d]), int(known[d]), None if coverage is None else float(coverage[d]))
            for d in range(n)
        ]

    def _warnings(self, reviews: Reviews, d: int, words: int, known: int, coverage: float | None) -> tuple[str, ...]:
        """Review ``d``'s warnings, in order of weight; sets its probability to the prior where it is a guess."""
        verdict = reviews.verdict
        assert verdict is not None
        notes: list[str] = []
        guess = coverage is not None and (known < MIN_KNOWN_WORDS or coverage < GUESS_COVERAGE)
        if guess:
            notes.append(f"{_known_words(words, known)}, so the verdict is a guess: {self._no_idea()}")
        if coverage is not None and coverage < LANGUAGE_CHECK_COVERAGE:
            code, confidence = language_of(" ".join(s.text for s in reviews.sentences[d]))
            if code != "en" and confidence >= LANGUAGE_CONFIDENCE:
                language = LANGUAGE_NAMES.get(code, f"a language other than English ({code})")
                if guess:
                    notes.append(f"it reads as {language}, and the model only knows English reviews")
                else:
                    notes.append(
                        f"it reads as {language}, and the model only knows English reviews, "
                        f"so the verdict is a guess: {self._no_idea()}"
                    )
                guess = True
        if guess:
            verdict.probability[d] = self.prior
        elif words < SHORT_WORDS:
            notes.append(f"it is only {_plural(words, 'word')} long, so the verdict rests on little: take it as a hint")
        label = LABELS[int(verdict.scores[d] > 0)]
        text = reviews.texts[reviews.positions[d]]
        rating = _contradicting(ratings_in(text), label) if isinstance(text, str) else None
        if rating is not None:
            notes.append(f"the review rates the film {rating.text}, but the verdict is {label}")
        return tuple(notes)

    def _no_idea(self) -> str:
        return f"P(positive) is set to {self.prior:g}, no idea either way"


def _contradicting(ratings: list[Rating], label: str) -> Rating | None:
    """The last of ``ratings`` when every one contradicts ``label`` clearly, else None.

    A score without a scale ("4 stars": 4/10 on IMDb, 8/10 for a critic) contradicts only where
    every scale it may be out of does.

    >>> _contradicting(ratings_in("Dreadful. 9/10"), "negative").text
    '9/10'
    >>> _contradicting(ratings_in("Acting 9/10, story 2/10."), "negative") is None
    True
    """
    if not ratings:
        return None
    if label == "positive":
        against = all(r.bounds[1] <= NEGATIVE_AT_MOST for r in ratings)
    else:
        against = all(r.bounds[0] >= POSITIVE_AT_LEAST for r in ratings)
    return ratings[-1] if against else None


def _known_words(words: int, known: int) -> str:
    if known == 0:
        return "the model knows no word of it" if words == 1 else f"the model knows none of its {words} words"
    return f"the model knows only {known} of its {_plural(words, 'word')} ({known / words:.0%})"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _word_count(reviews: Reviews, d: int) -> int:
    """Review ``d``'s words (tokens with a letter or digit), counted from its sentences."""
    return sum(any(c.isalnum() for c in token) for s in reviews.sentences[d] for token in s.tokens)
