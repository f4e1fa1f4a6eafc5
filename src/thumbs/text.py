"""Text: normalize a review, split it into sentences, tokenize, mark negation.

One tokenizer serves every part of thumbs, and it is built so that the two forms
users hand us give the same sentences and the same tokens:

* raw review text, as on IMDb: mixed case, ``<br />`` tags, HTML entities,
  curly and straight quotes, contractions glued on ("wasn't", "I've", "Boris'");
* tokenized corpus text, as in the Cornell corpora: lowercase, one sentence a
  line, clitics split off ("was n't", "i 've"), LaTeX-style quotes (``` `` ```
  and ``''``), spaced ellipses (``. . .``).

Both are normalized to one canonical token stream (Penn-Treebank-like: clitics
``n't 's 've 're 'll 'd 'm`` split off, every double quote becomes ``"``), and
the tokenizer is idempotent: tokenizing the space-joined tokens again gives the
same tokens. Sentences end at a line break (``<br />`` counts as one) or after
sentence-final punctuation; deciding this never looks at letter case, because
the corpus form has none.

Example
-------
>>> [s.tokens for s in split_sentences("It wasn't bad. I've seen worse!")]
[('it', 'was', "n't", 'bad', '.'), ('i', "'ve", 'seen', 'worse', '!')]
>>> mark_negation(["it", "was", "n't", "good", ",", "but", "fine"])
['it', 'was', "n't", 'NOT_good', ',', 'but', 'fine']
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# --- Normalization -------------------------------------------------------------

#: HTML line and paragraph breaks: they end a sentence, like a newline.
LINE_BREAK_TAG = re.compile(r"<\s*(?:br|p|/p|div|/div|li)\b[^>]{0,100}>", re.IGNORECASE)
#: Any other HTML tag is dropped (IMDb reviews sometimes carry <i>, <b>, <a ...>).
OTHER_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")

#: Characters mapped to their plain ASCII form before tokenizing, so that curly
#: quotes, typographic dashes and the corpus' LaTeX quotes all look alike.
CHARACTER_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2013": " - ", "\u2014": " -- ", "\u2015": " -- ",
    "\u2026": "...",
    "\u00a0": " ",
}
#: One pattern for every key of CHARACTER_MAP (str.translate with a dict is slow on long texts).
_MAPPED_CHARACTER = re.compile("|".join(map(re.escape, CHARACTER_MAP)))
LATEX_QUOTES = re.compile(r"``|''")
#: ". . ." (the corpus' ellipsis) and "...." both become one "...".
SPACED_ELLIPSIS = re.compile(r"\.(?:[ \t]+\.){2,}")
#: Runs of spaces, or any other horizontal whitespace, become one space (a lone space is
#: left alone: matching every single space made this the slowest step of normalizing).
HORIZONTAL_SPACE = re.compile(r"[^\S\n]{2,}|[^\S\n ]")

# --- Tokens --------------------------------------------------------------------

#: Clitics split off the word before them, as the Penn Treebank does: "n't" here,
#: "'s 're 've 'll 'd 'm" in TOKEN_PATTERN's clitic group and CLITIC_SUFFIX.
NEGATIVE_CLITIC = "n't"
#: Words whose following period is an abbreviation's, not a sentence's end.
TITLE_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "vs", "mt", "lt", "gen", "col", "sgt"}
)
#: Web domains: a period before one ("imdb . com") does not end a sentence.
DOMAIN_SUFFIXES = frozenset({"com", "org", "net", "edu", "gov", "html", "htm", "co", "uk", "tv", "io"})

#: Periods and commas are always tokens of their own, as in the corpora ("u . s .",
#: "mr . smith", "2 . 5", "1 , 000"), so raw "U.S." or "2.5" and the corpus form agree.
#: The alternatives, tried in order: a URL; a clitic ('s 're 've 'll 'd 'm); a word, with
#: inner hyphens, apostrophes, slashes or ampersands; an ellipsis; a dash run; any other
#: single character. No group names: a token's kind is read off its first character.
TOKEN_PATTERN = re.compile(
    r"""(?:https?://|www\.)[^\s"<>]+|'(?:s|re|ve|ll|d|m)\b|\w+(?:[-'/&]\w+)*|\.\.+|-{2,}|\S"""
)
#: Starts of a URL token (never split at its apostrophes).
URL_STARTS = ("http://", "https://", "www.")
CLITIC_SUFFIX = re.compile(r"^(.+?)('(?:s|re|ve|ll|d|m))$")

# --- Sentences -----------------------------------------------------------------

SENTENCE_FINAL = frozenset({".", "!", "?"})
#: Tokens that close a sentence's quote or bracket and so belong to it.
OPENING_BRACKETS = frozenset({"(", "[", "{"})
CLOSING_BRACKETS = frozenset({")", "]", "}"})
QUOTES = frozenset({'"', "'"})

# --- Negation ------------------------------------------------------------------

#: Words that open a negation scope (Das & Chen 2001; Pang, Lee & Vaithyanathan 2002).
NEGATION_WORDS = frozenset(
    {"not", "no", "never", "n't", "cannot", "nothing", "nobody", "none", "nor", "neither", "nowhere"}
)
NEGATION_PREFIX = "NOT_"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a review.

    ``text`` is the sentence as it reads in the normalized review (original case,
    tags removed); ``tokens`` are its canonical lowercase tokens; ``start`` and
    ``end`` are character offsets into :func:`normalize`'s output.
    """

    text: str
    tokens: tuple[str, ...]
    start: int
    end: int


def normalize(text: str) -> str:
    """Return ``text`` with HTML, quotes, dashes and ellipses in one canonical form.

    Case is kept (for display); line breaks and ``<br />`` become ``\\n``, which
    always ends a sentence. Each step runs only when its trigger character is
    present: most reviews are plain ASCII without tags, and this is on every
    review's path.
    """
    if "<" in text:
        text = LINE_BREAK_TAG.sub("\n", text)
        text = OTHER_TAG.sub(" ", text)
    text = html.unescape(text)  # returns at once when there is no "&"
    if not text.isascii():
        text = _plain_characters(text)
    text = _quotes_and_ellipses(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() or any(space in text for space in _ASCII_SPACING):
        text = HORIZONTAL_SPACE.sub(" ", text)
    return text


def _quotes_and_ellipses(text: str) -> str:
    """The LaTeX quote, backquote and spaced-ellipsis steps of :func:`normalize`."""
    if "``" in text or "''" in text:
        text = LATEX_QUOTES.sub('"', text)
    if "`" in text:
        text = text.replace("`", "'")
    if ". ." in text or ".\t." in text:
        text = SPACED_ELLIPSIS.sub("...", text)
    return text


#: What :data:`HORIZONTAL_SPACE` would change in an ASCII text (scanning for these is cheap).
_ASCII_SPACING = ("  ", "\t", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def _plain_characters(text: str) -> str:
    """NFKC, then :data:`CHARACTER_MAP` (the step of :func:`normalize` for non-ASCII text)."""
    return _MAPPED_CHARACTER.sub(lambda m: CHARACTER_MAP[m.group()], unicodedata.normalize("NFKC", text))


#: Stands between the texts of a batch (:func:`thumbs.batch_text.lowered_utf8`), and ends each text's chunks.
CHUNK_SEPARATOR = "\x00"


def _split_word(word: str, start: int) -> list[tuple[str, int, int]]:
    """Split the clitics off one lowercase word token ("wasn't" -> "was", "n't")."""
    end = start + len(word)
    if word.endswith(NEGATIVE_CLITIC) and len(word) > len(NEGATIVE_CLITIC):
        cut = end - len(NEGATIVE_CLITIC)
        return [(word[: -len(NEGATIVE_CLITIC)], start, cut), (NEGATIVE_CLITIC, cut, end)]
    clitic = CLITIC_SUFFIX.match(word)
    if clitic:
        stem, suffix = clitic.groups()
        cut = start + len(stem)
        return [*_split_word(stem, start), (suffix, cut, end)]
    return [(word, start, end)]


def _line_spans(line: str, offset: int) -> list[tuple[str, int, int]]:
    """(lowercase token, start, end) of one line of normalized text; offsets into the whole text.

    The kind of a match is read off its first character (cheaper than the
    pattern's named groups): only words with an apostrophe go to
    :func:`_split_word`, and ``..``-runs become ``...``.
    """
    spans: list[tuple[str, int, int]] = []
    append = spans.append
    for match in TOKEN_PATTERN.finditer(line.lower()):
        token = match.group()
        start = match.start() + offset
        if "'" in token and token[0] != "'" and not token.startswith(URL_STARTS):
            spans.extend(_split_word(token, start))
        elif token[0] == "." and len(token) > 1:
            append(("...", start, start + len(token)))
        else:
            append((token, start, start + len(token)))
    return spans


def _ends_sentence(tokens: Sequence[str], i: int) -> bool:
    """Whether ``tokens[i]`` is sentence-final punctuation that really ends the sentence.

    A period after a title ("mr ."), after a single letter of an initial or a dotted
    abbreviation ("george c . scott", "u . s ."), between the digits of a number
    ("2 . 5"), or before a web domain ("imdb . com") does not.
    """
    token = tokens[i]
    if token not in SENTENCE_FINAL:
        return False
    if token == "." and i > 0:
        previous = tokens[i - 1]
        if previous in TITLE_ABBREVIATIONS or (len(previous) == 1 and previous.isalpha() and previous != "i"):
            return False
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if following in DOMAIN_SUFFIXES or (previous.isdigit() and following[:1].isdigit()):
            return False
    return True


def _sentence_bounds(tokens: Sequence[str]) -> Iterable[tuple[int, int]]:
    """Yield (start, end) token ranges of the sentences in one line's tokens.

    After sentence-final punctuation the sentence still takes more final marks
    ("?!"), closing brackets, and a quote that closes one it opened. Punctuation
    inside brackets ends nothing.
    """
    start = 0
    i = 0
    n = len(tokens)
    depth = 0  # open brackets: "( what ? )" does not end a sentence inside them
    while i < n:
        depth += (tokens[i] in OPENING_BRACKETS) - (tokens[i] in CLOSING_BRACKETS)
        if depth <= 0 and _ends_sentence(tokens, i):
            depth = 0
            i += 1
            while i < n and (
                tokens[i] in SENTENCE_FINAL
                or tokens[i] in CLOSING_BRACKETS
                or (tokens[i] in QUOTES and tokens[start:i].count(tokens[i]) % 2 == 1)
            ):
                i += 1
            yield start, i
            start = i
        else:
            i += 1
    if start < n:
        yield start, n


def split_sentences(text: str) -> list[Sentence]:
    """Split a review (raw or tokenized form) into sentences of canonical tokens.

    A sentence ends at a line break, or after ``.``, ``!`` or ``?`` (see
    :func:`_ends_sentence`); an ellipsis does not end one. Letter case is never
    consulted, so the lowercase corpus form splits like the raw form. Empty lines
    give no sentence.
    """
    normalized = normalize(text)
    sentences: list[Sentence] = []
    offset = 0
    for line_text in normalized.split("\n"):
        line = _line_spans(line_text, offset)
        offset += len(line_text) + 1
        if not line:
            continue
        tokens = [token for token, _, _ in line]
        for first, last in _sentence_bounds(tokens):
            start, end = line[first][1], line[last - 1][2]
            sentences.append(Sentence(normalized[start:end], tuple(tokens[first:last]), start, end))
    return sentences


def tokenize(text: str) -> list[str]:
    """Return the canonical lowercase tokens of ``text`` (all sentences, in order).

    The same tokens as ``[t for s in split_sentences(text) for t in s.tokens]``,
    found without offsets or sentence bounds: one ``findall`` and a pass that
    splits clitics off the few words with an apostrophe. This is the fast path
    that label-only prediction takes.
    """
    return canonical_tokens(normalize(text).lower())


def canonical_tokens(lowered: str) -> list[str]:
    """The tokens of normalized, lowercased text (the body of :func:`tokenize`).

    No token spans whitespace, so the tokens of a text are the tokens of its
    whitespace-separated chunks, in order; callers may memoize per chunk.
    """
    if "'" not in lowered and ".." not in lowered:
        # No match holds an apostrophe, and only a ".." run starts with "." and is longer
        # than one character: the matches are the tokens, with no pass over them.
        return TOKEN_PATTERN.findall(lowered)
    tokens: list[str] = []
    append = tokens.append
    for token in TOKEN_PATTERN.findall(lowered):
        if "'" in token and token[0] != "'" and not token.startswith(URL_STARTS):
            tokens.extend(word for word, _, _ in _split_word(token, 0))
        elif token[0] == "." and len(token) > 1:
            append("...")
        else:
            append(token)
    return tokens


#: Memo of :func:`_is_punctuation` (tokens repeat; bounded by clearing when full).
_PUNCTUATION_MEMO: dict[str, bool] = {}
_PUNCTUATION_MEMO_SIZE = 500_000


def _is_punctuation(token: str) -> bool:
    """A token without any letter or digit (it ends a negation scope)."""
    known = _PUNCTUATION_MEMO.get(token)
    if known is None:
        if len(_PUNCTUATION_MEMO) >= _PUNCTUATION_MEMO_SIZE:
            _PUNCTUATION_MEMO.clear()
        known = _PUNCTUATION_MEMO[token] = not any(ch.isalnum() for ch in token)
    return known


def mark_negation(tokens: Sequence[str]) -> list[str]:
    """Prefix ``NOT_`` to each word after a negation word up to the next punctuation.

    This is the scope rule of Das & Chen (2001) as used by Pang et al. (2002):
    in "was n't good , but fine" only "good" is negated. Punctuation is any token
    without a letter or digit.
    """
    marked: list[str] = []
    append = marked.append
    negating = False
    for token in tokens:
        if _is_punctuation(token):
            negating = False
            append(token)
        elif negating:
            append(NEGATION_PREFIX + token)
        else:
            append(token)
            negating = token in NEGATION_WORDS
    return marked
