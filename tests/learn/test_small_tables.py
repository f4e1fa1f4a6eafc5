"""Training on tiny or odd tables: a model that loads and analyzes, or one line saying why (ThumbsError)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.table_files import write_csv
from tests.helpers.tiny_model import tiny_model
from thumbs.errors import ThumbsError
from thumbs.learn.training import (
    documents_sha256,
    positive_labels,
    texts_sha256,
    train_table,
)
from thumbs.learn.verdict import MIN_PER_LABEL_FOR_SEARCH, SMALL_TABLE_SLOPE
from thumbs.pipeline.model import Model, load_model


@pytest.fixture(scope="module")
def base() -> Model:
    """The sentence models every table model borrows (tiny: no shipped model load per test)."""
    return tiny_model()


def rows(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    """Table rows with a text and a label column."""
    return [{"text": text, "label": label} for text, label in pairs]


FOUR = rows(("a great film", "pos"), ("wonderful and moving", "pos"), ("an awful film", "neg"), ("dull", "neg"))


def test_four_rows_train_a_model_that_saves_loads_and_analyzes(tmp_path: Path, base: Model) -> None:
    table = write_csv(tmp_path / "t.csv", FOUR)
    model, skipped = train_table(table, text_column="text", label_column="label", base=base)
    assert skipped == 0
    assert model.manifest["settings"]["search"].startswith("fixed")
    assert model.verdict.calibration == (SMALL_TABLE_SLOPE, 0.0)
    model.save(tmp_path / "t.thumbs")
    loaded = load_model(tmp_path / "t.thumbs")
    good, bad = loaded.analyze_batch(["A great and wonderful film.", "An awful film, dull."])
    assert (good.label, bad.label) == ("positive", "negative")
    assert good.error is None and good.probability is not None and 0.5 < good.probability < 1.0


def test_one_review_of_a_label_is_enough_with_four_rows(tmp_path: Path, base: Model) -> None:
    table = write_csv(tmp_path / "t.csv", [*FOUR[:3], {"text": "lovely", "label": "pos"}])
    model, _ = train_table(table, text_column="text", label_column="label", base=base)
    assert model.manifest["settings"]["search"].startswith("fixed")
    assert model.predict(["lovely", "an awful film"]) == ["positive", "negative"]  # its own rows, fitted


def test_enough_of_each_label_searches_c_and_beta(tmp_path: Path, base: Model) -> None:
    n = MIN_PER_LABEL_FOR_SEARCH
    table = write_csv(
        tmp_path / "t.csv",
        rows(
            *[(f"great film number {i}", "pos") for i in range(n)],
            *[(f"awful film number {i}", "neg") for i in range(n)],
        ),
    )
    model, _ = train_table(table, text_column="text", label_column="label", base=base)
    assert model.manifest["settings"]["search"] == "C by 3-fold CV"
    assert model.predict(["great film", "awful film"]) == ["positive", "negative"]


@pytest.mark.parametrize(
    ("table_rows", "columns", "message"),
    [
        (rows(("good", "pos"), ("fine", "pos"), ("great", "pos"), ("nice", "pos")), {}, "every label is 'pos'"),
        (rows(("good", "1"), ("fine", "2"), ("bad", "3"), ("nice", "9")), {}, "--rating-column"),
        (rows(("good", "pos"), ("fine", "meh"), ("bad", "neg"), ("nice", "pos")), {}, "found 3"),
        (rows(("good", "pos"), ("bad", "neg"), ("nice", "pos")), {}, "3 usable rows"),
        (
            rows(("   ", "pos"), ("", "neg"), ("\t", "pos"), (" ", "neg")),
            {},
            "every row was skipped (row 1: empty text",
        ),
        (rows(("good", ""), ("bad", ""), ("ok", ""), ("no", "")), {}, "every row was skipped"),
        (
            [{"text": t, "score": s} for t, s in (("good", "great"), ("bad", "awful"), ("ok", "n/a"), ("no", "x"))],
            {"label_column": None, "rating_column": "score"},
            "rating 'great' is not a number",
        ),
        (
            [{"text": t, "score": "7"} for t in ("good", "bad", "ok", "no")],
            {"label_column": None, "rating_column": "score"},
            "every rating in t.csv is 7",
        ),
        (
            [{"text": t, "label": "pos", "score": s} for t, s in (("a", "9"), ("b", "8"), ("c", "x"), ("d", "7"))],
            {"rating_column": "score"},
            "3 usable rows (1 skipped)",
        ),
        (
            rows(("\u200b", "pos"), ("\u200b\u200b", "neg"), ("\u200b", "neg"), ("\u200b", "pos")),
            {},
            "every row was skipped (row 1: text in column 'text': empty review",
        ),
    ],
    ids=[
        "one-label",
        "ratings-as-labels",
        "three-labels",
        "too-few-rows",
        "all-texts-empty",
        "all-labels-empty",
        "ratings-are-text",
        "one-rating",
        "rating-text-in-some-rows",
        "invisible-texts",
    ],
)
def test_odd_tables_say_why_in_one_line(
    tmp_path: Path, base: Model, table_rows: list[dict[str, str]], columns: dict[str, str | None], message: str
) -> None:
    table = write_csv(tmp_path / "t.csv", table_rows)
    options: dict[str, str | None] = {"label_column": "label", **columns}
    with pytest.raises(ThumbsError) as caught:
        train_table(table, text_column="text", base=base, **options)  # type: ignore[arg-type]
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_positive_labels_messages() -> None:
    assert positive_labels(["Yes", "no"]).tolist() == [True, False]
    with pytest.raises(ThumbsError, match="every label is 'neg'"):
        positive_labels(["neg", "NEG "])
    with pytest.raises(ThumbsError, match="found 6: '1', '2', '3', '4', '5', ..."):
        positive_labels(["1", "2", "3", "4", "5", "6"])


def test_the_manifest_records_both_checksums_of_what_was_trained_on(tmp_path: Path, base: Model) -> None:
    table = write_csv(tmp_path / "t.csv", [*FOUR, {"text": "", "label": "pos"}])
    model, skipped = train_table(table, text_column="text", label_column="label", base=base)
    assert skipped == 1
    texts = [r["text"] for r in FOUR]
    assert model.manifest["texts"]["t.csv"] == texts_sha256(reversed(texts))
    assert model.manifest["data"]["t.csv"] != documents_sha256([])
    assert set(base.manifest["texts"]) <= set(model.manifest["texts"])  # the sentence models' data too


def test_texts_checksum_ignores_order_but_not_content() -> None:
    assert texts_sha256(["a", "b", "b"]) == texts_sha256(["b", "a", "b"])
    assert texts_sha256(["a", "b"]) not in (texts_sha256(["a", "b", "b"]), texts_sha256(["a", "c"]), texts_sha256([]))


@pytest.mark.parametrize(
    ("table_rows", "message"),
    [(FOUR, None), (rows(("good", "pos"), ("fine", "pos"), ("great", "pos"), ("nice", "pos")), "every label is")],
)
def test_the_cli_trains_a_tiny_table_or_says_why(
    tmp_path: Path, table_rows: list[dict[str, str]], message: str | None
) -> None:
    """`thumbs train --data` (in this process) on 4 rows: a model that loads, or exit 2 and one error line."""
    from tests.helpers.in_process import run_in_process

    table = write_csv(tmp_path / "t.csv", table_rows)
    out = tmp_path / "m.thumbs"
    done = run_in_process("train", "--data", str(table), "--label-column", "label", "--out", str(out), "--jobs", "1")
    if message is None:
        assert done.returncode == 0, done.stderr
        assert load_model(out).predict(["a great film", "an awful film"]) == ["positive", "negative"]
    else:
        assert done.returncode == 2 and not out.exists()
        assert done.stderr.rstrip().splitlines()[-1].startswith("error: ") and message in done.stderr
        assert "Traceback" not in done.stderr
