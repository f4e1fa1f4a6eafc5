"""thumbs.text.emphasis: the clause after a turn word and the last sentence of a review are emphasized."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thumbs.text.emphasis import TURN_WORDS, emphasized, is_sentence_end
from thumbs.text.tokens import is_punctuation, tokenize

VOCABULARY = ["but", "however", "yet", "though", "still", "not", "only", "good", "dull", "film", "2"]
VOCABULARY += [".", "!", "?", "?!", "...", ",", ";", "(", "-"]

token_lists = st.lists(st.sampled_from(VOCABULARY), max_size=25)


def _marked(text: str) -> str:
    """The emphasized tokens of a whitespace-tokenized text, upper-cased."""
    tokens = text.split()
    return " ".join(t.upper() if e else t for t, e in zip(tokens, emphasized(tokens)))


def _sentences(tokens: Sequence[str]) -> list[list[int]]:
    """The positions of each sentence, a sentence end closing its sentence (the last one may be empty)."""
    sentences: list[list[int]] = [[]]
    for i, token in enumerate(tokens):
        sentences[-1].append(i)
        if is_sentence_end(token):
            sentences.append([])
    return sentences


def _turned(tokens: Sequence[str]) -> list[bool]:
    """In each sentence, what follows its first turn word, turn words and the sentence end left out."""
    flags = [False] * len(tokens)
    for sentence in _sentences(tokens):
        turns = [k for k, i in enumerate(sentence) if tokens[i] in TURN_WORDS]
        if turns:
            for i in sentence[turns[0] + 1 :]:
                flags[i] = tokens[i] not in TURN_WORDS and not is_sentence_end(tokens[i])
    return flags


def _by_sentences(tokens: Sequence[str]) -> list[bool]:
    """The rules read another way: cut the review into sentences, then mark each one's turned part and the last."""
    sentences = _sentences(tokens)
    flags = _turned(tokens)
    # the last sentence: from the last sentence holding a word to the end, unless that is the first sentence
    with_words = [k for k, s in enumerate(sentences) if any(not is_punctuation(tokens[i]) for i in s)]
    if with_words and with_words[-1] > 0:
        for sentence in sentences[with_words[-1] :]:
            for i in sentence:
                flags[i] = True
    return flags


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the module's example
        (
            "good cast . the trailer was fun but the film is a slog . avoid it",
            "good cast . the trailer was fun but THE FILM IS A SLOG . AVOID IT",
        ),
        # every turn word turns the clause after it, up to the sentence's end
        *[(f"fun {w} dull film . ok", f"fun {w} DULL FILM . OK") for w in sorted(TURN_WORDS)],
        # a comma does not end a turned clause; "!", "?!" and "..." do
        ("fun but dull , slow ! ok", "fun but DULL , SLOW ! OK"),
        ("fun but dull ?! ok", "fun but DULL ?! OK"),
        ("fun but dull ... ok", "fun but DULL ... OK"),
        # a second turn word in a turned clause is not itself emphasized (outside the last sentence)
        ("good but dull yet fine . ok", "good but DULL yet FINE . OK"),
        # a turn word at a sentence's end turns nothing
        ("good but . ok", "good but . OK"),
        # one sentence: no last sentence apart from the review, only its turns
        ("fun but dull", "fun but DULL"),
        ("a good film .", "a good film ."),
        ("a good film . . !", "a good film . . !"),
        # the last sentence's turn word and its trailing punctuation are emphasized with it
        ("good . fun but dull !", "good . FUN BUT DULL !"),
        # trailing sentence ends with no word after them do not start a last sentence
        ("good . dull . ! ...", "good . DULL . ! ..."),
        # a sentence of punctuation only is not a last sentence; the one before it is
        ("good . dull . , ; .", "good . DULL . , ; ."),
        # a sentence end before the only words still starts a last sentence
        (". ! fun but dull", ". ! FUN BUT DULL"),
        ("", ""),
        (". ! ?", ". ! ?"),
    ],
)
def test_emphasized_rules(text: str, expected: str) -> None:
    assert _marked(text) == expected


def test_a_digit_alone_is_the_last_sentence() -> None:
    assert emphasized(["good", ".", "10"]) == [False, False, True]


@pytest.mark.parametrize("token", [".", "!", "?", "?!", "!?", "...", "?!?!", "...."])
def test_sentence_ends(token: str) -> None:
    assert is_sentence_end(token)


@pytest.mark.parametrize("token", ["", ",", ";", ":", "-", ".a", "a.", "!,", "but", "2"])
def test_not_sentence_ends(token: str) -> None:
    assert not is_sentence_end(token)


def test_turn_words_are_words_that_tokenize_keeps() -> None:
    for word in TURN_WORDS:
        assert tokenize(word) == [word] and not is_punctuation(word)


def test_emphasis_of_tokenized_text() -> None:
    tokens = tokenize("The cast is great, but the plot drags. Still, I'd watch it again!")
    marked = [t for t, e in zip(tokens, emphasized(tokens)) if e]
    assert marked == ["the", "plot", "drags", *tokens[tokens.index(".") + 1 :]]


@settings(max_examples=400, deadline=None)
@given(token_lists)
def test_emphasized_agrees_with_the_rules_read_by_sentences(tokens: list[str]) -> None:
    assert emphasized(tokens) == _by_sentences(tokens)


@settings(max_examples=200, deadline=None)
@given(token_lists)
def test_a_new_last_sentence_leaves_only_the_turns_before_it(tokens: list[str]) -> None:
    # whatever came before, ". ok" makes "ok" the last sentence, and "." is neither turned nor in it
    assert emphasized([*tokens, ".", "ok"]) == [*_turned(tokens), False, True]


@settings(max_examples=200, deadline=None)
@given(token_lists)
def test_sentence_ends_and_turn_words_are_emphasized_only_in_the_last_sentence(tokens: list[str]) -> None:
    flags = emphasized(tokens)
    turned = _turned(tokens)
    for i, token in enumerate(tokens):
        if is_sentence_end(token) or token in TURN_WORDS:
            assert not turned[i]
            if flags[i]:  # then every token after it is emphasized too: it lies in the last sentence
                assert all(flags[i:])
