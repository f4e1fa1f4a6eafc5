"""The caveats component on the default model: coverage, and the warnings that say when the verdict is guessing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from thumbs.corpora import load_corpus
from thumbs.pipeline import caveats
from thumbs.pipeline.caveats import PRIOR_POSITIVE, Caveats
from thumbs.pipeline.component import BaseComponent, Reviews
from thumbs.pipeline.model import Model, load_model
from thumbs.pipeline.verdict import Verdict

# Reviews written for these tests.
FRENCH = (
    "Ce film est une pure merveille. Les acteurs sont formidables, la mise en scène est d'une grande finesse "
    "et la musique accompagne parfaitement chaque scène. Je l'ai vu deux fois et je le reverrai avec plaisir."
)
GERMAN = (
    "Was für eine Enttäuschung! Die Handlung ist völlig unlogisch, die Dialoge sind hölzern und man langweilt "
    "sich von Anfang bis Ende. Ich verstehe nicht, warum die Kritiker so begeistert waren."
)
SPANISH = (
    "Esta película es una auténtica maravilla. Los actores están estupendos, la dirección es muy cuidada y la "
    "música acompaña perfectamente cada escena. La he visto dos veces y la volvería a ver sin dudarlo."
)
ENGLISH = (
    "I went in expecting another tired wartime melodrama and came out shaken. The story is simple, the acting "
    "is superb, and the long final shot left me breathless. One of the best films I have seen this year."
)
#: English crowded with names: low coverage, so the language is checked, and it is not called foreign.
ENGLISH_NAMES = (
    "Kurosawa's Ran transposes King Lear to Sengoku-era Japan: Hidetora Ichimonji, played by Tatsuya Nakadai, "
    "divides his domain among Taro, Jiro and Saburo. Takemitsu's score and Ikuo Saji's camera make Azusa castle "
    "burn unforgettably."
)


class _WordCounts(BaseComponent):
    """Counts each review's words and known words where the verdict does not (yet) count them itself."""

    name: ClassVar[str] = "word_counts"
    requires: ClassVar[tuple[str, ...]] = ("verdict",)

    def __init__(self, verdict: Verdict) -> None:
        self.index = verdict.scorer.index

    def __call__(self, reviews: Reviews) -> None:
        findings = reviews.verdict
        assert findings is not None
        if len(findings.words) == len(reviews.sentences):
            return
        words, known = [], []
        for sentences in reviews.sentences:
            tokens = [t for s in sentences for t in s.tokens]
            is_word = np.array([any(c.isalnum() for c in t) for t in tokens], dtype=bool)
            # every token of the vocabulary is a unigram feature (it is closed under sub-n-grams)
            ids = self.index.token_ids(tokens) if tokens else np.zeros(0, dtype=np.int64)
            words.append(int(is_word.sum()))
            known.append(int((is_word & (ids >= 0)).sum()))
        findings.words, findings.known = np.array(words, dtype=np.int64), np.array(known, dtype=np.int64)


def _with_caveats(base: Model, component: Caveats) -> Model:
    """``base`` with ``component`` right after its verdict (in place of its own caveats, if it has them)."""
    kept = [c for c in base.components if c.name != "caveats"]
    at = [c.name for c in kept].index("verdict") + 1
    verdict = base.get("verdict")
    assert isinstance(verdict, Verdict)
    return Model([*kept[:at], _WordCounts(verdict), component, *kept[at:]], base.manifest)


@pytest.fixture(scope="module")
def model() -> Model:
    return _with_caveats(load_model(), Caveats())


@pytest.mark.parametrize("text", ["xyzzy qwerty plugh", "12345"])
def test_a_review_of_no_known_word_is_a_guess_at_the_prior(model: Model, text: str) -> None:
    analysis = model.analyze(text)
    assert analysis.coverage == 0.0
    assert analysis.probability == PRIOR_POSITIVE
    assert len(analysis.warnings) == 1  # the guess says it all: no separate 'short' note
    assert analysis.warnings[0].startswith("the model knows no")
    assert "the verdict is a guess" in analysis.warnings[0]
    assert "P(positive) is set to 0.5" in analysis.warnings[0]


def test_the_guess_keeps_the_label_and_says_no_idea_in_the_stars_too(model: Model) -> None:
    plain = load_model().analyze("xyzzy qwerty plugh")
    guessed = model.analyze("xyzzy qwerty plugh")
    assert guessed.label == plain.label and guessed.score == plain.score
    assert guessed.stars is not None and 4.0 <= guessed.stars <= 7.0  # the stars are mixed at P = 0.5


@pytest.mark.parametrize(("text", "language"), [(FRENCH, "French"), (GERMAN, "German"), (SPANISH, "Spanish")])
def test_a_review_not_in_english_is_named_and_its_verdict_a_guess(model: Model, text: str, language: str) -> None:
    analysis = model.analyze(text)
    assert analysis.coverage is not None and analysis.coverage < caveats.LANGUAGE_CHECK_COVERAGE
    notes = [w for w in analysis.warnings if w.startswith(f"it reads as {language}")]
    assert len(notes) == 1, analysis.warnings
    assert analysis.probability == PRIOR_POSITIVE
    assert sum("P(positive) is set to" in w for w in analysis.warnings) == 1  # said once


@pytest.mark.parametrize("text", [ENGLISH, ENGLISH_NAMES])
def test_an_english_review_gets_no_warning(model: Model, text: str) -> None:
    analysis = model.analyze(text)
    assert analysis.warnings == ()
    assert analysis.probability == load_model().analyze(text).probability


def test_english_names_are_checked_for_language_and_not_called_foreign(model: Model) -> None:
    analysis = model.analyze(ENGLISH_NAMES)
    assert analysis.coverage is not None and analysis.coverage < caveats.LANGUAGE_CHECK_COVERAGE
    code, confidence = caveats.language_of(ENGLISH_NAMES)
    assert code == "en" or confidence < caveats.LANGUAGE_CONFIDENCE  # py3langid: Shona, 0.31 sure


def test_a_well_covered_review_never_runs_the_language_check(model: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> tuple[str, float]:
        raise AssertionError("the language was checked")

    monkeypatch.setattr(caveats, "language_of", refuse)
    assert model.analyze(ENGLISH).coverage > caveats.LANGUAGE_CHECK_COVERAGE  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Dreadful, dull and stupid. 9/10", "9/10"),  # "Dreadful. 9/10" is positive: the model knows "9/10"
        ("Awful. Four stars out of five.", "Four stars out of five"),
        ("Dreadful. ★★★★★", "★★★★★"),
        ("Dreadful. Ten stars.", "Ten stars"),
    ],
)
def test_a_score_in_the_text_that_contradicts_the_verdict_is_flagged(model: Model, text: str, written: str) -> None:
    analysis = model.analyze(text)
    assert analysis.label == "negative"
    assert f"the review rates the film {written}, but the verdict is negative" in analysis.warnings


def test_a_positive_verdict_against_a_low_score_is_flagged(model: Model) -> None:
    analysis = model.analyze(ENGLISH + " Still, two stars out of five.")
    assert analysis.label == "positive"
    assert analysis.warnings == ("the review rates the film two stars out of five, but the verdict is positive",)


@pytest.mark.parametrize(
    "ending",
    [
        " 8/10.",  # agrees
        " Four stars.",  # 4/10 on IMDb's scale, 8/10 on a critic's: no clear disagreement
        " 6/10.",  # neither side
        " 2/3 of it is the final shot.",  # not a score
        " Acting 9/10, story 3/10.",  # one score agrees
    ],
)
def test_a_score_that_does_not_clearly_contradict_is_not_flagged(model: Model, ending: str) -> None:
    analysis = model.analyze(ENGLISH + ending)
    assert analysis.label == "positive"
    assert analysis.warnings == ()


def test_a_short_review_rests_on_little(model: Model) -> None:
    analysis = model.analyze("Loved it.")
    assert analysis.label == "positive" and analysis.probability is not None and analysis.probability > 0.7
    assert analysis.warnings == ("it is only 2 words long, so the verdict rests on little: take it as a hint",)


def test_coverage_is_the_share_of_known_words(model: Model) -> None:
    assert model.analyze("xyzzy loved it").coverage == round(2 / 3, 4)
    assert model.analyze(ENGLISH).coverage == 1.0


def test_unreadable_reviews_keep_their_error_and_the_rest_are_analyzed(model: Model) -> None:
    empty, good, junk = model.analyze_batch(["", ENGLISH, "xyzzy plugh"])
    assert empty.error is not None and empty.warnings == () and empty.coverage is None
    assert good.warnings == ()
    assert junk.probability == PRIOR_POSITIVE


def test_the_prior_is_a_setting_read_from_the_manifest() -> None:
    assert Caveats().prior == PRIOR_POSITIVE
    assert Caveats.from_saved({"prior": 0.3}, {}).prior == 0.3
    for odd in ({}, {"prior": "0.3"}, {"prior": 1.5}, {"prior": True}, {"prior": {"verdict": 0.3}}):
        assert Caveats.from_saved(odd, {}).prior == PRIOR_POSITIVE
    assert Caveats().to_arrays() == {} and Caveats().settings() == {}
    with pytest.raises(ValueError, match="between 0 and 1"):
        Caveats(1.0)


def test_a_guess_reads_the_prior_it_was_given() -> None:
    skewed = _with_caveats(load_model(), Caveats(prior=0.3))
    assert skewed.analyze("xyzzy qwerty plugh").probability == 0.3
    assert "set to 0.3" in skewed.analyze("xyzzy qwerty plugh").warnings[0]


@pytest.mark.data
def test_aclimdb_test_reviews_are_never_called_a_guess_nor_foreign(
    model: Model, require_corpus: Callable[[str], Path]
) -> None:
    docs = load_corpus("imdb", require_corpus("imdb"), splits=("test",))[::12][:2000]
    analyses = model.analyze_batch([d.text for d in docs])
    coverage = np.array([a.coverage for a in analyses])
    assert coverage.min() > caveats.GUESS_COVERAGE
    notes = [w for a in analyses for w in a.warnings]
    assert not [w for w in notes if "guess" in w or "reads as" in w]
    assert all(w.startswith(("the review rates the film", "it is only")) for w in notes)
