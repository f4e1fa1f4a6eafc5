"""Aspect terms and clauses: what names an aspect, and where its judgement ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from thumbs.errors import ThumbsError
from thumbs.text.aspect_terms import AspectTerms, builtin_aspect_terms, load_aspect_terms
from thumbs.text.clauses import clause_bounds
from thumbs.text.tokens import tokenize

BUILTIN = ("acting", "story", "direction", "visuals", "music", "effects", "pacing", "humor")


def _clauses(text: str) -> list[str]:
    tokens = tokenize(text)
    return [" ".join(tokens[a:b]) for a, b in clause_bounds(tokens)]


def test_the_builtin_aspects_are_the_eight_the_docs_define() -> None:
    terms = builtin_aspect_terms()
    assert terms.names == BUILTIN
    docs = (Path(__file__).resolve().parents[2] / "docs" / "aspects.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in docs for name in BUILTIN)


def test_terms_match_canonical_tokens_longest_first() -> None:
    terms = builtin_aspect_terms()
    found = terms.find(tokenize("The special effects were cheap, the CGI worse, and the score soared."))
    assert [(m.aspect, m.start, m.end) for m in found] == [("effects", 1, 3), ("effects", 7, 8), ("music", 12, 13)]


def test_a_user_file_adds_aspects_in_toml_or_json(tmp_path: Path) -> None:
    toml = tmp_path / "mine.toml"
    toml.write_text('[villain]\nterms = ["Count Orlok", "the villain"]\n[the_3d]\nterms = ["3D"]\n', encoding="utf-8")
    as_json = tmp_path / "mine.json"
    as_json.write_text('{"villain": ["Count Orlok", "the villain"], "the_3d": {"terms": ["3D"]}}', encoding="utf-8")
    for path in (toml, as_json):
        terms = load_aspect_terms(path)
        assert terms.names == ("villain", "the_3d")
        found = terms.find(tokenize("Count Orlok is chilling, but the 3D is murky."))
        assert [m.aspect for m in found] == ["villain", "the_3d"]
    merged = builtin_aspect_terms().merged(load_aspect_terms(toml))
    assert merged.names == (*BUILTIN, "villain", "the_3d")


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("[villain\nterms = 1", ".toml", "is not valid TOML"),
        ('{"villain": ', ".json", "is not valid JSON"),
        ("[villain]\nterms = []\n", ".toml", "has no terms"),
        ('{"villain": "Orlok"}', ".json", "needs a list of terms"),
        ("", ".toml", "names no aspect"),
    ],
)
def test_a_bad_aspects_file_is_one_line_saying_what_is_wrong(
    tmp_path: Path, content: str, suffix: str, message: str
) -> None:
    path = tmp_path / f"aspects{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ThumbsError, match=message) as raised:
        load_aspect_terms(path)
    assert "\n" not in str(raised.value)


def test_a_missing_aspects_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ThumbsError, match="does not exist"):
        load_aspect_terms(tmp_path / "none.toml")


def test_clauses_cut_at_contrast_punctuation_and_a_new_subject() -> None:
    assert _clauses("The acting is superb, but the story is a mess.") == [
        "the acting is superb",
        "but the story is a mess",
    ]
    assert _clauses("Great cast; weak script and the music grates.") == [
        "great cast",
        "weak script",
        "and the music grates",
    ]
    assert _clauses("The acting and directing are superb.") == ["the acting and directing are superb"]
    assert _clauses("...") == ["..."]


def test_aspect_terms_need_no_model() -> None:
    terms = AspectTerms({"music": ["score"]})
    assert terms.find(()) == [] and terms.first_tokens == frozenset({"score"})


def test_a_users_term_is_theirs() -> None:
    merged = builtin_aspect_terms().merged(AspectTerms({"camera": ["camera work", "cinematography"]}))
    found = merged.find(tokenize("The camera work is stunning and the cinematography too."))
    assert [m.aspect for m in found] == ["camera", "camera"]
    assert "cinematography" not in merged.aspects["visuals"]
