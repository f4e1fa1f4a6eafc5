"""A general opinion lexicon, read at training time from two MIT-licensed PyPI packages.

The verdict learns its weights from aclImdb, where many opinion words are rare
and many plot words ("factory", a character's name) happen to lean one way. A
lexicon written by people for sentiment in general says which words carry
opinion at all; training reads it (never analysis: the shipped model holds only
the weights it led to) to favour those words' n-grams and to give opinion words
rare in the training reviews a weight of their own.

Two lexicons, merged:

* VADER's ``vader_lexicon.txt`` (Hutto & Gilbert 2014; package ``vaderSentiment``):
  7,500 tokens, each the mean of ten raters' valences from -4 to +4;
* TextBlob's ``en/en-sentiment.xml`` (package ``textblob``, from the Pattern
  library): 2,900 adjectives and adverbs, polarity from -1 to +1 (several senses
  of a word averaged).

Each valence is put on the -1..+1 scale (VADER's divided by
:data:`VADER_SCALE`); a word in both gets the mean of the two. Only single words
are kept (the lexicons' emoticons and multi-word entries are not tokens of thumbs).

>>> lexicon = opinion_lexicon()
>>> lexicon["masterpiece"] > 0.5, lexicon["dull"] < -0.3, "factory" in lexicon
(True, True, False)
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from importlib import resources

#: VADER's valences run from -4 to +4 (Hutto & Gilbert 2014, section 3.1).
VADER_SCALE = 4.0
#: A VADER word counts as opinion from this mean valence on (1 of 4: "slightly" positive or negative in its
#: raters' scale); benchmarks/evidence.py counts an n-gram as opinion by the same threshold.
VADER_MIN_VALENCE = 1.0
#: A TextBlob word counts from this polarity on (its scale is -1..1; below it sit hedges such as "real", 0.2).
TEXTBLOB_MIN_POLARITY = 0.25


def parse_vader(lines: Iterable[str], min_valence: float = VADER_MIN_VALENCE) -> dict[str, float]:
    """``{token: valence / 4}`` of VADER lexicon lines (``token<TAB>mean valence<TAB>...``) past ``min_valence``.

    >>> parse_vader(["good\\t1.9\\t0.9\\t[2]", "meh\\t-0.4\\t0.5\\t[0]", "bad line"])
    {'good': 0.475}
    """
    words: dict[str, float] = {}
    for line in lines:
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) < 2 or not fields[0] or " " in fields[0]:
            continue
        try:
            valence = float(fields[1])
        except ValueError:
            continue
        if abs(valence) >= min_valence and any(c.isalpha() for c in fields[0]):
            words[fields[0].lower()] = valence / VADER_SCALE
    return words


def parse_textblob(xml_text: str, min_polarity: float = TEXTBLOB_MIN_POLARITY) -> dict[str, float]:
    """``{word: mean polarity of its senses}`` of TextBlob's ``en-sentiment.xml``, past ``min_polarity``.

    >>> parse_textblob('<sentiment><word form="Fine" polarity="0.4"/><word form="fine" polarity="0.2"/></sentiment>')
    {'fine': 0.30000000000000004}
    """
    senses: dict[str, list[float]] = {}
    for word in ElementTree.fromstring(xml_text).iter("word"):
        form = (word.get("form") or "").lower()
        if form and " " not in form:
            senses.setdefault(form, []).append(float(word.get("polarity") or 0.0))
    means = {form: sum(values) / len(values) for form, values in senses.items()}
    return {form: value for form, value in means.items() if abs(value) >= min_polarity}


def merge(*lexicons: Mapping[str, float]) -> dict[str, float]:
    """One lexicon from several: each word's mean valence over those that list it.

    >>> merge({"good": 0.5, "dull": -0.4}, {"good": 0.7})
    {'dull': -0.4, 'good': 0.6}
    """
    values: dict[str, list[float]] = {}
    for lexicon in lexicons:
        for word, valence in lexicon.items():
            values.setdefault(word, []).append(valence)
    return {word: sum(v) / len(v) for word, v in sorted(values.items())}


def opinion_lexicon() -> dict[str, float]:
    """VADER's and TextBlob's opinion words from the installed packages, merged (valences -1..+1)."""
    vader = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    textblob = resources.files("textblob").joinpath("en", "en-sentiment.xml").read_text(encoding="utf-8")
    return merge(parse_vader(vader.splitlines()), parse_textblob(textblob))
