"""Ratings a reviewer wrote into the text: "7/10", "4 out of 5", "two stars", "★★☆☆☆".

IMDb reviewers often end with a score of their own, and a score written in the text is
the writer's verdict in their own words; when it contradicts the model's, the model
has probably misread the review (:mod:`thumbs.pipeline.caveats` says so). The detector
is a few regular expressions with guards against what only looks like a score: a
fraction of something ("2/3 of the film", "9 out of 10 people"), a date ("9/11",
"1/2/2005"), an actor ("the two stars of the film"), an adjective ("a four-star general").

>>> [(r.text, r.out_of_ten) for r in ratings_in("Dreadful acting, but the effects: 9/10.")]
[('9/10', 9.0)]
>>> [(r.text, r.out_of_ten) for r in ratings_in("Four stars out of five. The two stars of the film shine.")]
[('Four stars out of five', 8.0)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: What a written score may be out of: 4 and 5 (critics' stars), 10 (IMDb's scale) and 100.
#: Anything else ("2/3", "24/7", "9/11") is a fraction or a date, not a score.
SCALES = frozenset({4, 5, 10, 100})
#: What "N stars" with no scale may be out of: critics' 4 (Ebert) and 5, and IMDb's own 10. On aclImdb
#: all three occur ("a very generous 4 stars" in a negative review is 4/10), so such a score is a range.
STAR_SCALES = (4, 5, 10)
#: A run of star symbols with no empty ones ("★★★★") is out of 5 up to five, out of 10 above.
SYMBOL_SCALE, LONG_SYMBOL_SCALE = 5, 10
#: Words after "x/y" or "x out of y" that make it a fraction of something, not a score
#: ("3/4 of the way", "9 out of 10 people").
FRACTION_FOLLOWERS = frozenset(
    {
        "of", "people", "persons", "viewers", "critics", "reviewers", "users", "voters", "fans", "times",
        "cases", "men", "women", "kids", "children", "adults", "films", "movies", "episodes", "scenes",
        "jokes", "minutes", "hours", "days", "years", "dollars", "percent", "chance",
    }
)  # fmt: skip
#: Plural words after a score that do not make it a fraction: the units of a score, and words that
#: merely end in "s" ("7 out of 10 is fair", "9/10 plus a bonus").
SCORE_PLURALS = frozenset(
    {
        "stars",
        "points",
        "pts",
        "marks",
        "is",
        "was",
        "has",
        "as",
        "this",
        "its",
        "his",
        "us",
        "yes",
        "plus",
        "minus",
        "thus",
    }
)
#: Words before "N stars" that make the stars actors ("the two stars", "its three stars", "with two stars").
ACTOR_PRECEDERS = frozenset(
    {"the", "its", "his", "her", "their", "our", "whose", "both", "these", "those", "all", "with", "other"}
)
#: Words after "N stars" that make the stars actors ("two stars who rise to the occasion", "two stars of the show").
ACTOR_FOLLOWERS = frozenset({"of", "who", "whom", "whose", "were", "are", "have", "had", "play", "share"})
#: Words before "N stars" that make them part of another score or a comparison ("out of 5 stars", "less than 5 stars").
SCALE_PRECEDERS = frozenset({"of", "outta", "than"})
#: Words before "x out of y" that make it a frequency ("in nine out of ten").
FREQUENCY_PRECEDERS = frozenset({"in"})
#: Words before "x/y" that make it a date ("on 3/10", "since 5/10").
DATE_PRECEDERS = frozenset({"on", "since", "until", "till", "dated"})

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "hundred": 100, "a hundred": 100,
}  # fmt: skip
_WORD = "|".join(sorted((w for w in _NUMBER_WORDS if w != "a hundred"), key=len, reverse=True))
# a value: 7, 7.5, seven, 3 1/2, 3½, three and a half
_VALUE = rf"(?P<value>\d{{1,3}}(?:\.\d{{1,2}})?|{_WORD})(?P<half>\s*½|\s+1/2|\s+and\s+a\s+half)?\+?"
_SCALE = r"(?P<scale>\d{1,3}|four|five|ten|a\s+hundred|hundred)"
_BEFORE = r"(?<![\w.,/#$£€-])"  # not "#4/10" (a series number) nor "$7.5"

#: "7/10", "7.5 / 10", "4/5 stars"
_SLASH = re.compile(
    rf"{_BEFORE}(?P<value>\d{{1,3}}(?:\.\d{{1,2}})?) ?/ ?(?P<scale>\d{{1,3}})(?![\w/]|\.\d)(?:\s+stars?\b)?",
    re.IGNORECASE,
)
#: "7 out of 10", "four stars out of five", "4 out of 5 stars", "8 out of a possible 10"
_OUT_OF = re.compile(
    rf"{_BEFORE}{_VALUE}(?:\s+(?:stars?|points?))?\s+(?:out\s+of|outta)\s+(?:a\s+(?:possible|maximum)\s+)?{_SCALE}\b"
    r"(?!\s+(?:hundred|thousand|million)\b)(?:\s+(?:stars?|points?)\b)?",
    re.IGNORECASE,
)
#: "4 stars", "1 star", "three and a half stars" (not "five-star", not "4 stars out of 5": that is _OUT_OF's)
_STARS = re.compile(rf"{_BEFORE}{_VALUE}\s+(?P<unit>stars?)\b(?!-)", re.IGNORECASE)
#: "★★☆☆☆", "★★★½"
_SYMBOLS = re.compile(r"[★⭐✭✮✯✩☆½]{2,}")
_FILLED, _EMPTY = frozenset("★⭐✭✮✯"), frozenset("✩☆")
_SYMBOL_CHARS = "★⭐✭✮✯✩☆"
#: Characters either side of "out of" or "star" that hold any rating built on it ("three and a half stars").
_WINDOW = 40
_WORD_AFTER = re.compile(r"[ \t]*([^\W\d_]+)")
_OUT_OF_NEXT = re.compile(r"\s+(?:out\s+of|outta)\b", re.IGNORECASE)
_FOLLOWER = re.compile(r"[ \t)\]'\"]*([^\W\d_]+)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]*$")
_LINE_OR_SENTENCE_END = re.compile(r"[ \t]*(?:$|[.!?,;)\]\r\n<])")


@dataclass(frozen=True, slots=True)
class Rating:
    """A score written in a review: ``value`` out of ``scale``, as ``text[start:end]`` writes it.

    ``scale`` is None where the text does not say it ("4 stars"): then it may be any of
    :data:`STAR_SCALES` that the value fits in.
    """

    text: str
    value: float
    scale: int | None
    start: int
    end: int

    @property
    def out_of_ten(self) -> float | None:
        """The score on IMDb's scale of 10 (``value`` out of ``scale``, scaled); None without a scale."""
        return None if self.scale is None else round(self.value * 10 / self.scale, 2)

    @property
    def bounds(self) -> tuple[float, float]:
        """The lowest and highest the score can mean out of 10: both :attr:`out_of_ten` when the scale is written.

        >>> Rating("4 stars", 4.0, None, 0, 7).bounds, Rating("1 star", 1.0, None, 0, 6).bounds
        ((4.0, 10.0), (1.0, 2.5))
        """
        if self.scale is not None:
            score = round(self.value * 10 / self.scale, 2)
            return score, score
        readings = [self.value * 10 / scale for scale in STAR_SCALES if self.value <= scale]
        return round(min(readings), 2), round(max(readings), 2)


def ratings_in(text: str) -> list[Rating]:
    """Every score written in ``text``, in order (one per place: "4 stars out of 5" is one).

    >>> [r.out_of_ten for r in ratings_in("Acting 8/10, story 2 out of 5, overall ★★★☆☆")]
    [8.0, 4.0, 6.0]
    >>> ratings_in("2/3 of the film is filler, and 9 out of 10 people will hate it; seen on 9/11.")
    []
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer: offsets would not match
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    found = [
        *(_slashes(text) if _digit_slash(text) else ()),
        *_out_ofs(text, [*_windows(lowered, "out of"), *_windows(lowered, "outta")]),
        *_stars(text, _windows(lowered, "star")),
        *(_symbols(text) if any(symbol in text for symbol in _SYMBOL_CHARS) else ()),
    ]
    found.sort(key=lambda r: (r.start, -r.end))
    kept: list[Rating] = []
    for rating in found:
        if not kept or rating.start >= kept[-1].end:
            kept.append(rating)
    return kept


def _windows(lowered: str, keyword: str) -> list[tuple[int, int]]:
    """Stretches around each place ``lowered`` (a review in lower case) says ``keyword``: where a pattern on it can match.

    Most reviews never say "out of" or "star", and the patterns, which begin with a number,
    would otherwise be tried at every character (40 microseconds a review each).
    """
    windows, at = [], lowered.find(keyword)
    while at >= 0:
        windows.append((max(0, at - _WINDOW), min(len(lowered), at + _WINDOW)))
        at = lowered.find(keyword, at + 1)
    return windows


def _digit_slash(text: str) -> bool:
    """Whether a digit stands on both sides of some "/" (one space allowed): cheaper than a regex over the text.

    Most slashes of a review are markup's ("<br />"), a handful a review.
    """
    at = text.find("/")
    while at >= 0:
        before, after = text[max(0, at - 2) : at].rstrip(" "), text[at + 1 : at + 3].lstrip(" ")
        if before[-1:].isdigit() and after[:1].isdigit():
            return True
        at = text.find("/", at + 1)
    return False


def _slashes(text: str) -> list[Rating]:
    ratings = []
    for match in _SLASH.finditer(text):
        if _word_before(text, match.start()) in DATE_PRECEDERS or _fraction_follows(text, match):
            continue
        rating = _rating(match, float(match["value"]), int(match["scale"]))
        if rating is not None and (rating.scale != 4 or _stands_alone(text, match)):
            ratings.append(rating)  # "3/4" is too often three quarters: only alone, or "3/4 stars"
    return ratings


def _out_ofs(text: str, windows: list[tuple[int, int]]) -> list[Rating]:
    ratings = []
    for match in (m for start, end in windows for m in _OUT_OF.finditer(text, start, end)):
        if _fraction_follows(text, match) or _word_before(text, match.start()) in FREQUENCY_PRECEDERS:
            continue
        scale = _number(re.sub(r"\s+", " ", match["scale"].lower()))
        rating = _rating(match, _value(match), int(scale))
        if rating is not None:
            ratings.append(rating)
    return ratings


def _stars(text: str, windows: list[tuple[int, int]]) -> list[Rating]:
    ratings = []
    for match in (m for start, end in windows for m in _STARS.finditer(text, start, end)):
        value = _value(match)
        if match["unit"].lower() == "star" and value > 1:
            continue  # "5 star hotel": an adjective
        if match["value"].lower() == "one" and match["unit"].lower() == "stars":
            continue  # "Part one stars ...": a verb
        after = _WORD_AFTER.match(text, match.end())
        before = _word_before(text, match.start())
        if before in ACTOR_PRECEDERS or (after and after.group(1).lower() in ACTOR_FOLLOWERS):
            continue  # "the two stars", "two stars of the show": actors
        if before in SCALE_PRECEDERS:
            continue  # "1 and a half out of 5 stars", "less than 5 stars": not the score
        if after and after.group(1)[0].isupper():
            continue  # "Part two stars Tom Hanks": a verb
        if _OUT_OF_NEXT.match(text, match.end()):
            continue  # _OUT_OF reads it with its scale
        rating = _rating(match, value, None)
        if rating is not None:
            ratings.append(rating)
    return ratings


def _symbols(text: str) -> list[Rating]:
    ratings = []
    for match in _SYMBOLS.finditer(text):
        run = match.group()
        filled, empty, half = sum(c in _FILLED for c in run), sum(c in _EMPTY for c in run), run.count("½")
        if filled + half == 0:
            continue
        value = filled + 0.5 * half
        scale = filled + empty + half if empty else (SYMBOL_SCALE if value <= SYMBOL_SCALE else LONG_SYMBOL_SCALE)
        rating = _rating(match, value, scale)
        if rating is not None:
            ratings.append(rating)
    return ratings


def _rating(match: re.Match[str], value: float, scale: int | None) -> Rating | None:
    """The rating ``match`` writes, or None when it cannot be a score (an odd scale, or above its scale)."""
    if scale is None and not 0 <= value <= max(STAR_SCALES):
        return None
    if scale is not None and (scale not in SCALES or not 0 <= value <= scale):
        return None
    return Rating(match.group().strip(), value, scale, match.start(), match.end())


def _value(match: re.Match[str]) -> float:
    return _number(match["value"].lower()) + (0.5 if match["half"] else 0.0)


def _number(word: str) -> float:
    return float(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS else float(word)


def _word_before(text: str, start: int) -> str:
    found = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    return found.group(1).lower() if found else ""


def _fraction_follows(text: str, match: re.Match[str]) -> bool:
    """Whether the words after ``match`` make it a fraction of something ("2/3 of", "(3/4) of", "9 out of 10 people").

    Besides :data:`FRACTION_FOLLOWERS`, any plural that is not a score's own word counts a group
    ("eight out of ten members of the community").
    """
    found = _FOLLOWER.match(text, match.end())
    if found is None:
        return False
    word = found.group(1).lower()
    return word in FRACTION_FOLLOWERS or (len(word) > 3 and word.endswith("s") and word not in SCORE_PLURALS)


def _stands_alone(text: str, match: re.Match[str]) -> bool:
    """Whether ``match`` mentions stars, or ends its sentence or line (so it is no "3/4 through")."""
    return "star" in match.group().lower() or _LINE_OR_SENTENCE_END.match(text, match.end()) is not None
