"""A general opinion lexicon: VADER's and TextBlob's valences, read from their installed packages.

Two lexicons written by people for sentiment in general, merged:

* VADER's ``vader_lexicon.txt`` (Hutto & Gilbert 2014; package ``vaderSentiment``):
  7,500 tokens, each the mean of ten raters' valences from -4 to +4;
* TextBlob's ``en/en-sentiment.xml`` (package ``textblob``, from the Pattern
  library): 2,900 adjectives and adverbs, polarity from -1 to +1 (several senses
  of a word averaged).

Each valence is put on the -1..+1 scale (VADER's divided by :data:`VADER_SCALE`); a word in
both gets the mean of the two. Only single words are kept (the lexicons' emoticons and
multi-word entries are not tokens of thumbs). Training reads it to guide the verdict
(:mod:`thumbs.learn.lexicon`); the aspects read it to judge short clauses, where the
models trained on whole sentences and reviews hear too few words (:mod:`thumbs.pipeline.aspects`).
Neither package is imported: only their data files are read.

>>> lexicon = opinion_lexicon()
>>> lexicon["masterpiece"] > 0.5, lexicon["dull"] < -0.3, "factory" in lexicon
(True, True, False)
"""

from __future__ import annotations

import functools
import importlib.util
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

from thumbs.errors import ThumbsError
from thumbs.text.tokens import tokenize

#: VADER's valences run from -4 to +4 (Hutto & Gilbert 2014, section 3.1).
VADER_SCALE = 4.0
#: A VADER word counts as opinion from this mean valence on (1 of 4: "slightly" positive or negative in its
#: raters' scale); benchmarks/evidence.py counts an n-gram as opinion by the same threshold.
VADER_MIN_VALENCE = 1.0
#: A TextBlob word counts from this polarity on (its scale is -1..1; below it sit hedges such as "real", 0.2).
TEXTBLOB_MIN_POLARITY = 0.25


def _is_word(entry: str) -> bool:
    """Whether a lexicon entry is one word token of thumbs (not an emoticon such as ":-d", a number or a phrase)."""
    return any(c.isalpha() for c in entry) and tokenize(entry) == [entry]


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
        token = fields[0].lower()
        if abs(valence) >= min_valence and _is_word(token):
            words[token] = valence / VADER_SCALE
    return words


def parse_textblob(xml_text: str, min_polarity: float = TEXTBLOB_MIN_POLARITY) -> dict[str, float]:
    """``{word: mean polarity of its senses}`` of TextBlob's ``en-sentiment.xml``, past ``min_polarity``.

    >>> parse_textblob('<sentiment><word form="Fine" polarity="0.4"/><word form="fine" polarity="0.2"/></sentiment>')
    {'fine': 0.30000000000000004}
    """
    senses: dict[str, list[float]] = {}
    for word in ElementTree.fromstring(xml_text).iter("word"):
        form = (word.get("form") or "").lower()
        if _is_word(form):
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


def _package_file(package: str, *parts: str) -> str:
    """A data file of an installed package, read without importing the package (TextBlob's import takes seconds)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ThumbsError(f"thumbs needs the {package} package for its opinion lexicon: pip install {package}")
    return Path(next(iter(spec.submodule_search_locations)), *parts).read_text(encoding="utf-8")


@functools.cache
def opinion_lexicon() -> Mapping[str, float]:
    """VADER's and TextBlob's opinion words from the installed packages, merged (valences -1..+1).

    Read once per process (training and the aspects ask for it again and again) and read-only.
    """
    vader = _package_file("vaderSentiment", "vader_lexicon.txt")
    textblob = _package_file("textblob", "en", "en-sentiment.xml")
    return MappingProxyType(merge(parse_vader(vader.splitlines()), parse_textblob(textblob)))
