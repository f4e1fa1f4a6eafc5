"""thumbs.features.ngrams and .vectorizer: n-grams and the NgramVectorizer (texts written for these tests)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from thumbs.features.ngrams import NGRAM_JOINER, ngrams
from thumbs.features.vectorizer import NgramVectorizer
from thumbs.text.negation import NEGATION_PREFIX
from thumbs.text.tokens import tokenize

REVIEWS = [
    "The Glass Orchard wasn't good, but the cast is fine.",
    "A fine film. A fine, fine cast!",
    "i do n't like the ending .\nnot bad at all .",
]


def row(vectorizer: NgramVectorizer, matrix: sp.spmatrix, i: int) -> dict[str, float]:
    """Row ``i`` of ``matrix`` as {feature name: value}, non-zero entries only."""
    names = vectorizer.get_feature_names_out()
    dense = matrix.toarray()[i]
    return {names[j]: dense[j] for j in np.flatnonzero(dense)}


# --- ngrams ---------------------------------------------------------------------------------------


def test_ngrams_unigrams_are_the_tokens() -> None:
    assert ngrams(["a", "fine", "film"]) == ["a", "fine", "film"]
    assert ngrams(("a", "fine", "film"), (1, 1)) == ["a", "fine", "film"]


def test_ngrams_ranges() -> None:
    tokens = ["not", "a", "fine", "film"]
    assert ngrams(tokens, (1, 2)) == ["not", "a", "fine", "film", "not a", "a fine", "fine film"]
    assert ngrams(tokens, (2, 2)) == ["not a", "a fine", "fine film"]
    assert ngrams(tokens, (2, 3)) == ["not a", "a fine", "fine film", "not a fine", "a fine film"]
    assert ngrams(tokens, (4, 4)) == ["not a fine film"]
    assert ngrams(tokens, (5, 6)) == []
    assert NGRAM_JOINER == " "


def test_ngrams_of_short_and_empty_inputs() -> None:
    assert ngrams([], (1, 3)) == []
    assert ngrams(["solo"], (1, 3)) == ["solo"]
    assert ngrams(["solo"], (2, 3)) == []


def test_ngrams_count_per_length() -> None:
    tokens = [f"w{i}" for i in range(10)]
    grams = ngrams(tokens, (1, 4))
    assert len(grams) == 10 + 9 + 8 + 7
    assert len(set(grams)) == len(grams)


# --- NgramVectorizer: shapes and names -------------------------------------------------------


def test_unigram_shape_and_names() -> None:
    vectorizer = NgramVectorizer()
    matrix = vectorizer.fit_transform(["a fine film", "not a fine film"])
    assert sp.issparse(matrix) and matrix.format == "csr"
    assert matrix.shape == (2, 4)
    assert matrix.dtype == np.float64
    assert vectorizer.get_feature_names_out().tolist() == ["a", "film", "fine", "not"]
    assert vectorizer.vocabulary_ == {"a": 0, "film": 1, "fine": 2, "not": 3}


def test_feature_names_for_unigrams_and_bigrams() -> None:
    vectorizer = NgramVectorizer(ngram_range=(1, 2))
    matrix = vectorizer.fit_transform(["a fine film", "not a fine film"])
    names = vectorizer.get_feature_names_out().tolist()
    assert names == ["a", "a fine", "film", "fine", "fine film", "not", "not a"]
    assert matrix.shape == (2, len(names))
    assert row(vectorizer, matrix, 0) == {"a": 1, "a fine": 1, "film": 1, "fine": 1, "fine film": 1}
    assert row(vectorizer, matrix, 1) == {
        "a": 1,
        "a fine": 1,
        "film": 1,
        "fine": 1,
        "fine film": 1,
        "not": 1,
        "not a": 1,
    }


def test_bigrams_only() -> None:
    vectorizer = NgramVectorizer(ngram_range=(2, 2))
    vectorizer.fit(["a fine film"])
    assert vectorizer.get_feature_names_out().tolist() == ["a fine", "fine film"]


def test_features_come_from_the_canonical_tokens() -> None:
    vectorizer = NgramVectorizer(ngram_range=(1, 2))
    vectorizer.fit(["It wasn't \u201cGREAT\u201d.<br /><br />Boris' scene!"])
    names = set(vectorizer.get_feature_names_out())
    assert {"was n't", "n't", '"', "great", "boris '", "scene !", "it was"} <= names
    assert "wasn't" not in names and "GREAT" not in names and "<br" not in " ".join(names)


# --- presence vs counts -------------------------------------------------------------------------


def test_binary_presence_is_the_default() -> None:
    vectorizer = NgramVectorizer()
    matrix = vectorizer.fit_transform(["fine fine fine film"])
    assert row(vectorizer, matrix, 0) == {"fine": 1.0, "film": 1.0}
    assert set(np.unique(matrix.data)) == {1.0}


def test_counts_when_not_binary() -> None:
    vectorizer = NgramVectorizer(ngram_range=(1, 2), binary=False)
    matrix = vectorizer.fit_transform(["fine fine fine film"])
    assert row(vectorizer, matrix, 0) == {"fine": 3, "film": 1, "fine fine": 2, "fine film": 1}


# --- negation -----------------------------------------------------------------------------------


def test_negation_produces_not_features() -> None:
    text = "It wasn't good, but the cast is fine."
    plain = NgramVectorizer().fit([text]).get_feature_names_out().tolist()
    marked = NgramVectorizer(negation=True).fit([text]).get_feature_names_out().tolist()
    assert "good" in plain and NEGATION_PREFIX + "good" not in plain
    assert NEGATION_PREFIX + "good" in marked and "good" not in marked
    # the scope ends at the comma
    assert "fine" in marked and NEGATION_PREFIX + "fine" not in marked
    assert [name for name in marked if name.startswith(NEGATION_PREFIX)] == ["NOT_good"]


def test_negation_with_bigrams_marks_before_joining() -> None:
    vectorizer = NgramVectorizer(ngram_range=(1, 2), negation=True)
    vectorizer.fit(["i did not like the ending ."])
    names = set(vectorizer.get_feature_names_out())
    assert {"not NOT_like", "NOT_like NOT_the", "NOT_the NOT_ending", "NOT_ending ."} <= names
    assert "like" not in names


def test_negation_is_off_by_default() -> None:
    names = NgramVectorizer().fit(["never again"]).get_feature_names_out().tolist()
    assert names == ["again", "never"]


# --- str and token lists ------------------------------------------------------------------------


def test_text_and_token_lists_give_the_same_matrix() -> None:
    tokens = [tokenize(text) for text in REVIEWS]
    for kwargs in ({}, {"ngram_range": (1, 3)}, {"negation": True, "binary": False}):
        from_text = NgramVectorizer(**kwargs)
        from_tokens = NgramVectorizer(**kwargs)
        a = from_text.fit_transform(REVIEWS)
        b = from_tokens.fit_transform(tokens)
        assert from_text.get_feature_names_out().tolist() == from_tokens.get_feature_names_out().tolist()
        assert (a != b).nnz == 0
        # and tuples of tokens, or a mix, after fitting on text
        c = from_text.transform([tuple(tokens[0]), REVIEWS[1], tokens[2]])
        assert (a != c).nnz == 0


def test_raw_and_corpus_forms_give_the_same_row() -> None:
    raw = "I can't say it's bad.<br /><br />Boris' \u201cscene\u201d works."
    corpus = "i ca n't say it 's bad .\nboris ' `` scene '' works .\n"
    vectorizer = NgramVectorizer(ngram_range=(1, 2), negation=True)
    matrix = vectorizer.fit_transform([raw, corpus])
    assert (matrix[0] != matrix[1]).nnz == 0


# --- transform -----------------------------------------------------------------------------------


def test_transform_drops_unknown_ngrams() -> None:
    vectorizer = NgramVectorizer(ngram_range=(1, 2)).fit(["a fine film", "a dull film"])
    matrix = vectorizer.transform(["a fine sequel", "zebra xylophone"])
    assert matrix.shape == (2, len(vectorizer.get_feature_names_out()))
    assert row(vectorizer, matrix, 0) == {"a": 1, "fine": 1, "a fine": 1}
    assert matrix[1].nnz == 0


def test_transform_is_consistent_with_fit_transform() -> None:
    vectorizer = NgramVectorizer(ngram_range=(1, 2))
    fitted = vectorizer.fit_transform(REVIEWS)
    again = vectorizer.transform(REVIEWS)
    assert again.format == "csr"
    assert (fitted != again).nnz == 0
    assert fitted.shape == (len(REVIEWS), len(vectorizer.vocabulary_))


def test_fit_accepts_a_generator_and_returns_self() -> None:
    vectorizer = NgramVectorizer()
    assert vectorizer.fit(text for text in REVIEWS) is vectorizer
    assert vectorizer.transform(iter(REVIEWS)).shape[0] == len(REVIEWS)


def test_min_df_drops_rare_ngrams() -> None:
    vectorizer = NgramVectorizer(min_df=2).fit(["a fine film", "a dull film", "a sequel"])
    assert vectorizer.get_feature_names_out().tolist() == ["a", "film"]


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["fit", "fit_transform"])
def test_empty_input_raises(method: str) -> None:
    with pytest.raises(ValueError, match="no documents"):
        getattr(NgramVectorizer(), method)([])


def test_input_without_any_token_raises() -> None:
    with pytest.raises(ValueError):
        NgramVectorizer().fit(["", "  <br /> "])


def test_transform_of_empty_input_raises() -> None:
    vectorizer = NgramVectorizer().fit(["a fine film"])
    with pytest.raises(ValueError, match="no documents"):
        vectorizer.transform([])


@pytest.mark.parametrize("ngram_range", [(0, 1), (2, 1), (0, 0), (-1, 2), (3, 2)])
@pytest.mark.parametrize("method", ["fit", "fit_transform"])
def test_bad_ngram_range_raises(ngram_range: tuple[int, int], method: str) -> None:
    with pytest.raises(ValueError, match="ngram_range"):
        getattr(NgramVectorizer(ngram_range=ngram_range), method)(["a fine film"])


def test_transform_before_fit_raises() -> None:
    with pytest.raises(ValueError, match="not fitted"):
        NgramVectorizer().transform(["a fine film"])


def test_a_bare_string_is_not_a_list_of_documents() -> None:
    with pytest.raises(ValueError):
        NgramVectorizer().fit("a fine film")


def test_feature_names_before_fit_raises_value_error() -> None:
    with pytest.raises(ValueError):
        NgramVectorizer().get_feature_names_out()


# --- sklearn integration -----------------------------------------------------------------------


def test_get_params_and_clone_round_trip() -> None:
    vectorizer = NgramVectorizer(ngram_range=(1, 3), binary=False, negation=True, min_df=2)
    params = vectorizer.get_params()
    assert params == {"ngram_range": (1, 3), "binary": False, "negation": True, "min_df": 2}
    vectorizer.fit(REVIEWS * 2)
    copy = clone(vectorizer)
    assert copy is not vectorizer
    assert copy.get_params() == params
    assert not hasattr(copy, "counter_") and not hasattr(copy, "vocabulary_")
    assert NgramVectorizer(**params).get_params() == params


def test_set_params_changes_the_features() -> None:
    vectorizer = NgramVectorizer()
    assert vectorizer.set_params(ngram_range=(2, 2)) is vectorizer
    assert vectorizer.get_params()["ngram_range"] == (2, 2)
    assert vectorizer.fit(["a fine film"]).get_feature_names_out().tolist() == ["a fine", "fine film"]


def test_default_params() -> None:
    defaults = {"ngram_range": (1, 1), "binary": True, "negation": False, "min_df": 1}
    assert NgramVectorizer().get_params() == defaults


def test_pickle_round_trip() -> None:
    vectorizer = NgramVectorizer(ngram_range=(1, 2), negation=True).fit(REVIEWS)
    restored = pickle.loads(pickle.dumps(vectorizer))
    assert restored.get_feature_names_out().tolist() == vectorizer.get_feature_names_out().tolist()
    assert (restored.transform(REVIEWS) != vectorizer.transform(REVIEWS)).nnz == 0


def test_in_a_pipeline() -> None:
    texts = ["a fine film", "a wonderful cast", "a dull film", "an awful cast"] * 3
    labels = [1, 1, 0, 0] * 3
    pipeline = make_pipeline(NgramVectorizer(), LogisticRegression(C=10.0))
    pipeline.fit(texts, labels)
    assert pipeline.predict(["wonderful and fine", "awful and dull"]).tolist() == [1, 0]
    cloned = clone(pipeline)
    assert cloned.get_params()["ngramvectorizer__ngram_range"] == (1, 1)
