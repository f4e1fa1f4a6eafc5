"""The default model's sentence models: stacks folded into one weight per n-gram, on sentences written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers.sentences import BAD, GOOD, OPINION, PLOT
from thumbs.corpora import Document
from thumbs.errors import ThumbsError
from thumbs.features.vectorizer import NgramVectorizer
from thumbs.learn.nb import NaiveBayes
from thumbs.learn.nbsvm import NBSVM
from thumbs.learn.sentence_models import (
    MIN_PER_LABEL,
    SMALL_ALPHA,
    SMALL_BETA,
    SMALL_C,
    lexicon_weights,
    review_prior,
    train_polarity,
    train_subjectivity,
)
from thumbs.learn.training import train_sentence_models
from thumbs.pipeline.scorers import LinearScorer
from thumbs.text.tokens import tokenize


def _exact(scorer: LinearScorer, sentences: list[list[str]]) -> None:
    """A sentence's score is the sum of its n-grams' weights plus the bias, as the index finds them."""
    X = scorer.index.presence_matrix(sentences)
    assert np.allclose(scorer.scores(sentences), X @ scorer.coef + scorer.intercept)
    assert np.allclose(scorer.sentence_scores(sentences), scorer.scores(sentences))


def test_subjectivity_tells_opinion_from_plot_and_its_score_is_exact() -> None:
    scorer = train_subjectivity(OPINION + PLOT, np.array([True] * len(OPINION) + [False] * len(PLOT)))
    new = [tokenize("i loved this wonderful film"), tokenize("she moves to a farm in 1920")]
    assert scorer.scores(new)[0] > 0 > scorer.scores(new)[1]
    assert scorer.calibration == (1.0, 0.0)
    assert not scorer.index.negation
    assert {"loved", "wonderful film"} <= set(scorer.index.feature_names(np.arange(scorer.index.n_features)))
    _exact(scorer, new + OPINION[:3])


def test_subjectivity_stack_weighs_unigrams_and_bigrams_apart() -> None:
    scorer = train_subjectivity(OPINION + PLOT, np.array([True] * len(OPINION) + [False] * len(PLOT)))
    names = scorer.index.feature_names(np.arange(scorer.index.n_features))
    is_bigram = np.array([" " in n for n in names])
    # the scorer is naive Bayes with each order's log ratios scaled by its own positive factor
    assert np.all(scorer.coef[~is_bigram] != 0) and np.all(scorer.coef[is_bigram] != 0)
    nb_unigram = dict(zip(names, scorer.coef, strict=True))
    assert nb_unigram["loved"] > 0 > nb_unigram["farm"]


def test_too_few_sentences_give_plain_naive_bayes_and_plain_nbsvm() -> None:
    few = MIN_PER_LABEL - 1
    flags = np.array([True] * few + [False] * few)
    subj = OPINION[:few] + PLOT[:few]
    scorer = train_subjectivity(subj, flags)
    nb = NaiveBayes(alpha=SMALL_ALPHA).fit(scorer.index.presence_matrix(subj), flags)
    assert np.allclose(scorer.coef, nb.coef_[0]) and scorer.intercept == pytest.approx(nb.intercept_[0])
    snippets = GOOD[:few] + BAD[:few]
    polarity = train_polarity(snippets, flags, prior={"magnificent": 5.0}, lexicon={"splendid": 1.0})
    own = NgramVectorizer(ngram_range=(1, 2), negation=True).fit(snippets).vocabulary_
    assert polarity.index.n_features == len(own)  # the priors need held-out sentences to be weighed: left out
    assert "magnificent" not in polarity.index.tokens and "splendid" not in polarity.index.tokens
    nbsvm = NBSVM(C=SMALL_C, beta=SMALL_BETA).fit(polarity.index.presence_matrix(snippets), flags)
    assert np.allclose(polarity.coef, nbsvm.coef_[0])
    assert polarity.intercept == pytest.approx(nbsvm.intercept_[0])


def test_one_label_only_is_refused_in_one_line() -> None:
    with pytest.raises(ThumbsError, match="both labels"):
        train_subjectivity(OPINION, np.ones(len(OPINION), dtype=bool))
    with pytest.raises(ThumbsError, match="both labels"):
        train_polarity(GOOD, np.zeros(len(GOOD), dtype=bool))
    with pytest.raises(ValueError, match="labels"):
        train_polarity(GOOD, np.zeros(3, dtype=bool))


def test_polarity_knows_prior_and_lexicon_ngrams_it_never_saw_in_its_sentences() -> None:
    sentences, flags = GOOD + BAD, np.array([True] * len(GOOD) + [False] * len(BAD))
    prior = {"magnificent": 2.0, "dreadful": -2.0, "film": 0.1, "magnificent film": 1.0}
    # the stack weighs the lexicon by how its words in the training sentences lean; "splendid" is in none
    lexicon = lexicon_weights({"superb": 0.9, "lovely": 0.7, "tedious": -0.8, "clumsy": -0.6, "splendid": 0.8})
    scorer = train_polarity(sentences, flags, prior, lexicon)
    names = set(scorer.index.feature_names(np.arange(scorer.index.n_features)))
    assert {"magnificent", "magnificent film", "splendid", "NOT_splendid", "superb film"} <= names
    new = [tokenize(t) for t in ("a magnificent film", "a dreadful film", "splendid", "not splendid")]
    scores = scorer.scores(new)
    assert scores[0] > 0 > scores[1]
    assert scores[2] > 0 > scores[3]
    _exact(scorer, new + GOOD[:2] + BAD[:2])
    assert scorer.calibration == (1.0, 0.0) and scorer.index.negation


def test_polarity_prior_and_lexicon_are_optional() -> None:
    sentences, flags = GOOD + BAD, np.array([True] * len(GOOD) + [False] * len(BAD))
    for prior, lexicon in ((None, None), ({}, None), (None, {"superb": 0.9, "NOT_superb": -0.9})):
        scorer = train_polarity(sentences, flags, prior, lexicon)
        assert scorer.scores([tokenize("a superb film")])[0] > 0 > scorer.scores([tokenize("a tedious film")])[0]


def test_lexicon_weights_flip_in_a_negation_scope_and_keep_single_tokens() -> None:
    weights = lexicon_weights({"superb": 0.8, "dull": -0.5, "can't": -0.3, ":)": 0.5, "two words": 0.4})
    assert weights == {"superb": 0.8, "NOT_superb": -0.8, "dull": -0.5, "NOT_dull": 0.5}


def test_review_prior_keeps_ngrams_of_enough_reviews_with_their_log_ratio() -> None:
    reviews = [tokenize(t) for t in ["a great film", "great fun , a great film", "a poor film", "poor and dull"]]
    flags = np.array([True, True, False, False])
    prior = review_prior(reviews, flags, min_df=2)
    assert set(prior) == {"a", "great", "film", "a great", "great film", "a great film", "poor"}
    assert prior["great"] > 0 > prior["poor"]
    assert prior["film"] == pytest.approx(prior["a"])  # each in two positive and one negative review
    assert review_prior(reviews, flags, min_df=5) == {}  # nothing in five reviews
    with pytest.raises(ThumbsError, match="both positive and negative"):
        review_prior(reviews, np.ones(4, dtype=bool))


def test_train_sentence_models_returns_both_scorers_with_the_prior_given() -> None:
    subj = [Document(id=f"s{i}", text=" ".join(t), label="subjective") for i, t in enumerate(OPINION)] + [
        Document(id=f"o{i}", text=" ".join(t), label="objective") for i, t in enumerate(PLOT)
    ]
    mr = [Document(id=f"g{i}", text=" ".join(t), label="positive") for i, t in enumerate(GOOD)] + [
        Document(id=f"b{i}", text=" ".join(t), label="negative") for i, t in enumerate(BAD)
    ]
    subjectivity, polarity = train_sentence_models(subj, mr, prior={"magnificent": 3.0})
    assert subjectivity.scores([tokenize("i loved it")])[0] > 0 > subjectivity.scores([tokenize("he moves")])[0]
    assert polarity.scores([tokenize("magnificent")])[0] > 0
    assert "magnificent" in polarity.index.tokens
