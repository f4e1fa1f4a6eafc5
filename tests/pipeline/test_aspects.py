"""The aspects component: each judged aspect, from its clause, in the review's own words."""

from __future__ import annotations

import thumbs
from thumbs import Analysis


def _aspects(text: str) -> dict[str, float]:
    analysis = thumbs.load_model().analyze(text)
    return {a.aspect: a.polarity for a in analysis.aspects}


def _check_quotes(text: str, analysis: Analysis) -> None:
    for aspect in analysis.aspects:
        for quote in (aspect.term, aspect.clause):
            assert quote.spans and quote.text == " ".join(text[a:b] for a, b in quote.spans)
        sentence = analysis.sentences[aspect.sentence]
        assert all(sentence.start <= a < b <= sentence.end for a, b in aspect.clause.spans)
        assert -1.0 <= aspect.polarity <= 1.0


def test_one_sentence_can_praise_one_aspect_and_pan_another() -> None:
    found = _aspects("The acting is superb, but the story is a mess.")
    assert found["acting"] > 0 > found["story"]


def test_the_term_and_the_clause_are_quoted_as_written() -> None:
    text = "The <i>acting</i> was wonderful, but the plot\u2019s a mess.<br />I didn't like the ending at all."
    analysis = thumbs.load_model().analyze(text)
    _check_quotes(text, analysis)
    by_term = {a.term.text: a for a in analysis.aspects}
    assert by_term["acting"].aspect == "acting" and by_term["plot"].aspect == "story"
    assert by_term["plot"].clause.text == "the plot\u2019s a mess"


def test_a_retold_plot_judges_nothing() -> None:
    assert _aspects("The story follows a nurse in 1943 who meets a soldier on a train.") == {}


def test_an_aspect_named_twice_in_a_clause_is_judged_once() -> None:
    analysis = thumbs.load_model().analyze("The jokes were hilarious, the gags silly.")
    assert [a.aspect for a in analysis.aspects].count("humor") <= 2
    assert len({(a.aspect, a.clause.text) for a in analysis.aspects}) == len(analysis.aspects)


def test_the_json_lists_the_aspects() -> None:
    result = thumbs.load_model().analyze("Lovely score, dreadful acting.").to_dict()
    assert set(result["aspects"][0]) == {"aspect", "polarity", "term", "clause", "sentence"}


def test_a_model_with_other_aspects_keeps_them_in_its_workers() -> None:
    import pickle

    from thumbs.text.aspect_terms import AspectTerms, builtin_aspect_terms

    model = thumbs.load_model().with_aspects(builtin_aspect_terms().merged(AspectTerms({"villain": ["the villain"]})))
    text = "The villain is a delight, and the music is lovely."
    in_worker = pickle.loads(pickle.dumps(model))  # what analyze_many's worker processes get
    assert [a.aspect for a in in_worker.analyze(text).aspects] == [a.aspect for a in model.analyze(text).aspects]
    assert "villain" in {a.aspect for a in model.analyze(text).aspects}


def test_the_lexicon_voice_reads_negation_and_short_clauses() -> None:
    from thumbs.features.token_codes import TokenTable, token_codes
    from thumbs.pipeline.aspects import lexicon_polarity

    table = TokenTable()
    clauses = [("a", "clever", "script"), ("not", "clever", "at", "all"), ("the", "plot"), ("stiff", "and", "dull")]
    polarity = lexicon_polarity(token_codes(clauses, table)).tolist()
    assert polarity[0] > 0 > polarity[1] and polarity[2] == 0.0 and polarity[3] < 0
    assert all(-1.0 < p < 1.0 for p in polarity)


def test_a_model_built_from_another_models_components_leaves_its_aspects_alone() -> None:
    from tests.helpers.tiny_model import tiny_model
    from thumbs.pipeline.model import Model

    default = thumbs.load_model()
    text = "The acting is superb, but the story is a mess."
    before = default.analyze(text).to_dict()
    tiny = tiny_model()
    mixed = Model([*default.components[:5], *tiny.components[5:]], tiny.manifest)  # shares the aspects component
    mixed.analyze(text)
    assert default.analyze(text).to_dict() == before


def test_a_shot_named_by_its_length_is_camera_work_not_pacing() -> None:
    camera = thumbs.load_model().analyze("One long take through the burning village is breathtaking.")
    assert [(a.aspect, a.term.text) for a in camera.aspects] == [("visuals", "long take")]
    assert "pacing" in _aspects("It is far too long and the middle is dull.")
